"""``orderyard strategies list|show|set``: the account's allocation strategy from the CLI."""

import json

import pytest

from orderyard.domain.allocation.policy import DESCRIPTIONS, AllocationStrategy
from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.usefixtures("cli_database")


async def test_list_marks_the_accounts_strategy(account: NewAccount) -> None:
    code, output = await ainvoke("strategies", "list", "--account", str(account.account_id))

    assert code == 0
    assert output.splitlines() == [
        f"* by_priority\t{DESCRIPTIONS[AllocationStrategy.by_priority]}",
        f"  single_location\t{DESCRIPTIONS[AllocationStrategy.single_location]}",
        f"  nearest\t{DESCRIPTIONS[AllocationStrategy.nearest]}",
        f"  most_stock\t{DESCRIPTIONS[AllocationStrategy.most_stock]}",
    ]


async def test_set_switches_and_show_and_list_follow(account: NewAccount, make: Factory) -> None:
    at = ("--account", str(account.account_id))

    switched = await ainvoke("strategies", "set", "nearest", *at)
    shown = await ainvoke("strategies", "show", *at, "--json")
    listed = await ainvoke("strategies", "list", *at, "--json")

    assert switched == (0, f"account {account.account_id} allocates by nearest from now on\n")
    assert json.loads(shown[1]) == {
        "name": "nearest",
        "description": DESCRIPTIONS[AllocationStrategy.nearest],
    }
    assert [(row["name"], row["current"]) for row in json.loads(listed[1])] == [
        ("by_priority", False),
        ("single_location", False),
        ("nearest", True),
        ("most_stock", False),
    ]
    assert await count_rows(make, "events") == 1


async def test_show_prints_the_strategy_and_what_it_does(account: NewAccount) -> None:
    code, output = await ainvoke("strategies", "show", "--account", str(account.account_id))

    assert (code, one_line(output)) == (
        0,
        f"by_priority\t{DESCRIPTIONS[AllocationStrategy.by_priority]}",
    )


async def test_an_unknown_name_is_refused_and_changes_nothing(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id))

    code, output = await ainvoke("strategies", "set", "closest", *at)

    assert code == 2
    assert "Invalid value for 'NAME': 'closest' is not one of 'by_priority'," in output
    assert (await ainvoke("strategies", "show", *at))[1].startswith("by_priority\t")
    assert await count_rows(make, "events") == 0


async def test_an_unknown_account_is_one_line(account: NewAccount) -> None:
    code, output = await ainvoke("strategies", "set", "nearest", "--account", "999999")

    assert code == 1
    assert one_line(output) == "error: not_found: account 999999 not found"
