"""Reject, reroute, cancel and ship racing over HTTP, exactly as clients send them.

The service-level race (``test_shipment_races.py``) proves the ledger and the orders stay
whole; this one proves the edge holds too: whatever PostgreSQL aborts is retried, so every
answer is a success or the dialect's own refusal (a shipment another call already closed is
a 409, a location that lost its stock a 409/400), never a 500, and afterwards both dialects
read the same order.
"""

import asyncio
from typing import Any

import httpx
import pytest

from orderyard.services.account import NewAccount
from tests.concurrency.test_shipment_races import LOCATIONS, _assert_consistent
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances

pytestmark = pytest.mark.concurrency

SHIPMENTS = "/v1/orderfulfillment/shipments"
REFUSALS = {400, 404, 409}
ROUNDS = 3


async def _placed_with_shipments(od: httpx.AsyncClient, number: str) -> tuple[int, list[int]]:
    body = {
        "ExternalOrderId": number,
        "ShippingMethod": "Pick",
        "OrderDetails": [{"Sku": "A", "Quantity": 6}, {"Sku": "B", "Quantity": 4}],
    }
    placed = await od.post("/v1/orders", json=body)
    assert placed.status_code == 201, placed.text
    created = await od.post(f"{SHIPMENTS}/CreateAllShipments", json={"ExternalOrderId": number})
    assert created.status_code == 201, created.text
    ids = [s["ShipmentId"] for s in created.json()["Shipments"]]
    split = await od.post(
        f"{SHIPMENTS}/SplitShipmentBySku", json={"ShipmentId": ids[0], "Skus": ["B"]}
    )
    if split.status_code == 200:
        ids += [s["ShipmentId"] for s in split.json()["Shipments"] if s["ShipmentId"] not in ids]
    return placed.json()["InternalOrderId"], ids


def _calls(
    od: httpx.AsyncClient, shipedge: dict[str, str], order_id: int, ids: list[int], cancel: bool
) -> list[Any]:
    first, second, *rest = ids + ids

    def ship(shipment_id: int) -> Any:
        return od.put(
            f"{SHIPMENTS}/Status",
            params={"ShipmentId": shipment_id},
            json={"ShipmentStatus": "Shipped"},
        )

    calls = [
        od.post(f"{SHIPMENTS}/Reject", json={"ShipmentId": first, "Reason": "flooded"}),
        od.post(
            f"{SHIPMENTS}/Reroute", json={"ShipmentId": second, "LocationInternalName": "DC-3"}
        ),
        ship(rest[0]),
        od.post(f"{SHIPMENTS}/Cancel", params={"Shipment": rest[1]}),
        ship(second),
    ]
    if cancel:
        calls.append(
            od.post("/apirest/v4/oms/orders/cancel", headers=shipedge, json={"order_id": order_id})
        )
    return calls


async def test_racing_shipment_calls_answer_success_or_refusal_and_keep_everything_whole(
    od: httpx.AsyncClient, make: Factory, account: NewAccount
) -> None:
    for priority, code in enumerate(LOCATIONS, start=1):
        await make.location(code, priority=priority)
    await make.item("A")
    await make.item("B")
    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    for round_no in range(ROUNDS):
        for code, on_hand in zip(LOCATIONS, (4, 4, 30), strict=True):
            await make.stock(code, "A", on_hand + round_no)
            await make.stock(code, "B", on_hand + round_no)
        orders = [await _placed_with_shipments(od, f"R{round_no}-{n}") for n in range(2)]

        answers = await asyncio.gather(
            *(
                call
                for n, (order_id, ids) in enumerate(orders)
                for call in _calls(od, shipedge, order_id, ids, cancel=(round_no + n) % 2 == 1)
            )
        )

        statuses = [answer.status_code for answer in answers]
        assert all(s < 300 or s in REFUSALS for s in statuses), [
            (a.status_code, a.text[:200]) for a in answers if a.status_code >= 500
        ]
        assert sum(s < 300 for s in statuses) >= len(orders)
        for order_id, _ in orders:
            await _assert_consistent(make, order_id)
            here = (await od.get("/v1/orders", params={"InternalOrderId": order_id})).json()
            there = await od.get(f"/apirest/v4/oms/orders/{order_id}", headers=shipedge)
            shipped = {d["Sku"]: d["ShippedQuantity"] for d in here["OrderDetails"]}
            assert shipped == {i["sku"]: i["shipped"] for i in there.json()["data"]["items"]}, (
                there.text
            )
        await assert_ledger_balances(make)
