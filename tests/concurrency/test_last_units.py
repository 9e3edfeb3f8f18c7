"""Concurrent requests racing for the last units never oversell, on both backends.

Two app instances share the database, as two server processes would: on PostgreSQL each has
its own connection pool; on SQLite each has its own write connection and they contend through
``BEGIN IMMEDIATE``.
"""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory

pytestmark = pytest.mark.concurrency

REQUESTS = 50
UNITS = 10


@pytest.fixture
async def apps(db_url: str) -> AsyncIterator[list[FastAPI]]:
    created = [
        create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=8))) for _ in range(2)
    ]
    yield created
    for app in created:
        await app.state.orderyard.engines.dispose()


def clients(apps: list[FastAPI], account: NewAccount) -> list[httpx.AsyncClient]:
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    return [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=f"http://orderyard.test{SHIPEDGE_ROOT}",
            headers=headers,
        )
        for app in apps
    ]


async def assert_ledger_balances(make: Factory) -> None:
    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
        ledger = await uow.stock.ledger_totals()
    assert {key: (lv.on_hand, lv.allocated) for key, lv in levels.items()} == ledger
    assert all(0 <= lv.allocated <= lv.on_hand for lv in levels.values())


async def test_fifty_orders_for_the_last_ten_units_allocate_exactly_ten(
    make: Factory, apps: list[FastAPI], account: NewAccount
) -> None:
    await make.location("DC-1")
    await make.item("LAST")
    await make.stock("DC-1", "LAST", UNITS)
    pair = clients(apps, account)

    responses = await asyncio.gather(
        *(
            pair[n % 2].post("/orders", json={"data": [order_body(f"R-{n}", ("LAST", 1))]})
            for n in range(REQUESTS)
        )
    )

    assert [r.status_code for r in responses] == [200] * REQUESTS
    statuses = Counter(r.json()["data"][0]["status"] for r in responses)
    assert statuses == {"Processing": UNITS, "Backorder": REQUESTS - UNITS}
    async with make.uow() as uow:
        [level] = (await uow.stock.all_levels()).values()
    assert (level.on_hand, level.allocated) == (UNITS, UNITS)
    await assert_ledger_balances(make)
    for client in pair:
        await client.aclose()


async def test_orders_taking_several_levels_in_opposite_orders_never_deadlock_or_oversell(
    make: Factory, apps: list[FastAPI], account: NewAccount
) -> None:
    """Each order takes from two locations per SKU and lists its SKUs in one of two orders, so
    two orders want the same levels in opposite line orders: the levels must still be locked
    in one order (no deadlock, which would surface as a 500) and never oversold."""
    await make.location("DC-1", priority=1)
    await make.location("DC-2", priority=2)
    for sku in ("A", "B"):
        await make.item(sku)
        await make.stock("DC-1", sku, 6)
        await make.stock("DC-2", sku, 6)
    pair = clients(apps, account)

    def lines(n: int) -> tuple[tuple[str, int], ...]:
        return (("A", 4), ("B", 4)) if n % 2 else (("B", 4), ("A", 4))

    responses = await asyncio.gather(
        *(
            pair[n % 2].post("/orders", json={"data": [order_body(f"L-{n}", *lines(n))]})
            for n in range(REQUESTS // 2)
        )
    )

    assert [r.status_code for r in responses] == [200] * (REQUESTS // 2)
    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
    assert sorted((lv.on_hand, lv.allocated) for lv in levels.values()) == [(6, 6)] * 4
    await assert_ledger_balances(make)
    for client in pair:
        await client.aclose()


async def test_concurrent_cancels_hand_stock_to_backorders_without_overselling(
    make: Factory, apps: list[FastAPI], account: NewAccount
) -> None:
    await make.location("DC-1")
    await make.location("DC-2", priority=2)
    await make.item("HOT")
    await make.stock("DC-1", "HOT", 6)
    await make.stock("DC-2", "HOT", 4)
    pair = clients(apps, account)
    first = [
        await pair[0].post("/orders", json={"data": [order_body(f"A-{n}", ("HOT", 2))]})
        for n in range(5)
    ]
    waiting = [
        await pair[1].post("/orders", json={"data": [order_body(f"W-{n}", ("HOT", 1))]})
        for n in range(10)
    ]
    ids = [r.json()["data"][0]["order_id"] for r in first]

    cancels = [
        pair[n % 2].post("/orders/cancel", json={"order_id": oid}) for n, oid in enumerate(ids[:3])
    ]
    orders = [
        pair[n % 2].post("/orders", json={"data": [order_body(f"N-{n}", ("HOT", 1))]})
        for n in range(10)
    ]
    results = await asyncio.gather(*cancels, *orders)

    assert [r.status_code for r in results] == [200] * 13
    assert all(r.json()["data"][0]["status"] == "Backorder" for r in waiting)
    async with make.uow() as uow:
        levels = list((await uow.stock.all_levels()).values())
    assert sum(lv.allocated for lv in levels) == 10
    await assert_ledger_balances(make)
    for client in pair:
        await client.aclose()
