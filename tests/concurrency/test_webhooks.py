"""Webhooks on PostgreSQL: the worker killed with kill -9 in the middle of deliveries."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from orderyard.dialects.webhooks import RENDERERS
from orderyard.domain.values import PageRequest
from orderyard.domain.webhooks import DeliveryStatus
from orderyard.kit.clock import frozen_at
from orderyard.services import webhooks as service
from orderyard.services.order.change import cancel_orders
from orderyard.services.webhook_delivery import WebhookSender, deliver_due
from orderyard.store.engine import Engines, create_engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.webhooks.receiver import Receiver, verified

pytestmark = [pytest.mark.concurrency, pytest.mark.postgres]
ORDERS = 40


async def test_a_worker_killed_mid_delivery_loses_no_event_and_keeps_each_orders_order(
    make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork, engines: Engines, db_url: str
) -> None:
    receiver = await Receiver(fail_first=3, delay=0.02).start()
    try:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 1000)
        types = ["order.created", "order.cancelled"]
        sub = await service.subscribe(uow, service.Subscribe(receiver.url, types, "shipedge"))
        ids = [(await make.order(("SKU-1", 1))).order_id or 0 for _ in range(ORDERS)]
        await cancel_orders(make.uow(), ids[::2])
        expected = ORDERS + ORDERS // 2

        posted_before_kill = await kill_worker_mid_delivery(receiver, db_url, at_least=10)
        assert posted_before_kill < expected, "the worker was not killed mid-delivery"
        await drain_after_the_lease(engines, receiver, expected)
    finally:
        await receiver.stop()

    assert all(verified(sub.secret, post) for post in receiver.posts)
    unique = {post.document["id"]: post.document for post in receiver.accepted()}
    assert len(unique) == expected
    per_order: dict[int, list[str]] = {}
    seen: set[str] = set()
    for post in receiver.accepted():  # what a receiver de-duplicating by id keeps
        document = post.document
        if document["id"] not in seen:
            seen.add(document["id"])
            per_order.setdefault(document["data"]["order_id"], []).append(document["type"])
    assert per_order == {
        order_id: ["order.created", "order.cancelled"] if i % 2 == 0 else ["order.created"]
        for i, order_id in enumerate(ids)
    }
    log = await service.deliveries(read_uow, sub.id, PageRequest(per_page=100))
    assert {d.status for d in log.items} == {DeliveryStatus.delivered}


async def kill_worker_mid_delivery(receiver: Receiver, db_url: str, *, at_least: int) -> int:
    """Start ``orderyard worker``, kill -9 it once ``at_least`` posts arrived; posts by then."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ORDERYARD_")},
        "ORDERYARD_DATABASE__URL": db_url,
        "ORDERYARD_JOB_POLL_SECONDS": "0.05",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from orderyard.cli import main; main()", "worker"], env=env
    )
    try:
        deadline = time.monotonic() + 30
        while len(receiver.posts) < at_least:
            assert time.monotonic() < deadline, "the worker never posted"
            await asyncio.sleep(0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    return len({post.document["id"] for post in receiver.accepted()})


async def drain_after_the_lease(engines: Engines, receiver: Receiver, expected: int) -> None:
    """Send what is left as another worker would, an hour on (past leases and retries)."""
    with frozen_at(datetime.now(UTC) + timedelta(hours=1)) as clock:
        for _ in range(200):
            if not await deliver_due(engines, WebhookSender(RENDERERS)):
                await asyncio.sleep(0.02)  # another session's transaction may hold the fan-out
            if len({post.document["id"] for post in receiver.accepted()}) == expected:
                await deliver_due(engines, WebhookSender(RENDERERS))
                return
            clock.advance(timedelta(minutes=15))
    raise AssertionError("events still undelivered")


async def test_two_workers_racing_send_each_event_once_and_each_orders_events_in_order(
    make: Factory, uow: UnitOfWork, engines: Engines, db_url: str
) -> None:
    receiver = await Receiver().start()
    try:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 1000)
        types = ["order.created", "order.cancelled"]
        await service.subscribe(uow, service.Subscribe(receiver.url, types, "shipedge"))
        ids = [(await make.order(("SKU-1", 1))).order_id or 0 for _ in range(ORDERS)]
        await cancel_orders(make.uow(), ids)
        other = create_engines(db_url, pool_size=3)
        try:
            await asyncio.gather(
                *(send_until(e, receiver, 2 * ORDERS, batch=7) for e in (engines, other))
            )
        finally:
            await other.dispose()
    finally:
        await receiver.stop()

    documents = [post.document for post in receiver.posts]
    assert len({d["id"] for d in documents}) == len(documents) == 2 * ORDERS
    per_order: dict[int, list[str]] = {}
    for document in documents:
        per_order.setdefault(document["data"]["order_id"], []).append(document["type"])
    assert per_order == {order_id: ["order.created", "order.cancelled"] for order_id in ids}


async def send_until(engines: Engines, receiver: Receiver, expected: int, *, batch: int) -> None:
    """One worker's passes, small batches so that the two interleave, until all arrived."""
    sender = WebhookSender(RENDERERS, batch=batch)
    deadline = time.monotonic() + 30
    try:
        while len(receiver.posts) < expected:
            assert time.monotonic() < deadline, "events still undelivered"
            if not await deliver_due(engines, sender):
                await asyncio.sleep(0.01)
    finally:
        await sender.aclose()
