"""ShipEdge's customer <-> the core's address, field by field (no HTTP, no database)."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orderyard.dialects.shipedge.mappers.order import address_in, address_patch, customer_out
from orderyard.dialects.shipedge.schemas.order import CustomerIn, CustomerPatch
from orderyard.domain.values import Address, AddressPatch

CUSTOMER = {
    "email": "jane@example.com",
    "phone": "416-555-0100",
    "firstname": "Jane",
    "lastname": "Smith",
    "company": "Tecsys",
    "address1": "123 Bloor St",
    "address2": "Apt 1",
    "city": "Toronto",
    "state": "ON",
    "zip": "L4K1L6",
    "country": "CA",
}
"""Every field a different value, so that two crossed fields would show."""
WIRE_NAMES = list(CUSTOMER)
REQUIRED = ("firstname", "address1", "city", "state", "zip", "country")


def test_each_customer_field_lands_in_its_core_field() -> None:
    address = address_in(CustomerIn.model_validate(CUSTOMER))

    assert address == Address(
        first_name="Jane",
        last_name="Smith",
        company="Tecsys",
        line1="123 Bloor St",
        line2="Apt 1",
        city="Toronto",
        region="ON",
        postal_code="L4K1L6",
        country_code="CA",
        phone="416-555-0100",
        email="jane@example.com",
    )


def test_each_core_field_goes_out_under_its_customer_name_in_the_wire_order() -> None:
    address = address_in(CustomerIn.model_validate(CUSTOMER))

    wire = customer_out(address).model_dump()

    assert list(wire.items()) == list(CUSTOMER.items())


def test_shipedge_shows_no_nickname_or_coordinates() -> None:
    address = Address(first_name="Jane", nickname="Home", latitude=None, longitude=None)

    assert set(customer_out(address).model_dump()) == set(WIRE_NAMES)


VISIBLE = st.characters(categories=("L", "N", "P", "S"))
"""No white space: the wire strips it, which is not what these tests are about."""
TEXTS = st.text(VISIBLE, max_size=32)


def _customers() -> st.SearchStrategy[dict[str, Any]]:
    required = st.text(VISIBLE, min_size=1, max_size=32)
    return st.fixed_dictionaries(
        {name: required if name in REQUIRED else TEXTS for name in WIRE_NAMES}
    )


@given(_customers())
def test_any_customer_comes_back_as_it_was_sent(customer: dict[str, Any]) -> None:
    address = address_in(CustomerIn.model_validate(customer))

    assert customer_out(address).model_dump() == customer


def test_an_update_gives_only_the_customer_fields_it_sends() -> None:
    patch = address_patch(CustomerPatch.model_validate({"state": "QC", "address2": ""}))

    assert patch == AddressPatch(region="QC", line2="")


@given(st.dictionaries(st.sampled_from(WIRE_NAMES), TEXTS))
def test_an_update_changes_exactly_the_customer_fields_it_sends(changes: dict[str, str]) -> None:
    before = address_in(CustomerIn.model_validate(CUSTOMER))

    after = address_patch(CustomerPatch.model_validate(changes)).apply(before)

    assert customer_out(after).model_dump() == {**CUSTOMER, **changes}
