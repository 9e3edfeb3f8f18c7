"""Pre-order releases racing new pre-orders and cancellations neither double-allocate nor skip.

Two app instances share the database, as two server processes would. On PostgreSQL every
request runs at once on its own connection; the waves' row locks order them. On SQLite they
contend through ``BEGIN IMMEDIATE``.
"""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from orderyard.app import create_app
from orderyard.kit.clock import TestClock
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from tests.factories import Factory

pytestmark = pytest.mark.concurrency

RELEASE_ITEM = "/preorder/sequences/releaseiteminpreorders/v1/"


@pytest.fixture
async def apps(db_url: str) -> AsyncIterator[list[FastAPI]]:
    created = [
        create_app(Settings(database=DatabaseSettings(url=db_url, pool_size=8))) for _ in range(2)
    ]
    yield created
    for app in created:
        await app.state.orderyard.engines.dispose()


def clients(apps: list[FastAPI], account: NewAccount) -> list[httpx.AsyncClient]:
    return [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://orderyard.test",
            headers={"Ocp-Apim-Subscription-Key": account.key},
        )
        for app in apps
    ]


def order(number: str) -> dict[str, object]:
    return {"ExternalOrderId": number, "OrderDetails": [{"Sku": "P-1", "Quantity": 1}]}


async def test_a_release_racing_new_preorders_and_cancels_serves_in_order_exactly_once(
    make: Factory, apps: list[FastAPI], account: NewAccount, clock: TestClock
) -> None:
    await make.location("WH1")
    await make.item("P-1")
    pair = clients(apps, account)
    wave = {"ItemId": "P-1", "InventoryLocationId": "WH1", "PlannedQuantity": 40,
            "ReleaseDateTimeUtc": "2026-12-20T00:00:00Z"}  # fmt: skip
    assert (await pair[0].post("/preorder/waves/v1/", json=wave)).status_code == 201
    for n in range(20):
        assert (await pair[0].post("/v1/orders", json=order(f"A-{n}"))).status_code == 201
    await make.stock("WH1", "P-1", 15)

    racing = [
        *(pair[n % 2].post(RELEASE_ITEM, json={"ItemId": "P-1"}) for n in range(3)),
        *(pair[n % 2].post("/v1/orders", json=order(f"B-{n}")) for n in range(10)),
        *(
            pair[n % 2].post("/v1/orders/Cancel", params={"ExternalOrderId": f"A-{n * 3}"})
            for n in range(5)
        ),
    ]
    responses = await asyncio.gather(*racing)
    assert [r.status_code for r in responses] == [200] * 3 + [201] * 10 + [200] * 5
    final = await pair[0].post(RELEASE_ITEM, json={"ItemId": "P-1"})
    assert final.status_code == 200, final.text

    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
        ledger = await uow.stock.ledger_totals()
        item_id = (await uow.catalog.item_ids(["P-1"]))["P-1"]
        [found] = await uow.preorders.waves_of_item(item_id, None)
        places = sorted(await uow.preorders.lines_in([found.id]), key=lambda p: p.position)
        all_places = await uow.preorders.lines_of_orders(range(1, 10_000))
        orders = await uow.orders.load_many(list(range(1, 10_000)))
    [level] = levels.values()
    assert {key: (lv.on_hand, lv.allocated) for key, lv in levels.items()} == ledger
    assert level.on_hand == 15
    assert level.allocated <= level.on_hand  # never two orders on one unit
    assert level.allocated == sum(line.allocated for o in orders for line in o.lines)
    assert all(
        line.allocated + line.preordered <= line.effective for o in orders for line in o.lines
    )
    assert level.reserved == found.sequenced == sum(p.quantity for p in places)
    free = level.on_hand - level.allocated
    assert not places or free < places[0].quantity  # nothing skipped while stock was free
    by_position = sorted(all_places, key=lambda p: p.position)
    alive = [bool(p.released) for p in by_position if p.quantity or p.released]
    assert alive == sorted(alive, reverse=True)  # served strictly in sequence order
