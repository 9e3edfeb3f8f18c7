"""Concurrent fulfilment calls never move stock twice, on both backends.

As in ``test_last_units``, two app instances (or two engines) share the database the way two
server processes would.
"""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.domain.errors import DomainError
from orderyard.domain.values import AccountId
from orderyard.services import shipment as shipment_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from orderyard.store.engine import create_engines
from orderyard.store.uow import UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, level, load_order

pytestmark = pytest.mark.concurrency

REQUESTS = 12


@pytest.fixture
async def pair(db_url: str, account: NewAccount) -> AsyncIterator[list[httpx.AsyncClient]]:
    apps: list[FastAPI] = [
        create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=8))) for _ in range(2)
    ]
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=f"http://orderyard.test{SHIPEDGE_ROOT}",
            headers=headers,
        )
        for app in apps
    ]
    yield clients
    for client in clients:
        await client.aclose()
    for app in apps:
        await app.state.orderyard.engines.dispose()


async def test_concurrent_returns_never_exceed_what_shipped(
    make: Factory, pair: list[httpx.AsyncClient]
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 3)
    placed = await make.order(("SKU-1", 3))
    await make.ship(placed.order_id or 0)
    body = {"data": [{"order_id": placed.order_id, "items": [{"sku": "SKU-1", "quantity": 1}]}]}

    responses = await asyncio.gather(
        *(pair[n % 2].post("/inventory/returns", json=body) for n in range(REQUESTS))
    )

    assert sorted(r.status_code for r in responses) == [200] * 3 + [400] * (REQUESTS - 3)
    assert (await load_order(make, placed.order_id)).lines[0].returned == 3


async def test_concurrent_receipts_of_one_cumulative_count_add_stock_once(
    make: Factory, pair: list[httpx.AsyncClient]
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    created = await pair[0].post(
        "/inventory/replenishments",
        json={
            "data": [{"items": [{"sku": "SKU-1", "quantity": 5}], "distribution_center": "DC-1"}]
        },
    )
    replenishment_id = created.json()["data"][0]["replenishment_id"]
    body = {
        "data": [{"replenishment_id": replenishment_id, "items": [{"sku": "SKU-1", "received": 5}]}]
    }

    responses = await asyncio.gather(
        *(pair[n % 2].patch("/inventory/replenishments", json=body) for n in range(REQUESTS))
    )

    assert [r.status_code for r in responses] == [200] * REQUESTS
    assert await level(make, "DC-1", "SKU-1") == (5, 0)
    await assert_ledger_balances(make)


async def test_a_shipment_shipped_twice_at_once_moves_stock_once(
    make: Factory, db_url: str, account: NewAccount
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    placed = await make.order(("SKU-1", 2))
    shipment = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
    engines = [create_engines(db_url, pool_size=2) for _ in range(2)]

    async def ship(n: int) -> bool:
        uow = UnitOfWork(engines[n % 2].write, AccountId(account.account_id))
        try:
            await shipment_service.ship_shipment(uow, shipment.id)
        except DomainError:
            return False
        return True

    try:
        shipped = await asyncio.gather(*(ship(n) for n in range(4)))
    finally:
        for created in engines:
            await created.dispose()

    assert sorted(shipped) == [False, False, False, True]
    assert await level(make, "DC-1", "SKU-1") == (3, 0)
    await assert_ledger_balances(make)
