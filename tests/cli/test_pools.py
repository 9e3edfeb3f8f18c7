"""``orderyard pools`` and ``orderyard pool-groups``: create, list and delete."""

import pytest

from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.usefixtures("cli_database")


@pytest.fixture
async def places(make: Factory) -> Factory:
    await make.location("WH1")
    await make.location("WH2")
    return make


async def test_pools_and_groups_are_created_and_listed(
    account: NewAccount, places: Factory
) -> None:
    at = ("--account", str(account.account_id))

    east = await ainvoke(
        "pools", "create", *at, "--name", "EAST", "--location", "WH2", "--location", "WH1",
        "--percentage", "80", "--buffer", "3", "--display-name", "East coast",
    )  # fmt: skip
    west = await ainvoke("pools", "create", *at, "--name", "WEST", "--location", "WH2", "--json")
    web = await ainvoke(
        "pool-groups", "create", *at, "--name", "WEB", "--pool", "WEST", "--pool", "EAST"
    )
    pools = await ainvoke("pools", "list", *at)
    groups = await ainvoke("pool-groups", "list", *at)

    assert east == (0, "inventory pool EAST created over WH1,WH2\n")
    assert west == (
        0,
        '{"internal_name": "WEST", "locations": ["WH2"], "percentage": 100, "buffer": 0}\n',
    )
    assert web == (0, "inventory pool group WEB created with EAST,WEST\n")
    assert pools == (
        0,
        "EAST\tWH1,WH2\t80%\tbuffer 3\tEast coast\nWEST\tWH2\t100%\tbuffer 0\tWEST\n",
    )
    assert groups == (0, "WEB\tEAST,WEST\tWEB\n")


async def test_refusals_are_one_line_and_write_nothing(
    account: NewAccount, places: Factory
) -> None:
    at = ("--account", str(account.account_id))

    unknown = await ainvoke("pools", "create", *at, "--name", "P", "--location", "NOPE")
    percentage = await ainvoke(
        "pools", "create", *at, "--name", "P", "--location", "WH1", "--percentage", "101"
    )
    no_pool = await ainvoke("pool-groups", "create", *at, "--name", "G", "--pool", "P")

    assert unknown[0] == percentage[0] == no_pool[0] == 1
    assert one_line(unknown[1]) == "error: invalid_request: unknown location 'NOPE'"
    assert one_line(percentage[1]) == (
        "error: invalid_request: percentage must be from 0 to 100 (got 101)"
    )
    assert one_line(no_pool[1]) == "error: invalid_request: unknown inventory pool 'P'"
    assert await count_rows(places, "inventory_pools") == 0
    assert await count_rows(places, "inventory_pool_groups") == 0


async def test_delete_refuses_a_pool_in_a_group_until_the_group_is_gone(
    account: NewAccount, places: Factory
) -> None:
    at = ("--account", str(account.account_id))
    await ainvoke("pools", "create", *at, "--name", "P", "--location", "WH1")
    await ainvoke("pool-groups", "create", *at, "--name", "G", "--pool", "P")

    held = await ainvoke("pools", "delete", *at, "--name", "P")
    group = await ainvoke("pool-groups", "delete", *at, "--name", "G")
    pool = await ainvoke("pools", "delete", *at, "--name", "P")
    again = await ainvoke("pools", "delete", *at, "--name", "P")

    assert held[0] == 1
    assert one_line(held[1]) == (
        "error: conflict: inventory pool 'P' is in pool group 'G'; remove it from them first"
    )
    assert group == (0, "inventory pool group G deleted\n")
    assert pool == (0, "inventory pool P deleted\n")
    assert one_line(again[1]) == "error: not_found: inventory pool 'P' not found"
    assert await count_rows(places, "inventory_pools") == 0
