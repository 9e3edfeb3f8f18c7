"""``orderyard staff create|list|disable`` and ``orderyard settings list|set``."""

import json

import pytest

from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.usefixtures("cli_database")
PASSWORD = "correct horse battery"


async def test_staff_are_created_listed_and_disabled(account: NewAccount, make: Factory) -> None:
    at = ("--account", str(account.account_id))

    created = await ainvoke(
        "staff", "create", *at, "--email", "Ann@Shop.test", "--role", "operator",
        "--password", PASSWORD, "--json",
    )  # fmt: skip
    staff_id = json.loads(created[1])["id"]
    disabled = await ainvoke("staff", "disable", *at, "--email", "ann@shop.test")
    listed = await ainvoke("staff", "list", *at)

    assert created[0] == 0
    assert disabled == (0, f"staff {staff_id} ann@shop.test disabled\n")
    assert listed == (0, f"{staff_id}\tann@shop.test\toperator\tdisabled\tno token\n")
    async with make.uow() as uow:
        kinds = await uow.events.of("staff", staff_id)
    assert kinds == [("cli", "staff_created"), ("cli", "staff_disabled")]


async def test_a_duplicate_email_or_short_password_fails_in_one_line(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id))
    first = ("staff", "create", *at, "--email", "ann@shop.test", "--role", "admin")
    await ainvoke(*first, "--password", PASSWORD)

    again = await ainvoke("staff", "create", *at, "--email", "ANN@shop.test", "--role",
                          "admin", "--password", PASSWORD)  # fmt: skip
    short = await ainvoke("staff", "create", *at, "--email", "bob@shop.test", "--role",
                          "admin", "--password", "short")  # fmt: skip
    unknown = await ainvoke("staff", "disable", *at, "--id", "999999")

    assert again == (1, "error: duplicate: a staff member with e-mail 'ann@shop.test' exists\n")
    assert short == (1, "error: invalid_request: a password has 12 to 1024 characters\n")
    assert unknown == (1, "error: not_found: staff member 999999 not found\n")
    assert await count_rows(make, "staff") == 1


async def test_settings_are_listed_and_set_with_an_event(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id))

    changed = await ainvoke("settings", "set", "ships_on_allocation", "true", *at)
    listed = await ainvoke("settings", "list", *at)
    refused = await ainvoke("settings", "set", "allocation_strategy", "cheapest", *at)
    unknown = await ainvoke("settings", "set", "colour", "red", *at)

    assert changed == (0, "ships_on_allocation\ttrue\n")
    assert listed == (
        0,
        "allocation_strategy\tby_priority\nships_on_allocation\ttrue\n"
        "sends_emails\ttrue\nmax_page_size\t250 (read-only)\n",
    )
    assert refused[0] == 1
    assert "'cheapest' is not an allocation strategy" in refused[1]
    assert unknown[0] == 1
    assert "'colour' is not a setting" in unknown[1]
    async with make.uow() as uow:
        kinds = await uow.events.of("account", account.account_id)
    assert kinds == [("cli", "account_ships_on_allocation_set")]
