"""The 100,000-row on-hand feed as one OrderDynamics ``BulkOnhand`` job, beside the CLI feed.

The account is the feed scenario's (``feed_scenario.py``): 2,000 SKUs x 50 locations, 10,000
one-unit orders waiting as backorders, and the same 100,000 counts, sent as one
``PUT /v1/inventory/BulkOnhand`` to Orderyard served as production serves it (``server.py``,
the server's own worker task runs the job). The clock starts when the request is sent and stops
when ``GET /v1/StatusManagement/{JobId}`` first answers a finished job, polled every
``POLL_S``; so it covers the upload, the 202, the wait for a worker, every operation and the
job's close.

Its ceiling is the same feed through the CLI (``orderyard stock import``), measured in the same
run on its own fresh account: the target is a ratio of at most ``TARGET``.

Usage, from the repository root (``BENCH_PG_DSN`` names the database, as for ``bench.run``)::

    .venv/bin/python -m bench.bulk_scenario --runs 3
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import asyncpg
import httpx

from bench import core_setup, db, feed_scenario, load_orders, orderyard_scenarios
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.load import LoadResult
from bench.machine import ForeignCpu
from bench.report import Row
from bench.server import AppSpec, serve

REPO = Path(__file__).resolve().parent.parent
LOGS = Path(__file__).resolve().parent / "results" / "logs"
POLL_S = 0.05
TIMEOUT_S = 300.0
TARGET = 1.3
"""Issue 13: request to ``Completed`` within 1.3 x the CLI feed of the same rows."""
FINISHED = {"Completed", "CompletedWithErrors", "Failed"}
BULK_ROW = "orderyard BulkOnhand job, 100,000 rows"


@dataclass(frozen=True)
class BulkResult:
    """What one ``BulkOnhand`` job measured."""

    rows: int
    accepted_s: float
    """Request sent to its 202."""
    wall_s: float
    """Request sent to the first status poll that answers the job finished."""
    waited_s: float
    """The job's ``DateSubmittedUTC`` to its ``StartedDateTimeUtc``: waiting for a worker."""
    ran_s: float
    """Its ``StartedDateTimeUtc`` to its ``CompletedDateTimeUtc``: the worker's run."""
    status: str
    succeeded: int
    operations: int
    backorders_left: int
    """Lines still backordered in the account afterwards (0 when the job served them all)."""


def body() -> bytes:
    """The feed's rows as a ``BulkOnhand`` body, in the CSV's order."""
    items = [
        {"Sku": sku, "LocationInternalName": location, "Quantity": feed_scenario.FEED_ON_HAND}
        for location in feed_scenario.FEED_LOCATIONS
        for sku in feed_scenario.FEED_SKUS
    ]
    return json.dumps({"Items": items}, separators=(",", ":")).encode()


def prepare(database_url: str, dsn: str) -> core_setup.NewAccount:
    """Make an account like the feed's (locations, items, waiting backorders), with its key."""
    account = core_setup.create_account(database_url, f"bench-bulk-{time.time_ns():x}")
    locations = [(code, n) for n, code in enumerate(feed_scenario.FEED_LOCATIONS, start=1)]
    core_setup.create_locations(database_url, account.account_id, locations)
    core_setup.create_items(database_url, account.account_id, feed_scenario.FEED_SKUS)
    plan = load_orders.Plan(
        account.account_id,
        feed_scenario.BACKORDERS,
        feed_scenario.FEED_SKUS,
        "backordered",
        "BO",
    )
    asyncio.run(load_orders.load(dsn, plan, quiet=True))
    db.analyze(dsn)
    return account


async def backorders_left(dsn: str, account_id: int) -> int:
    """How many order lines of the account still wait for stock."""
    conn = await asyncpg.connect(dsn)
    try:
        found = await conn.fetchval(
            "SELECT count(*) FROM order_lines WHERE account_id = $1 AND backordered > 0",
            account_id,
        )
        return int(found)
    finally:
        await conn.close()


def submit_and_wait(client: httpx.Client, payload: bytes) -> tuple[float, float, dict[str, object]]:
    """Send the job and poll it until it finishes; (accepted s, finished s, the job).

    Raises:
        RuntimeError: the request was refused, or the job did not finish in ``TIMEOUT_S``.
    """
    started = time.perf_counter()
    answer = client.put(
        "/v1/inventory/BulkOnhand", content=payload, headers={"Content-Type": "application/json"}
    )
    accepted = time.perf_counter() - started
    if answer.status_code != 202:
        raise RuntimeError(f"BulkOnhand answered {answer.status_code}: {answer.text[:500]}")
    submitted = answer.json()
    path = f"/v1/StatusManagement/{submitted['JobId']}"
    params = {"DateSubmittedUTC": submitted["DateSubmittedUTC"], "PageSize": "1"}
    while time.perf_counter() - started < TIMEOUT_S:
        job: dict[str, object] = client.get(path, params=params).raise_for_status().json()
        if job["JobStatus"] in FINISHED:
            return accepted, time.perf_counter() - started, job
        time.sleep(POLL_S)
    raise RuntimeError(f"job {submitted['JobId']} did not finish within {TIMEOUT_S:.0f} s")


def run_bulk(database_url: str, dsn: str, *, workers: int, log: Path) -> BulkResult:
    """Prepare an account, serve Orderyard, and time one 100,000-row ``BulkOnhand`` job."""
    account = prepare(database_url, dsn)
    payload = body()
    db.settle(dsn)
    app = AppSpec(
        "orderyard.app:create_app_from_env",
        factory=True,
        env={"ORDERYARD_DATABASE__URL": database_url, "ORDERYARD_RATE_LIMIT__ENABLED": "false"},
    )
    with (
        serve(app, workers=workers, cwd=REPO, log=log) as server,
        httpx.Client(
            base_url=server.base_url,
            headers={"Ocp-Apim-Subscription-Key": account.key},
            timeout=TIMEOUT_S,
        ) as client,
    ):
        accepted_s, wall_s, job = submit_and_wait(client, payload)
    return BulkResult(
        rows=int(str(job["RowCount"])),
        accepted_s=accepted_s,
        wall_s=wall_s,
        waited_s=_seconds(job, "DateSubmittedUTC", "StartedDateTimeUtc"),
        ran_s=_seconds(job, "StartedDateTimeUtc", "CompletedDateTimeUtc"),
        status=str(job["JobStatus"]),
        succeeded=int(str(job["SucceededRowCount"])),
        operations=int(str(job["OperationCount"])),
        backorders_left=asyncio.run(backorders_left(dsn, account.account_id)),
    )


def _seconds(job: dict[str, object], start: str, end: str) -> float:
    """Seconds between two of a job's times."""
    parsed = [datetime.fromisoformat(str(job[key])) for key in (start, end)]
    return (parsed[1] - parsed[0]).total_seconds()


def describe(bulk: BulkResult, feed: feed_scenario.FeedResult) -> str:
    """One line: the job, the CLI feed beside it, and the ratios to it."""
    return (
        f"BulkOnhand {bulk.rows:,} rows: {bulk.status} in {bulk.wall_s:.2f} s"
        f" (202 after {bulk.accepted_s:.2f} s, waited {bulk.waited_s:.2f} s for a worker,"
        f" ran {bulk.ran_s:.2f} s, {bulk.operations} operations,"
        f" {bulk.backorders_left} lines still waiting); CLI feed {feed.wall_s:.2f} s wall,"
        f" {feed.service_s:.2f} s in the service; ratio {bulk.wall_s / feed.wall_s:.2f}"
        f" of the CLI's wall time (target {TARGET}), {bulk.wall_s / feed.service_s:.2f}"
        " of its service time"
    )


def bulk_row(database_url: str, dsn: str, ceiling: Row, *, workers: int, log: Path) -> Row:
    """Time the job and return it as a one-shot row whose ceiling is the CLI feed's row.

    Its p50 and p99 are the job's wall time, so their ratios in the table are the job's
    wall time over the CLI feed's (the target is ``TARGET``). A job that did not complete
    every row, or left a backorder waiting, counts as a failed request.
    """
    with ForeignCpu() as other:
        bulk = run_bulk(database_url, dsn, workers=workers, log=log)
    wall_ms = bulk.wall_s * 1000
    spoiled = int(bulk.status != "Completed" or bulk.backorders_left > 0)
    result = LoadResult(bulk.rows, bulk.rows / bulk.wall_s, wall_ms, wall_ms, spoiled, 0)
    ratio = wall_ms / ceiling.result.p50_ms
    print(
        f"BulkOnhand job: {bulk.rows:,} rows {bulk.status} in {bulk.wall_s:.2f} s"
        f" ({ratio:.2f} x the CLI feed, target {TARGET}); 202 after {bulk.accepted_s:.2f} s,"
        f" worker ran {bulk.ran_s:.2f} s; {bulk.backorders_left} lines still waiting",
        flush=True,
    )
    name = (
        f"{BULK_ROW} ({ratio:.2f} x the CLI feed, target {TARGET}; worker ran {bulk.ran_s:.2f} s)"
    )
    return Row(name, 1, result, None, ceiling.scenario, False, other.percent, one_shot=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Alternate the CLI feed and the job ``--runs`` times; exit 1 if the median misses."""
    parser = argparse.ArgumentParser(prog="python -m bench.bulk_scenario")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    db.ensure_database(dsn)
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    env = {**os.environ, "ORDERYARD_DATABASE__URL": database_url}
    orderyard_scenarios.migrate(env)
    LOGS.mkdir(parents=True, exist_ok=True)
    ratios = []
    for run in range(1, args.runs + 1):
        feed = feed_scenario.run_feed(database_url, dsn, env, LOGS / "on-hand-feed.txt")
        bulk = run_bulk(database_url, dsn, workers=args.workers, log=LOGS / "bulk-server.log")
        ratios.append(bulk.wall_s / feed.wall_s)
        print(f"run {run}: {describe(bulk, feed)}", flush=True)
    median = statistics.median(ratios)
    print(f"median ratio to the CLI feed: {median:.2f} (target {TARGET})")
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
