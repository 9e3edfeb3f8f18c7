import json

import pytest

from orderyard.domain.order import OrderStatus
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows, ledger, level, load_order

pytestmark = pytest.mark.usefixtures("cli_database")


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    await make.location("DC-1")
    await make.item("A")
    await make.item("B")
    await make.stock("DC-1", "A", 5)
    await make.stock("DC-1", "B", 5)
    return make


async def test_ship_ships_every_allocated_unit_and_prints_the_shipment(
    stocked: Factory, account: NewAccount
) -> None:
    placed = await stocked.order(("A", 2), ("B", 1))

    code, output = await ainvoke(
        "shipments", "ship", "--account", str(account.account_id), "--order", str(placed.order_id)
    )

    assert code == 0, output
    assert (
        one_line(output) == f"shipment 1 of order {placed.order_id} shipped from DC-1: A x 2, B x 1"
    )
    assert (await load_order(stocked, placed.order_id)).status is OrderStatus.shipped
    assert await level(stocked, "DC-1", "A") == (3, 0)
    assert await level(stocked, "DC-1", "B") == (4, 0)


async def test_ship_prints_json_with_the_carrier_and_tracking_number(
    stocked: Factory, account: NewAccount
) -> None:
    placed = await stocked.order(("A", 2))

    code, output = await ainvoke(
        "shipments",
        "ship",
        "--account",
        str(account.account_id),
        "--order",
        str(placed.order_id),
        "--location",
        "DC-1",
        "--carrier",
        "UPS",
        "--tracking-number",
        "1Z999",
        "--json",
    )

    assert code == 0, output
    shipped = json.loads(output)
    assert shipped.pop("shipped_at").endswith("+00:00")
    assert shipped == {
        "shipment_id": 1,
        "order_id": placed.order_id,
        "location": "DC-1",
        "status": "shipped",
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "lines": [{"line_no": 1, "sku": "A", "quantity": 2}],
    }


async def _refused(make: Factory, account: int, *options: str) -> str:
    before = await ledger(make)
    code, output = await ainvoke("shipments", "ship", "--account", str(account), *options)
    assert code == 1
    assert await count_rows(make, "shipments") == 0
    assert await ledger(make) == before
    return one_line(output)


async def test_an_unknown_order_fails_in_one_line_and_writes_nothing(
    stocked: Factory, account: NewAccount
) -> None:
    await stocked.order(("A", 1))

    line = await _refused(stocked, account.account_id, "--order", "999")

    assert line == "error: not_found: order 999 not found"


async def test_a_foreign_accounts_order_is_not_found(
    stocked: Factory, account: NewAccount, engines: Engines
) -> None:
    placed = await stocked.order(("A", 1))
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    line = await _refused(stocked, other.account_id, "--order", str(placed.order_id))

    assert line == f"error: not_found: order {placed.order_id} not found"
    assert await level(stocked, "DC-1", "A") == (5, 1)


async def test_an_unknown_account_fails_in_one_line(stocked: Factory) -> None:
    line = await _refused(stocked, 999, "--order", "1")

    assert line == "error: not_found: account 999 not found"


async def test_an_unregistered_location_fails_in_one_line(
    stocked: Factory, account: NewAccount
) -> None:
    placed = await stocked.order(("A", 1))

    line = await _refused(
        stocked, account.account_id, "--order", str(placed.order_id), "--location", "DC-9"
    )

    assert line == "error: invalid_request: location 'DC-9' is not registered"


async def test_a_backordered_order_has_nothing_to_ship(
    stocked: Factory, account: NewAccount
) -> None:
    await stocked.item("C")
    placed = await stocked.order(("C", 2))

    line = await _refused(stocked, account.account_id, "--order", str(placed.order_id))

    assert line == (
        "error: invalid_state_transition: nothing of the order is allocated and free to ship"
    )
    assert (await load_order(stocked, placed.order_id)).status is OrderStatus.backordered


async def test_an_order_id_that_is_not_a_number_is_a_usage_error(account: NewAccount) -> None:
    code, output = await ainvoke(
        "shipments", "ship", "--account", str(account.account_id), "--order", "ORD-1"
    )

    assert code == 2
    assert "'ORD-1' is not a valid int" in output
