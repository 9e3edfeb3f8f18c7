"""On-hand feeds racing each other and orders: no deadlock, no lost update, a balanced ledger.

On PostgreSQL the feeds run as set-based statements on separate connections; both create the
same missing levels at once, so one waits on the other's inserts (``ON CONFLICT DO NOTHING``)
and then sets the levels the other created.
"""

import asyncio

import pytest

from orderyard.services import inventory as inventory_service
from orderyard.services.inventory import OnHandRow
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances

pytestmark = pytest.mark.concurrency

LOCATIONS = ("DC-1", "DC-2", "DC-3")
SKUS = ("A", "B", "C", "D", "E", "F")


def feed(on_hand: int, *, reverse: bool = False) -> list[OnHandRow]:
    pairs = [(loc, sku) for loc in LOCATIONS for sku in SKUS]
    if reverse:
        pairs.reverse()
    return [OnHandRow(n, loc, sku, on_hand) for n, (loc, sku) in enumerate(pairs, start=2)]


@pytest.fixture
async def catalog(make: Factory) -> Factory:
    for n, code in enumerate(LOCATIONS, start=1):
        await make.location(code, priority=n)
    for sku in SKUS:
        await make.item(sku)
    return make


async def test_two_feeds_creating_the_same_levels_leave_one_of_them_whole(
    catalog: Factory,
) -> None:
    await asyncio.gather(
        inventory_service.set_on_hand(catalog.uow(), feed(3)),
        inventory_service.set_on_hand(catalog.uow(), feed(5, reverse=True)),
    )

    async with catalog.uow() as uow:
        levels = await uow.stock.all_levels()
    assert len(levels) == len(LOCATIONS) * len(SKUS)
    assert {lv.on_hand for lv in levels.values()} in ({3}, {5})
    await assert_ledger_balances(catalog)


async def test_feeds_and_orders_together_never_oversell(catalog: Factory) -> None:
    await inventory_service.set_on_hand(catalog.uow(), feed(2))
    # Never below what the 4 orders per SKU can hold at one level, so no feed is refused.
    orders = [catalog.order((sku, 1), number=f"RACE-{n}-{sku}") for n in range(4) for sku in SKUS]

    await asyncio.gather(
        *orders,
        inventory_service.set_on_hand(catalog.uow(), feed(4)),
        inventory_service.set_on_hand(catalog.uow(), feed(5, reverse=True)),
    )

    async with catalog.uow() as uow:
        levels = await uow.stock.all_levels()
    assert all(0 <= lv.allocated <= lv.on_hand for lv in levels.values())
    assert sum(lv.allocated for lv in levels.values()) == 4 * len(SKUS)
    await assert_ledger_balances(catalog)
