"""Customer rules without a database: e-mails, what forgetting erases, scrubbing payloads."""

import pytest

from orderyard.domain.customer import (
    AddressType,
    Person,
    PersonPatch,
    anonymised,
    check_default,
    checked_email,
    personal_values,
    scrubbed,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import Address

JANE = Person(external_id="C-9", email="jane@example.com", first_name="Jane", last_name="Smith")


@pytest.mark.parametrize("email", ["jane@example.com", "a.b+c@x.co.uk", ""])
def test_a_mailbox_or_nothing_is_an_email(email: str) -> None:
    assert checked_email(email) == email


@pytest.mark.parametrize("email", ["jane", "jane@", "@x.io", "a@b", "a b@x.io", "a@@x.io"])
def test_anything_else_is_refused_naming_the_field(email: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        checked_email(email, field="addresses[0].email")
    assert refused.value.field == "addresses[0].email"


def test_a_patch_changes_only_the_fields_it_gives() -> None:
    assert PersonPatch(phone="555", first_name="").apply(JANE) == Person(
        external_id="C-9", email="jane@example.com", first_name="", last_name="Smith", phone="555"
    )


def test_a_billing_address_cannot_be_the_default() -> None:
    check_default(True, AddressType.shipping, field="f")
    check_default(None, AddressType.billing, field="f")
    with pytest.raises(InvalidRequestError):
        check_default(True, AddressType.billing, field="f")


def test_an_anonymised_address_keeps_only_its_country() -> None:
    home = Address(first_name="Jane", line1="1 Bloor St", city="Toronto", country_code="CA")
    assert anonymised(home) == Address(country_code="CA")


def test_payloads_lose_every_string_holding_a_personal_value_in_any_case() -> None:
    personal = personal_values(JANE, [Address(line1="1 Bloor St", phone="5")])
    payload = {"note": "Call JANE back", "items": ["x", {"to": "1 bloor st"}], "n": 3, "ok": "y"}

    clean, hit = scrubbed(payload, personal)

    assert hit is True
    assert clean == {"note": "", "items": ["x", {"to": ""}], "n": 3, "ok": "y"}
    assert "5" not in personal  # too short to be a value worth matching
    assert scrubbed({"status": "shipped"}, personal) == ({"status": "shipped"}, False)
