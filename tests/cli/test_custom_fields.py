"""``orderyard custom-fields``: define, list and delete metadata from the command line."""

import pytest

from orderyard.domain.attribute import OwnerType
from orderyard.domain.values import PageRequest
from orderyard.services import custom_field as service
from orderyard.services.account import NewAccount
from orderyard.store.uow import ReadUnitOfWork
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.usefixtures("cli_database")


async def test_defined_fields_are_listed_by_system_name(account: NewAccount) -> None:
    at = ("--account", str(account.account_id), "--owner-type", "location")

    zone = await ainvoke(
        "custom-fields", "define", *at, "--name", "Zone", "--type", "list",
        "--allowed", "A", "--allowed", "B", "--required",
    )  # fmt: skip
    dock = await ainvoke(
        "custom-fields", "define", *at, "--name", "Dock", "--type", "integer",
        "--display-name", "Dock doors", "--json",
    )  # fmt: skip
    code, output = await ainvoke("custom-fields", "list", *at)

    assert zone == (0, "custom field Zone (list) defined for location\n")
    assert dock[0] == 0
    assert dock[1].startswith('{"id": ')
    assert '"system_name": "Dock"' in dock[1]
    assert (code, output) == (
        0,
        "Dock\tinteger\toptional\tDock doors\nZone\tlist\trequired\tZone\tA,B\n",
    )


async def test_a_refused_definition_is_one_line_and_writes_nothing(
    account: NewAccount, make: Factory
) -> None:
    code, output = await ainvoke(
        "custom-fields", "define", "--account", str(account.account_id),
        "--owner-type", "item", "--name", "Colour", "--type", "list",
    )  # fmt: skip

    assert code == 1
    assert one_line(output) == "error: invalid_request: a list field needs allowed_values"
    assert await count_rows(make, "custom_fields") == 0


async def test_delete_removes_a_definition_and_refuses_an_unknown_one(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id), "--owner-type", "order", "--name", "Gift")
    await ainvoke("custom-fields", "define", *at)

    deleted = await ainvoke("custom-fields", "delete", *at)
    again = await ainvoke("custom-fields", "delete", *at)

    assert deleted == (0, "custom field Gift deleted from order\n")
    assert again[0] == 1
    assert one_line(again[1]) == "error: not_found: custom field 'Gift' is not defined for order"
    assert await count_rows(make, "custom_fields") == 0


async def test_item_location_fields_are_defined_for_the_item_location_owner_type(
    account: NewAccount, make: Factory, read_uow: ReadUnitOfWork
) -> None:
    at = ("--account", str(account.account_id), "--owner-type", "item_location")

    defined = await ainvoke("custom-fields", "define", *at, "--name", "Aisle")
    listed = await ainvoke("custom-fields", "list", *at)

    assert defined == (0, "custom field Aisle (text) defined for item_location\n")
    assert listed == (0, "Aisle\ttext\toptional\tAisle\n")
    found = await service.list_custom_fields(read_uow, OwnerType.item_location, PageRequest())
    assert [field.system_name for field in found.items] == ["Aisle"]
