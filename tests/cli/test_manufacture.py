import json

import pytest

from orderyard.domain.manufacture import ManufactureStatus
from orderyard.domain.values import PageRequest
from orderyard.services import manufacture as manufacture_service
from orderyard.services.account import NewAccount
from orderyard.store.uow import ReadUnitOfWork
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows, ledger

pytestmark = pytest.mark.usefixtures("cli_database")


@pytest.fixture
async def kit(make: Factory) -> Factory:
    """KIT = 2 x PART-A + 1 x PART-B, at the account's one location DC-1."""
    await make.location("DC-1")
    await make.item("PART-A")
    await make.item("PART-B")
    await make.kit("KIT", ("PART-A", 2), ("PART-B", 1))
    return make


async def test_create_plans_a_build_at_the_only_location(
    kit: Factory, account: NewAccount, read_uow: ReadUnitOfWork
) -> None:
    code, output = await ainvoke(
        "manufacture", "create", "--account", str(account.account_id), "--kit", "KIT",
        "--quantity", "3",
    )  # fmt: skip

    assert code == 0, output
    assert one_line(output) == "manufacture order 1: build 3 x KIT at DC-1 (pending)"
    listed = await manufacture_service.list_manufacture_orders(read_uow, PageRequest())
    assert [(m.id, m.sku, m.quantity, m.status) for m in listed.items] == [
        (1, "KIT", 3, ManufactureStatus.pending)
    ]


async def test_create_prints_json_at_the_named_location(kit: Factory, account: NewAccount) -> None:
    await kit.location("DC-2", priority=2)

    code, output = await ainvoke(
        "manufacture", "create", "--account", str(account.account_id), "--kit", "KIT",
        "--quantity", "1", "--location", "DC-2", "--json",
    )  # fmt: skip

    assert code == 0, output
    assert json.loads(output) == {
        "manufacture_order_id": 1,
        "sku": "KIT",
        "quantity": 1,
        "location": "DC-2",
        "status": "pending",
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--kit", "NOPE", "--quantity", "1"), "invalid_request: unknown SKU 'NOPE'"),
        (("--kit", "PART-A", "--quantity", "1"), "invalid_request: not a kit: 'PART-A'"),
        (
            ("--kit", "KIT", "--quantity", "1", "--location", "DC-9"),
            "invalid_request: location 'DC-9' is not registered",
        ),
    ],
    ids=["unknown kit", "not a kit", "unknown location"],
)
async def test_a_refused_build_fails_in_one_line_and_writes_nothing(
    kit: Factory, account: NewAccount, options: tuple[str, ...], message: str
) -> None:
    before = await ledger(kit)

    code, output = await ainvoke(
        "manufacture", "create", "--account", str(account.account_id), *options
    )

    assert code == 1
    assert one_line(output) == f"error: {message}"
    assert await count_rows(kit, "manufacture_orders") == 0
    assert await ledger(kit) == before


async def test_a_quantity_below_one_is_refused(kit: Factory, account: NewAccount) -> None:
    code, output = await ainvoke(
        "manufacture", "create", "--account", str(account.account_id), "--kit", "KIT",
        "--quantity", "0",
    )  # fmt: skip

    assert code == 1
    assert one_line(output).startswith("error: invalid_request: ")
    assert await count_rows(kit, "manufacture_orders") == 0


async def test_without_a_location_several_locations_need_one_named(
    kit: Factory, account: NewAccount
) -> None:
    await kit.location("DC-2", priority=2)

    code, output = await ainvoke(
        "manufacture", "create", "--account", str(account.account_id), "--kit", "KIT",
        "--quantity", "1",
    )  # fmt: skip

    assert code == 1
    assert one_line(output) == (
        "error: invalid_request: name the location with --location (DC-1, DC-2)"
    )
    assert await count_rows(kit, "manufacture_orders") == 0


async def test_an_unknown_account_fails_in_one_line(kit: Factory) -> None:
    code, output = await ainvoke(
        "manufacture", "create", "--account", "999", "--kit", "KIT", "--quantity", "1"
    )

    assert code == 1
    assert one_line(output) == "error: not_found: account 999 not found"
    assert await count_rows(kit, "manufacture_orders") == 0
