"""Reject, reroute, cancel and ship racing on the shipments of two orders over shared stock.

Every use case locks its order first, so one order's shipments take turns; the two orders'
calls meet on the stock levels (a reject releases at one location and takes at others, a
reroute takes at the new location and releases at the old one, shipping moves units out), in
orders PostgreSQL may find circular: it rolls one back and the use case runs again
(``retried_on_lock_cycles``). A refusal (a shipment another call already closed, a location
that lost its stock) is a domain error; nothing else may escape, and afterwards the ledger
rebuilds every level and each order's quantities agree with its allocations and shipments.
"""

import asyncio
from collections.abc import Coroutine
from typing import Any

import pytest

from orderyard.domain.errors import DomainError
from orderyard.domain.order import Order
from orderyard.domain.shipment import OPEN, ShipmentStatus
from orderyard.services import order as order_service
from orderyard.services import shipment as shipment_service
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, load_order

pytestmark = pytest.mark.concurrency

ROUNDS = 4
LOCATIONS = ("DC-1", "DC-2", "DC-3")


async def _order_with_shipments(make: Factory) -> tuple[int, list[int]]:
    placed = await make.order(("A", 6), ("B", 4))
    planned = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
    ids = [s.id for s in planned]
    if len(planned[0].lines) > 1:
        ids.append((await shipment_service.split_shipment(make.uow(), ids[0], skus=["B"])).id)
    return placed.order_id or 0, ids


def _calls(
    make: Factory, order_id: int, ids: list[int], cancel_order: bool
) -> list[Coroutine[Any, Any, object]]:
    first, second, *rest = ids + ids
    calls: list[Coroutine[Any, Any, object]] = [
        shipment_service.reject_shipment(make.uow(), first, "no stock on the shelf"),
        shipment_service.reroute_shipment(make.uow(), second, "DC-3"),
        shipment_service.ship_shipment(make.uow(), rest[0]),
        shipment_service.cancel_shipment(make.uow(), rest[1]),
        shipment_service.ship_shipment(make.uow(), second),
    ]
    if cancel_order:
        calls.append(order_service.cancel_orders(make.uow(), [order_id]))
    return calls


async def _assert_consistent(make: Factory, order_id: int) -> None:
    order: Order = await load_order(make, order_id)
    async with make.uow() as uow:
        allocations = await uow.orders.allocations_of(order_id)
        shipments = await uow.shipments.of_order(order_id)
    for line in order.lines:
        held = sum(a.quantity for a in allocations if a.order_line_id == line.id)
        shipped = sum(
            sl.quantity
            for s in shipments
            if s.status is ShipmentStatus.shipped
            for sl in s.lines
            if sl.order_line_id == line.id
        )
        assert line.allocated == held, line
        assert line.shipped == shipped, line
        assert line.shipped + line.cancelled <= line.quantity, line
        assert 0 <= line.allocated <= line.effective - line.shipped, line
    claims: dict[tuple[int, int], int] = {}
    for s in shipments:
        if s.status in OPEN:
            for sl in s.lines:
                key = (sl.order_line_id, s.location_id)
                claims[key] = claims.get(key, 0) + sl.quantity
    for (line_id, location_id), units in claims.items():
        held = sum(
            a.quantity
            for a in allocations
            if (a.order_line_id, a.location_id) == (line_id, location_id)
        )
        assert units <= held, (line_id, location_id)


async def test_reject_reroute_cancel_and_ship_keep_orders_and_ledger_whole(
    make: Factory,
) -> None:
    for priority, code in enumerate(LOCATIONS, start=1):
        await make.location(code, priority=priority)
    await make.item("A")
    await make.item("B")
    for round_no in range(ROUNDS):
        for code, on_hand in zip(LOCATIONS, (4, 4, 30), strict=True):
            await make.stock(code, "A", on_hand + round_no)
            await make.stock(code, "B", on_hand + round_no)
        orders = [await _order_with_shipments(make) for _ in range(2)]

        results = await asyncio.gather(
            *(
                call
                for n, (order_id, ids) in enumerate(orders)
                for call in _calls(make, order_id, ids, cancel_order=(round_no + n) % 2 == 1)
            ),
            return_exceptions=True,
        )

        escaped = [r for r in results if isinstance(r, BaseException)]
        assert [r for r in escaped if not isinstance(r, DomainError)] == []
        # Which calls find their shipment already closed depends on who locks the order
        # first; the first of each order's calls always finds it open and does its work.
        assert len(escaped) <= len(results) - len(orders)
        for order_id, _ in orders:
            await _assert_consistent(make, order_id)
        await assert_ledger_balances(make)
