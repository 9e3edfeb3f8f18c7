"""Stock assertions shared by the fulfilment service tests."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from sqlalchemy import Table, func, select

from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import Order
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.store.engine import Engines, create_engines
from orderyard.store.tables import inventory_movements, metadata
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory


async def level(make: Factory, location: str, sku: str) -> tuple[int, int]:
    """``(on_hand, allocated)`` of one SKU at one location; ``(0, 0)`` when never stocked."""
    async with make.uow() as uow:
        location_id = (await uow.locations.ids_by_code([location]))[location]
        item_id = (await uow.catalog.item_ids([sku]))[sku]
        found = (await uow.stock.levels([(location_id, item_id)])).get((location_id, item_id))
    return (0, 0) if found is None else (found.on_hand, found.allocated)


async def assert_ledger_balances(make: Factory) -> None:
    """The ledger rebuilds every stock level of the account exactly.

    A movement naming a level that does not exist fails this too (its key is in ``totals``
    only): the ledger has no foreign keys, so this is what guards them.
    """
    async with make.uow() as uow:
        totals = await uow.stock.ledger_totals()
        levels = await uow.stock.all_levels()
    assert totals == {
        key: (lv.on_hand, lv.allocated)
        for key, lv in levels.items()
        if (lv.on_hand, lv.allocated) != (0, 0) or key in totals
    }


async def load_order(make: Factory, order_id: int | None) -> Order:
    """The order as stored now."""
    async with make.uow() as uow:
        order = await uow.orders.load(order_id or 0)
    assert order is not None
    return order


async def ledger(make: Factory) -> list[Movement]:
    """Every movement of the account, oldest first (tests read the table directly)."""
    async with make.uow() as uow:
        rows = await uow.conn.execute(
            select(inventory_movements)
            .where(inventory_movements.c.account_id == make.account_id)
            .order_by(inventory_movements.c.id)
        )
    return [
        Movement(
            r.location_id,
            r.item_id,
            MovementReason(r.reason),
            on_hand_delta=r.on_hand_delta,
            allocated_delta=r.allocated_delta,
            order_id=r.order_id,
            reference=r.reference,
        )
        for r in rows
    ]


async def count_rows(make: Factory, table: str) -> int:
    """How many rows of ``table`` belong to the account (tests read the table directly)."""
    rows: Table = metadata.tables[table]
    async with make.uow() as uow:
        found = await uow.conn.execute(
            select(func.count()).where(rows.c.account_id == make.account_id)
        )
    return int(found.scalar_one())


@asynccontextmanager
async def fresh_account(
    db_url: str, locations: Sequence[str], skus: Sequence[str]
) -> AsyncIterator[tuple[Engines, AccountId]]:
    """A new account with ``locations`` (priority in their order) and ``skus``, for a
    hypothesis example that cannot use function-scoped fixtures."""
    engines = create_engines(db_url, pool_size=2)
    try:
        account = await account_service.create_account(
            SystemUnitOfWork(engines.write), "Example", shipping_methods=("Pick",)
        )
        make = Factory(engines, account.account_id)
        for priority, code in enumerate(locations, start=1):
            await make.location(code, priority=priority)
        for sku in skus:
            await make.item(sku)
        yield engines, account.account_id
    finally:
        await engines.dispose()
