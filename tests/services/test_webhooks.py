"""Webhooks end to end against a real HTTP receiver: fan-out, signing, retries, order, log."""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from orderyard.dialects.webhooks import RENDERERS
from orderyard.domain.order import HoldState
from orderyard.domain.values import PageRequest
from orderyard.domain.webhooks import MAX_ATTEMPTS, DeliveryStatus
from orderyard.kit.clock import TestClock, utcnow
from orderyard.services import webhooks as service
from orderyard.services.order.change import cancel_orders, update_orders
from orderyard.services.order.commands import OrderRef, UpdateOrder
from orderyard.services.webhook_delivery import (
    LEASE,
    SHORTEST_LEASE,
    WebhookSender,
    deliver_due,
    lease_like_jobs,
)
from orderyard.store.engine import Engines
from orderyard.store.tables import events, webhook_cursor
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.webhooks.receiver import Receiver, verified

ORDER_TYPES = ["order.created", "order.cancelled", "shipment.created"]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    started = await Receiver(fail_first=3).start()
    yield started
    await started.stop()


async def stocked(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 100)


async def drain(engines: Engines, clock: TestClock, *, passes: int = 60) -> datetime:
    """Run the worker's webhook pass, moving the clock 15 min each time, until 3 h idle.

    Returns the clock's time at the last post. On PostgreSQL the fan-out reads an event once
    every transaction older than it has ended, on the whole server (``WebhookQueue``): an idle
    pass counts only once it has read past the last event written.
    """
    await fanned_out(engines)
    sender = WebhookSender(RENDERERS)
    idle, last_post = 0, clock.now
    deadline = time.monotonic() + 60
    while passes and time.monotonic() < deadline:
        if await deliver_due(engines, sender):
            idle, last_post = 0, clock.now
        elif not await read_past_every_event(engines):
            await asyncio.sleep(0.01)  # another session's transaction is still open
            continue
        else:
            idle += 1
        if idle >= 12:
            return last_post
        clock.advance(timedelta(minutes=15))
        passes -= 1
    raise AssertionError("deliveries still due after every pass")


async def fanned_out(engines: Engines) -> None:
    """Queue every event's deliveries, waiting for other sessions' transactions to end."""
    deadline = time.monotonic() + 30
    while True:
        async with SystemUnitOfWork(engines.write) as system:
            await system.webhook_queue.fan_out(utcnow())
            await system.commit()
        if await read_past_every_event(engines):
            return
        assert time.monotonic() < deadline, "the fan-out never read past the events"
        await asyncio.sleep(0.01)


async def read_past_every_event(engines: Engines) -> bool:
    async with SystemUnitOfWork(engines.read) as system:
        conn = system.conn
        if conn.dialect.name != "postgresql":
            return True
        newest = (await conn.execute(select(func.max(events.c.xid)))).scalar_one()
        cursor = (await conn.execute(select(webhook_cursor.c.position))).scalar_one()
    return newest is None or cursor > newest


async def test_every_event_arrives_signed_in_order_per_order_though_the_first_three_fail(
    make: Factory,
    uow: UnitOfWork,
    read_uow: ReadUnitOfWork,
    engines: Engines,
    receiver: Receiver,
    clock: TestClock,
) -> None:
    await stocked(make)
    sub = await service.subscribe(
        uow, service.Subscribe(receiver.url, ORDER_TYPES, "orderdynamics")
    )
    placed = [await make.order(("SKU-1", 1)) for _ in range(4)]
    order_ids = [outcome.order_id for outcome in placed]
    await cancel_orders(make.uow(), [order_ids[0], order_ids[2]])

    await drain(engines, clock)

    assert len(receiver.posts) >= 6 + 3
    assert all(verified(sub.secret, post) for post in receiver.posts)
    unique = {post.document["id"]: post.document for post in receiver.accepted()}
    assert len(unique) == 6
    per_order: dict[int, list[str]] = {}
    for post in receiver.accepted():
        document = post.document
        per_order.setdefault(document["data"]["InternalOrderId"], []).append(document["type"])
    assert per_order == {
        order_ids[0]: ["order.created", "order.cancelled"],
        order_ids[1]: ["order.created"],
        order_ids[2]: ["order.created", "order.cancelled"],
        order_ids[3]: ["order.created"],
    }
    log = await service.deliveries(read_uow, sub.id, PageRequest(per_page=50))
    assert {d.status for d in log.items} == {DeliveryStatus.delivered}
    assert sum(d.attempts for d in log.items) == len(receiver.posts)
    assert all(d.response_code == 200 and d.latency_ms is not None for d in log.items)


async def test_a_failing_delivery_holds_back_the_later_ones_of_its_order(
    make: Factory,
    uow: UnitOfWork,
    read_uow: ReadUnitOfWork,
    engines: Engines,
    receiver: Receiver,
    clock: TestClock,
) -> None:
    await stocked(make)
    sub = await service.subscribe(uow, service.Subscribe(receiver.url, ORDER_TYPES, "shipedge"))
    placed = await make.order(("SKU-1", 1))
    await cancel_orders(make.uow(), [placed.order_id or 0])
    sender = WebhookSender(RENDERERS)
    await fanned_out(engines)

    assert await deliver_due(engines, sender) == 1

    log = await service.deliveries(read_uow, sub.id, PageRequest())
    by_type = {d.event_type: d for d in log.items}
    assert by_type["order.created"].status is DeliveryStatus.pending
    assert by_type["order.created"].response_code == 500
    assert by_type["order.created"].next_try_at is not None
    assert by_type["order.cancelled"].attempts == 0
    assert [p.document["type"] for p in receiver.posts] == ["order.created"]
    assert receiver.posts[0].document["data"]["order_id"] == placed.order_id


async def test_an_endpoint_that_keeps_failing_is_given_up_after_eight_tries_and_disabled(
    make: Factory,
    uow: UnitOfWork,
    read_uow: ReadUnitOfWork,
    engines: Engines,
    receiver: Receiver,
    clock: TestClock,
) -> None:
    receiver.fail_first = 10_000
    await stocked(make)
    sub = await service.subscribe(
        uow, service.Subscribe(receiver.url, ["order.created"], "shipedge")
    )
    for _ in range(3):
        await make.order(("SKU-1", 1))
    started = clock.now

    last_post = await drain(engines, clock, passes=200)

    log = await service.deliveries(read_uow, sub.id, PageRequest())
    assert [(d.status, d.attempts) for d in log.items] == [
        (DeliveryStatus.failed, MAX_ATTEMPTS)
    ] * 3
    assert len(receiver.posts) == 3 * MAX_ATTEMPTS
    assert timedelta(hours=3) <= last_post - started <= timedelta(hours=6)
    disabled = await service.get_subscription(read_uow, sub.id)
    assert not disabled.active
    assert "3 deliveries in a row failed 8 tries" in disabled.disabled_reason


async def test_a_hold_and_its_release_are_sent_as_held_then_resumed_then_allocated(
    make: Factory, uow: UnitOfWork, engines: Engines, receiver: Receiver, clock: TestClock
) -> None:
    receiver.fail_first = 0
    await stocked(make)
    types = ["order.held", "order.resumed", "order.allocated"]
    await service.subscribe(uow, service.Subscribe(receiver.url, types, "orderdynamics"))
    placed = await make.order(("SKU-1", 1))
    ref = OrderRef("id", placed.order_id or 0)

    for hold in (HoldState.hold, HoldState.none):
        [done] = await update_orders(make.uow(), [UpdateOrder(ref, hold=hold, hold_reason="fraud")])
        assert done.error is None
    await drain(engines, clock)

    assert [post.document["type"] for post in receiver.posts] == [
        "order.held",
        "order.resumed",
        "order.allocated",
    ]
    held = receiver.posts[0].document["data"]
    assert (held["InternalOrderId"], held["Hold"], held["Reason"]) == (
        placed.order_id,
        "hold",
        "fraud",
    )


async def test_a_delivery_leased_by_a_worker_that_died_is_sent_by_another_after_a_short_lease(
    make: Factory, uow: UnitOfWork, engines: Engines, receiver: Receiver, clock: TestClock
) -> None:
    await stocked(make)
    await service.subscribe(uow, service.Subscribe(receiver.url, ["order.created"], "shipedge"))
    await make.order(("SKU-1", 1))
    lease = lease_like_jobs(timedelta(seconds=2))
    async with SystemUnitOfWork(engines.write) as system:  # a worker claims it, then dies
        await system.webhook_queue.fan_out(utcnow())
        assert len(await system.webhook_queue.claim(utcnow(), lease=lease, limit=10)) == 1
        await system.commit()
    sender = WebhookSender(RENDERERS, lease=lease)
    try:
        clock.advance(lease - timedelta(seconds=1))
        assert await deliver_due(engines, sender) == 0
        clock.advance(timedelta(seconds=2))
        assert await deliver_due(engines, sender) == 1
    finally:
        await sender.aclose()

    assert len(receiver.posts) == 1
    assert receiver.posts[0].document["attempt"] == 2
    assert lease == SHORTEST_LEASE == timedelta(seconds=15)
    assert lease_like_jobs(timedelta(seconds=60)) == LEASE
