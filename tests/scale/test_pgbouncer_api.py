"""The whole order API through PgBouncer in transaction mode, served by two processes.

Both ``orderyard serve`` processes reach the test database through one PgBouncer (10 server
connections) with ``ORDERYARD_DATABASE__PREPARED_STATEMENTS=false``; an order is read, replayed
or cancelled on the other process than the one that created it. The requests take both store
paths: a one-statement placement, a key's claim and get order on the driver; the lists, a
two-location placement and cancel through SQLAlchemy.
"""

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.kit.clock import utcnow
from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_orders import order_body as od_order_body
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory
from tests.http.servers import SERVE, Served, environment, serving
from tests.scale.pgbouncer import Bouncer, assert_clean, session_states, started_bouncer
from tests.services.checks import assert_ledger_balances, level

pytestmark = [pytest.mark.postgres, pytest.mark.scale]

SETTINGS = {
    "ORDERYARD_DATABASE__PREPARED_STATEMENTS": "false",
    "ORDERYARD_DATABASE__POOL_SIZE": "4",
    "ORDERYARD_RATE_LIMIT__ENABLED": "false",
}
"""Two processes of 4 connections each share PgBouncer's 10 server connections."""
BOUND_SECONDS = 60
LAST_UNITS = 15
BUYERS = 48


@contextlib.contextmanager
def two_servers_through(bouncer: Bouncer, workdir: Path) -> Iterator[tuple[Served, Served]]:
    """Two ``orderyard serve`` processes on the test database through ``bouncer``."""
    with (
        serving(workdir, bouncer.url(), SETTINGS) as one,
        serving(workdir, bouncer.url(), SETTINGS) as two,
    ):
        yield one, two


@contextlib.asynccontextmanager
async def clients(
    servers: tuple[Served, Served], account: NewAccount
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    headers = {
        "AccountID": str(account.account_id),
        "Key": account.key,
        "Ocp-Apim-Subscription-Key": account.key,
    }
    async with (
        httpx.AsyncClient(base_url=servers[0].origin, headers=headers, timeout=30) as one,
        httpx.AsyncClient(base_url=servers[1].origin, headers=headers, timeout=30) as two,
    ):
        yield one, two


def assert_no_statement_errors(servers: tuple[Served, ...]) -> None:
    for served in servers:
        log = served.log.read_text(errors="replace")
        assert "prepared statement" not in log, log[-3000:]
        assert "Traceback" not in log, log[-3000:]


async def stocked(make: Factory) -> None:
    """SKU-1: 100 units at DC-1; SKU-2: 3 at DC-1 and 3 at DC-2 (an order of 5 takes both)."""
    for code in ("DC-1", "DC-2"):
        await make.location(code)
    for sku in ("SKU-1", "SKU-2"):
        await make.item(sku)
    await make.stock("DC-1", "SKU-1", 100)
    await make.stock("DC-1", "SKU-2", 3)
    await make.stock("DC-2", "SKU-2", 3)


async def shipedge_round(
    one: httpx.AsyncClient, two: httpx.AsyncClient, number: str, **extra: Any
) -> dict[str, Any]:
    """Create on one process (with ``extra`` headers), read it back on the other."""
    body = {"data": [order_body(number, ("SKU-1", 2))]}
    created = await one.post(f"{SHIPEDGE_ROOT}/orders", json=body, **extra)
    assert created.status_code == 200, created.text
    [result] = created.json()["data"]
    assert result["success"] is True, result
    got = await two.get(f"{SHIPEDGE_ROOT}/orders/{result['order_id']}")
    assert got.status_code == 200, got.text
    assert got.json()["data"]["order_number"] == number
    return dict(result)


async def test_shipedge_orders_are_created_read_listed_and_cancelled_across_two_servers(
    make: Factory, account: NewAccount, db_url: str, tmp_path: Path
) -> None:
    await stocked(make)
    with started_bouncer(db_url) as bouncer, two_servers_through(bouncer, tmp_path) as servers:
        async with asyncio.timeout(BOUND_SECONDS), clients(servers, account) as (one, two):
            plain = await shipedge_round(one, two, "SE-1")
            keyed = await shipedge_round(one, two, "SE-2", headers={"Idempotency-Key": "k-2"})
            body = {"data": [order_body("SE-2", ("SKU-1", 2))]}
            again = await two.post(
                f"{SHIPEDGE_ROOT}/orders", json=body, headers={"Idempotency-Key": "k-2"}
            )
            split = await one.post(
                f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body("SE-3", ("SKU-2", 5))]}
            )
            listed = await two.get(f"{SHIPEDGE_ROOT}/orders", params={"per_page": 50})
            cancelled = await two.post(
                f"{SHIPEDGE_ROOT}/orders/cancel", json={"order_id": plain["order_id"]}
            )
            twice = await one.post(
                f"{SHIPEDGE_ROOT}/orders/cancel", json={"order_id": plain["order_id"]}
            )
        states = await session_states(bouncer, 10)

    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["data"][0]["order_id"] == keyed["order_id"]
    assert split.status_code == 200, split.text
    assert split.json()["data"][0]["success"] is True
    assert sorted(o["order_number"] for o in listed.json()["data"]) == ["SE-1", "SE-2", "SE-3"]
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["data"]["status"] == "Cancelled"
    assert twice.status_code == 400
    assert await level(make, "DC-1", "SKU-1") == (100, 2)
    assert await level(make, "DC-1", "SKU-2") == (3, 3)
    assert await level(make, "DC-2", "SKU-2") == (3, 2)
    await assert_ledger_balances(make)
    assert_no_statement_errors(servers)
    assert_clean(states)


async def test_orderdynamics_orders_are_created_read_listed_and_cancelled_across_two_servers(
    make: Factory, account: NewAccount, db_url: str, tmp_path: Path
) -> None:
    await stocked(make)
    now = utcnow()
    window = {
        "LastUpdatedDateTimeUtcAfter": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "LastUpdatedDateTimeUtcBefore": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    with started_bouncer(db_url) as bouncer, two_servers_through(bouncer, tmp_path) as servers:
        async with asyncio.timeout(BOUND_SECONDS), clients(servers, account) as (one, two):
            created = await one.post("/v1/orders", json=od_order_body("OD-1"))
            keyed = await two.post(
                "/v1/orders", json=od_order_body("OD-2"), headers={"Idempotency-Key": "od-2"}
            )
            got = await two.get("/v1/orders", params={"ExternalOrderId": "OD-1"})
            listed = await one.get("/v1/orders/List", params=window)
            cancelled = await one.post(
                "/v1/orders/Cancel", params={"ExternalOrderId": "OD-2", "cancelReason": "fraud"}
            )
        states = await session_states(bouncer, 10)

    assert created.status_code == 201, created.text
    assert keyed.status_code == 201, keyed.text
    assert got.status_code == 200, got.text
    assert got.json()["ExternalOrderId"] == "OD-1"
    assert sorted(o["ExternalOrderId"] for o in listed.json()["Items"]) == ["OD-1", "OD-2"]
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["OrderStatus"] == "Cancelled"
    assert await level(make, "DC-1", "SKU-1") == (100, 2)
    await assert_ledger_balances(make)
    assert_no_statement_errors(servers)
    assert_clean(states)


async def test_the_last_units_are_sold_once_to_many_clients_over_two_servers(
    make: Factory, account: NewAccount, db_url: str, tmp_path: Path
) -> None:
    """Given 15 units left, 48 clients each buying one through both processes (half of them
    with an idempotency key): 15 orders take one unit each, the others wait as backorders; no
    request fails, nothing is oversold, and the pooled server connections come out clean."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", LAST_UNITS)
    with started_bouncer(db_url) as bouncer, two_servers_through(bouncer, tmp_path) as servers:
        async with asyncio.timeout(BOUND_SECONDS), clients(servers, account) as pair:

            async def buy(index: int) -> httpx.Response:
                body = {"data": [order_body(f"B-{index}", ("SKU-1", 1))]}
                headers = {"Idempotency-Key": f"b-{index}"} if index % 2 else {}
                return await pair[index % 2].post(
                    f"{SHIPEDGE_ROOT}/orders", json=body, headers=headers
                )

            started = time.monotonic()
            answers = await asyncio.gather(*(buy(i) for i in range(BUYERS)))
            elapsed = time.monotonic() - started
        states = await session_states(bouncer, 10)

    assert [a.status_code for a in answers] == [200] * BUYERS, [a.text for a in answers]
    statuses = sorted(a.json()["data"][0]["status"] for a in answers)
    assert statuses == ["Backorder"] * (BUYERS - LAST_UNITS) + ["Processing"] * LAST_UNITS
    assert await level(make, "DC-1", "SKU-1") == (LAST_UNITS, LAST_UNITS)
    await assert_ledger_balances(make)
    assert_no_statement_errors(servers)
    assert_clean(states)
    assert elapsed < BOUND_SECONDS


def worker_once(bouncer: Bouncer, workdir: Path) -> subprocess.CompletedProcess[str]:
    """``orderyard worker --once`` through ``bouncer``: the jobs waiting now, then exit."""
    return subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, "-c", SERVE, "worker", "--once"],
        cwd=workdir,
        env=environment(bouncer.url(), SETTINGS),
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS,
        check=False,
    )


async def test_a_bulk_job_queued_through_one_server_is_run_by_a_worker_and_serves_backorders(
    make: Factory, account: NewAccount, db_url: str, tmp_path: Path
) -> None:
    """Given 3 one-unit backorders: a BulkOnhand of 5 queued on one process, run by
    ``orderyard worker --once`` (all three processes through PgBouncer), is reported completed
    by the other process and allocates the 3 waiting orders."""
    await make.location("DC-1")
    await make.item("SKU-1")
    with started_bouncer(db_url) as bouncer, two_servers_through(bouncer, tmp_path) as servers:
        async with asyncio.timeout(BOUND_SECONDS), clients(servers, account) as (one, two):
            for number in ("W-1", "W-2", "W-3"):
                body = {"data": [order_body(number, ("SKU-1", 1))]}
                placed = await one.post(f"{SHIPEDGE_ROOT}/orders", json=body)
                assert placed.json()["data"][0]["status"] == "Backorder", placed.text
            bulk = {"Items": [{"Sku": "SKU-1", "LocationInternalName": "DC-1", "Quantity": 5}]}
            job = (await one.put("/v1/inventory/BulkOnhand", json=bulk)).json()
            ran = await asyncio.to_thread(worker_once, bouncer, tmp_path)
            status = await two.get(
                f"/v1/StatusManagement/{job['JobId']}",
                params={"DateSubmittedUTC": job["DateSubmittedUTC"]},
            )
            listed = await two.get(f"{SHIPEDGE_ROOT}/orders", params={"per_page": 10})
        states = await session_states(bouncer, 10)

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "prepared statement" not in ran.stdout + ran.stderr
    assert status.json()["JobStatus"] == "Completed", status.text
    assert {o["status"] for o in listed.json()["data"]} == {"Processing"}
    assert await level(make, "DC-1", "SKU-1") == (5, 3)
    await assert_ledger_balances(make)
    assert_no_statement_errors(servers)
    assert_clean(states)
