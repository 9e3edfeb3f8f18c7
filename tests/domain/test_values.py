from dataclasses import fields
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.values import ID_MAX, Address, AddressPatch, parse_id

TEXTS = st.text(max_size=20)
COORDINATES = st.decimals(min_value=-180, max_value=180, places=4)
ADDRESS_NAMES = [f.name for f in fields(Address)]


def _field_values(*, optional: bool) -> dict[str, st.SearchStrategy[object]]:
    """One strategy per address field: text, or a coordinate for latitude and longitude."""
    values: dict[str, st.SearchStrategy[object]] = {}
    for name in ADDRESS_NAMES:
        value: st.SearchStrategy[object] = (
            COORDINATES if name in ("latitude", "longitude") else TEXTS
        )
        values[name] = st.none() | value if optional else value
    return values


ADDRESSES = st.builds(Address, **_field_values(optional=False))
PATCHES = st.builds(AddressPatch, **_field_values(optional=True))


@given(st.integers(min_value=1, max_value=ID_MAX))
def test_every_storable_id_reads_back_as_itself(number: int) -> None:
    assert parse_id(str(number)) == number


@given(st.text())
def test_no_text_makes_parse_id_raise_or_answer_outside_the_column(text: str) -> None:
    number = parse_id(text)

    assert number is None or 1 <= number <= ID_MAX


@pytest.mark.parametrize(
    "text",
    ["", "0", "-1", "+1", " 1", "1.0", "1e3", "²", "٣", str(ID_MAX + 1), "9" * 40],
)
def test_what_cannot_be_a_stored_id_reads_as_none(text: str) -> None:
    assert parse_id(text) is None


def test_leading_zeros_still_name_the_id() -> None:
    assert parse_id("0007") == 7


def test_a_patch_has_exactly_the_fields_of_an_address() -> None:
    assert [f.name for f in fields(AddressPatch)] == ADDRESS_NAMES


@given(ADDRESSES, PATCHES)
def test_a_patch_changes_the_fields_it_gives_and_keeps_the_others(
    address: Address, patch: AddressPatch
) -> None:
    result = patch.apply(address)

    for name in ADDRESS_NAMES:
        given_value = getattr(patch, name)
        expected = getattr(address, name) if given_value is None else given_value
        assert getattr(result, name) == expected, name


@given(ADDRESSES)
def test_an_empty_patch_leaves_an_address_as_it_is(address: Address) -> None:
    assert AddressPatch().apply(address) == address


def test_an_empty_string_in_a_patch_clears_the_field() -> None:
    address = Address(line1="1 Main St", line2="Apt 4", latitude=Decimal("43.65"))

    result = AddressPatch(line2="").apply(address)

    assert result == Address(line1="1 Main St", line2="", latitude=Decimal("43.65"))
