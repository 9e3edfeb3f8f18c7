"""Health, readiness and Prometheus metrics at the server's root."""

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import insert, select, update

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.kit.clock import TestClock, utcnow
from orderyard.services import jobs as jobs_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from orderyard.store import migrate
from orderyard.store.engine import Engines, pass_gate
from orderyard.store.queries.operations import ALEMBIC_VERSION
from orderyard.store.tables import webhook_deliveries, webhook_subscriptions
from orderyard.store.uow import UnitOfWork
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def server(db_url: str, account: NewAccount) -> AsyncIterator[httpx.AsyncClient]:
    """The whole server in process, authenticated for ShipEdge."""
    app = create_app(Settings(database=DatabaseSettings(url=db_url)))
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t", headers=headers
    ) as http:
        yield http
    await app.state.orderyard.engines.dispose()


async def scrape(http: httpx.AsyncClient) -> Samples:
    """Every sample of ``/metrics`` by name and labels."""
    answer = await http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_healthz_answers_while_the_process_serves(server: httpx.AsyncClient) -> None:
    answer = await server.get("/healthz")

    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


async def test_readyz_answers_the_migration_the_database_is_at(server: httpx.AsyncClient) -> None:
    answer = await server.get("/readyz")

    assert (answer.status_code, answer.json()) == (
        200,
        {"status": "ready", "migration": migrate.head()},
    )


async def test_readyz_refuses_a_database_behind_the_code(
    server: httpx.AsyncClient, engines: Engines
) -> None:
    head = migrate.head()
    async with engines.write.begin() as conn:
        await conn.execute(update(ALEMBIC_VERSION).values(version_num="0001_initial"))
    try:
        answer = await server.get("/readyz")
    finally:
        async with engines.write.begin() as conn:
            await conn.execute(update(ALEMBIC_VERSION).values(version_num=head))

    assert answer.status_code == 503
    assert answer.json() == {
        "status": "unavailable",
        "reason": f"database at migration 0001_initial, the code at {head}",
    }


async def test_readyz_refuses_an_unreachable_database() -> None:
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    app = create_app(Settings(database=DatabaseSettings(url=url)))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        answer = await http.get("/readyz")
        health = await http.get("/healthz")
    await app.state.orderyard.engines.dispose()

    assert answer.status_code == 503
    assert answer.json()["reason"].startswith("database unreachable: ")
    assert health.status_code == 200


async def test_requests_are_counted_by_route_template_and_status(
    server: httpx.AsyncClient,
) -> None:
    route = f"{SHIPEDGE_ROOT}/orders/{{order}}"
    before = await scrape(server)

    await server.get(f"{SHIPEDGE_ROOT}/orders/123456")
    await server.get(f"{SHIPEDGE_ROOT}/orders/654321")
    await server.get("/no/such/path")
    after = await scrape(server)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "orderyard_http_requests_total"
    assert delta(requests, method="GET", route=route, status="404") == 2
    assert delta(requests, method="GET", route="other", status="404") == 1
    assert delta(requests, method="GET", route="/metrics", status="200") == 1
    latency = "orderyard_http_request_duration_seconds_count"
    assert delta(latency, method="GET", route=route) == 2


async def test_orders_placed_and_their_allocation_outcomes_are_counted(
    server: httpx.AsyncClient, make: Factory
) -> None:
    await make.location("DC-1")
    await make.item("PROD-001")
    await make.stock("DC-1", "PROD-001", 3)
    before = await scrape(server)

    bodies = [order_body("M-1"), order_body("M-2"), order_body("M-3", ("NOPE", 1))]
    placed = await server.post(f"{SHIPEDGE_ROOT}/orders", json={"data": bodies})
    after = await scrape(server)

    assert placed.status_code == 200
    placed_total = "orderyard_orders_placed_total"
    assert value(after, placed_total) - value(before, placed_total) == 2
    outcomes = "orderyard_order_allocations_total"
    for outcome, count in (("allocated", 1), ("partially_allocated", 1), ("backordered", 0)):
        found = value(after, outcomes, outcome=outcome) - value(before, outcomes, outcome=outcome)
        assert (outcome, found) == (outcome, count)


async def test_queue_gauges_are_read_at_scrape_time(
    server: httpx.AsyncClient,
    make: Factory,
    uow: UnitOfWork,
    engines: Engines,
    account: NewAccount,
    clock: TestClock,
) -> None:
    empty = await scrape(server)
    await make.location("WH1")
    await make.item("SKU-1")
    await jobs_service.submit_on_hand(uow, [("SKU-1", "WH1", 5)])
    await _pending_delivery(engines, account)
    clock.advance(timedelta(seconds=90))

    queued = await scrape(server)

    assert value(empty, "orderyard_jobs_queued") == 0
    assert value(empty, "orderyard_jobs_oldest_queued_seconds") == 0
    assert value(queued, "orderyard_jobs_queued") == 1
    assert value(queued, "orderyard_jobs_oldest_queued_seconds") == 90
    assert value(queued, "orderyard_webhook_deliveries_pending") == 1
    assert value(queued, "orderyard_webhook_deliveries_oldest_pending_seconds") == 90


async def _pending_delivery(engines: Engines, account: NewAccount) -> None:
    """A subscription with one delivery waiting, written now (the clock's now)."""
    async with engines.write.begin() as conn:
        await conn.execute(
            insert(webhook_subscriptions).values(
                account_id=account.account_id,
                url="https://example.com/hook",
                event_types="order.created",
                secret="s",
                dialect="shipedge",
                active=True,
                created_at=utcnow(),
            )
        )
        subscription = (await conn.execute(select(webhook_subscriptions.c.id))).scalar_one()
        await conn.execute(
            insert(webhook_deliveries).values(
                account_id=account.account_id,
                subscription_id=subscription,
                event_id=1,
                event_type="order.created",
                status="pending",
                next_try_at=utcnow(),
                created_at=utcnow(),
            )
        )


async def test_a_wait_for_a_pooled_connection_is_counted_and_timed() -> None:
    gate = asyncio.Semaphore(1)
    before = await _pool_samples()
    await pass_gate(gate)  # free: no wait

    waiting = asyncio.create_task(pass_gate(gate))
    await asyncio.sleep(0)
    gate.release()
    await waiting
    after = await _pool_samples()

    assert after[0] - before[0] == 1
    assert after[1] - before[1] == 1


async def _pool_samples() -> tuple[float, float]:
    from prometheus_client import REGISTRY

    waits = REGISTRY.get_sample_value("orderyard_pool_waits_total") or 0.0
    timed = REGISTRY.get_sample_value("orderyard_pool_wait_seconds_count") or 0.0
    return waits, timed


async def test_metrics_and_health_take_no_key(db_url: str) -> None:
    app = create_app(Settings(database=DatabaseSettings(url=db_url)))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        statuses = [(await http.get(p)).status_code for p in ("/healthz", "/readyz", "/metrics")]
    await app.state.orderyard.engines.dispose()

    assert statuses == [200, 200, 200]
