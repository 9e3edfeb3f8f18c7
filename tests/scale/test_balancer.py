"""Three nodes behind haproxy, one killed with kill -9 under a load of keyed orders (issue 20).

Eight clients place ShipEdge orders through haproxy, each request with its Idempotency-Key,
each sent again (same key, same body) until answered. Each node runs its own job and webhook
worker. Mid-load, the webhook receiver holds its answers so that every node's worker is
mid-delivery, bulk jobs are queued through the balancer meanwhile, and a node seen posting a
webhook (by the port its post came from) is killed with ``kill -9``. (A worker runs jobs and
posts in turn, so the node killed mid-delivery holds no job; a node killed while it runs a
job is ``test_balancer_jobs.py``'s.)
Then: haproxy marks it DOWN and no request fails after that; every key is answered once and
names one order, and the orders are exactly the answered ones, whole, with their ledger
balanced; the jobs all complete, each count applied once; and every order's event is
delivered, those the dead node was posting by the others once its lease ended.

A request the dead node had committed but not answered stays "in progress" for its key's
lease (5 minutes, ``domain.idempotency.LEASE``); the test ages those keys in the database
instead of waiting, then sends them again: each is told it was carried out, never applied
twice. One the dead node had not committed left no key, and its retry ran at once.
"""

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import and_, func, select, update

from orderyard.domain.jobs import JobStatus
from orderyard.domain.webhooks import DeliveryStatus, public_event_id
from orderyard.kit.clock import utcnow
from orderyard.services import webhooks as webhooks_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.scope import same_account
from orderyard.store.tables import (
    events,
    idempotency_keys,
    inventory_movements,
    items,
    jobs,
    order_lines,
    orders,
)
from orderyard.store.tables import webhook_deliveries as deliveries
from orderyard.store.uow import UnitOfWork
from tests.factories import Factory
from tests.http.servers import ServerProcess
from tests.scale import tools
from tests.scale.balancer import Cluster, accepted_connections, balanced
from tests.scale.keyed_load import KeyedLoad
from tests.services.checks import assert_ledger_balances
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.postgres, pytest.mark.scale, pytest.mark.concurrency]
CLIENTS = 8
JOBS = 3
JOB_ROWS = 300
SLOW_REQUESTS = 9
"""Orders sent half, the rest after the kill: some are in flight on every node (round robin)."""
HOLD_SECONDS = 1.0
"""How long the receiver holds its answers before the kill: every node's worker claims the
deliveries due meanwhile and waits on them (well within the post's 10 s timeout)."""
TIME_LIMIT = 120.0
"""The whole test from the nodes' start (25 to 90 s here); every wait inside is bounded too."""
DRAIN_TIMEOUT = 45.0
"""The dead node's deliveries come back after their 15 s lease; its jobs after 2 s."""


async def test_a_node_killed_under_keyed_load_loses_no_order_doubles_none_and_leaves_no_work(
    make: Factory,
    uow: UnitOfWork,
    account: NewAccount,
    engines: Engines,
    db_url: str,
    tmp_path: Path,
) -> None:
    program = tools.require("haproxy")["haproxy"]
    rows = await make.catalog("DC-1", JOBS * JOB_ROWS)
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 1_000_000)
    receiver = await Receiver().start()
    try:
        await webhooks_service.subscribe(
            uow, webhooks_service.Subscribe(receiver.url, ["order.created"], "shipedge")
        )
        async with asyncio.timeout(TIME_LIMIT):
            with balanced(program, db_url, tmp_path) as cluster:
                load = KeyedLoad(cluster.origin, account, "SKU-1")
                kill = await kill_a_node_mid_load(cluster, load, receiver, rows)
                others = {cluster.name_of(node): "UP" for node in cluster.nodes}
                assert cluster.statuses() == {**others, kill.victim: "DOWN"}
                await answer_the_held_keys(load, engines, account)
                await wait_for_the_work(engines, account, kill.job_ids)
    finally:
        await receiver.stop()

    assert load.failures_after(kill.killed_at + kill.down_after) == []
    assert kill.down_after < 2.0, f"haproxy took {kill.down_after:.2f} s to mark it down"
    await assert_each_key_names_one_whole_order(make, load, engines)
    await assert_every_job_applied_each_count_once(engines, account, kill.job_ids)
    await assert_every_event_delivered(engines, account, receiver)


@dataclass(frozen=True)
class Kill:
    """Which node was killed, when (monotonic), how long haproxy took to see it, the jobs."""

    victim: str
    killed_at: float
    down_after: float
    job_ids: list[int]


async def kill_a_node_mid_load(
    cluster: Cluster, load: KeyedLoad, receiver: Receiver, rows: list[tuple[str, str, int]]
) -> Kill:
    """Load; hold the receiver, queue the jobs, kill a node mid-delivery and mid-request."""
    clients = [asyncio.create_task(load.client(i)) for i in range(CLIENTS)]
    release = asyncio.Event()
    try:
        await load.until(60)
        held_from = len(receiver.posts)
        receiver.hold()
        job_ids = await submit_jobs(cluster.origin, load.account, rows)
        async with httpx.AsyncClient(timeout=30) as http:
            slow = [
                asyncio.create_task(load.send(http, f"S-{n}", patient=True, held_until=release))
                for n in range(SLOW_REQUESTS)
            ]
            await asyncio.sleep(HOLD_SECONDS)
            posting = {post.sender_port for post in receiver.posts[held_from:]}
            victim = await asyncio.to_thread(busy_node, cluster, posting)
            before = len(load.failures)
            await asyncio.to_thread(victim.kill_9)
            killed_at = time.monotonic()
            release.set()
            receiver.release()
            down_after = await asyncio.to_thread(cluster.wait_until_down, victim)
            await asyncio.gather(*slow)
        assert len(load.failures) > before, "no request was in flight on the node"
        await load.until(len(load.answers) + 100)
    finally:
        release.set()
        load.stopping.set()
        await asyncio.gather(*clients)
    return Kill(cluster.name_of(victim), killed_at, down_after, job_ids)


def busy_node(cluster: Cluster, posting: set[int]) -> ServerProcess:
    """A node posting webhooks (from one of the ``posting`` ports) and serving a request that
    stays in flight (a connection open across 0.3 s: one of the half-sent ones)."""
    serving = {node: accepted_connections(node) for node in cluster.nodes}
    time.sleep(0.3)
    for node in cluster.nodes_connected_from(posting):
        if serving[node] & accepted_connections(node):
            return node
    raise AssertionError(f"no node both posting and serving a held request: {serving}")


async def submit_jobs(
    origin: str, account: NewAccount, rows: list[tuple[str, str, int]]
) -> list[int]:
    """Queue ``JOBS`` OrderDynamics BulkOnhand jobs through the balancer, each its own rows."""
    headers = {"Ocp-Apim-Subscription-Key": account.key}
    ids = []
    async with httpx.AsyncClient(timeout=30) as http:
        for n in range(JOBS):
            items = [
                {"Sku": sku, "LocationInternalName": location, "Quantity": quantity}
                for sku, location, quantity in rows[n * JOB_ROWS : (n + 1) * JOB_ROWS]
            ]
            response = await http.put(
                f"{origin}/v1/inventory/BulkOnhand",
                json={"Items": items},
                headers={**headers, "Idempotency-Key": f"job-{n}"},
            )
            assert response.status_code == 202, response.text
            ids.append(int(response.json()["JobId"]))
    return ids


async def answer_the_held_keys(load: KeyedLoad, engines: Engines, account: NewAccount) -> None:
    """Age the keys the dead node left unanswered (as 5 minutes would), then send again."""
    async with engines.write.begin() as conn:
        await conn.execute(
            update(idempotency_keys)
            .where(
                idempotency_keys.c.account_id == account.account_id,
                idempotency_keys.c.key.in_(list(load.held)),
                idempotency_keys.c.status.is_(None),
            )
            .values(lease_until=utcnow())
        )
    async with httpx.AsyncClient(timeout=30) as http:
        for number in list(load.held.values()):
            await load.send(http, number, patient=True)
    assert load.held == {}


async def wait_for_the_work(engines: Engines, account: NewAccount, job_ids: list[int]) -> None:
    """Until every job is closed and every order's event delivered (the survivors' work)."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        async with engines.write.connect() as conn:
            open_jobs = await conn.scalar(
                select(func.count()).where(
                    jobs.c.id.in_(job_ids), jobs.c.status != JobStatus.completed.value
                )
            )
            placed = await conn.scalar(
                select(func.count()).where(orders.c.account_id == account.account_id)
            )
            delivered = await conn.scalar(
                select(func.count()).where(
                    deliveries.c.account_id == account.account_id,
                    deliveries.c.status == DeliveryStatus.delivered.value,
                )
            )
        if open_jobs == 0 and delivered == placed:
            return
        assert time.monotonic() < deadline, f"{open_jobs} jobs open, {delivered}/{placed} sent"
        await asyncio.sleep(0.2)


async def assert_each_key_names_one_whole_order(
    make: Factory, load: KeyedLoad, engines: Engines
) -> None:
    """Each key answered once: a 200 naming its own order, or "carried out" for an order that
    exists; no other order; every order whole (one allocated line), its ledger balanced."""
    async with engines.write.connect() as conn:
        placed = dict(
            (
                await conn.execute(
                    select(orders.c.order_number, orders.c.id).where(
                        orders.c.account_id == make.account_id
                    )
                )
            ).all()
        )
        lines = dict(
            (
                await conn.execute(
                    select(order_lines.c.order_id, func.sum(order_lines.c.allocated))
                    .where(order_lines.c.account_id == make.account_id)
                    .group_by(order_lines.c.order_id)
                )
            ).all()
        )
        placed_events = await conn.scalar(
            select(func.count()).where(
                events.c.account_id == make.account_id, events.c.kind == "order_placed"
            )
        )
    answers = list(load.answers.values())
    ran = {a.number: a.order_id for a in answers if a.status == 200 and a.order_id is not None}
    told_carried_out = {a.number for a in answers if a.carried_out}
    assert len(ran) + len(told_carried_out) == len(answers), [
        a for a in answers if a.number not in ran and not a.carried_out
    ]
    assert len(set(ran.values())) == len(ran)
    assert {number: placed[number] for number in ran} == ran
    assert set(placed) == set(ran) | told_carried_out
    assert lines == dict.fromkeys(placed.values(), 1)
    assert placed_events == len(placed)
    await assert_ledger_balances(make)


async def assert_every_job_applied_each_count_once(
    engines: Engines, account: NewAccount, job_ids: list[int]
) -> None:
    """Every job completed with all its rows, each count recorded by one movement."""
    async with engines.write.connect() as conn:
        closed = (
            await conn.execute(
                select(jobs.c.status, jobs.c.applied_rows).where(jobs.c.id.in_(job_ids))
            )
        ).all()
        per_level = (
            await conn.execute(
                select(func.count())
                .select_from(inventory_movements)
                .join(
                    items,
                    and_(
                        items.c.id == inventory_movements.c.item_id,
                        same_account(items, inventory_movements),
                    ),
                )
                .where(
                    inventory_movements.c.account_id == account.account_id,
                    items.c.sku.like("S-%"),
                )
                .group_by(inventory_movements.c.location_id, inventory_movements.c.item_id)
            )
        ).scalars()
        per_level_counts = list(per_level)
    assert sorted(tuple(row) for row in closed) == [(JobStatus.completed.value, JOB_ROWS)] * JOBS
    assert len(per_level_counts) == JOBS * JOB_ROWS
    assert set(per_level_counts) == {1}


async def assert_every_event_delivered(
    engines: Engines, account: NewAccount, receiver: Receiver
) -> None:
    """Every order's event posted and answered 200; some taken over from the dead node."""
    async with engines.write.connect() as conn:
        sent = (
            await conn.execute(
                select(deliveries.c.event_id, deliveries.c.status, deliveries.c.attempts).where(
                    deliveries.c.account_id == account.account_id
                )
            )
        ).all()
        rows = list(sent)
    posted = {post.document["id"] for post in receiver.posts}
    assert {status for _, status, _ in rows} == {DeliveryStatus.delivered.value}
    assert {public_event_id(event_id) for event_id, _, _ in rows} <= posted
    taken_over = [event_id for event_id, _, attempts in rows if attempts > 1]
    assert taken_over, "the dead node was sending no delivery when it was killed"
