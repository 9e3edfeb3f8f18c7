"""The capacity model's inputs, measured in one run: what an order costs each part.

One ``orderyard serve`` process (one worker: at most one core) is loaded by wrk with each
scenario in turn; over each run this reads the CPU the server process used, the CPU of every
PostgreSQL process (``bench/cpu_share.py``), and the WAL PostgreSQL wrote
(``pg_stat_wal.wal_bytes``), and divides by the requests served. From those figures it
derives how many requests one app core and one PostgreSQL core carry, and the cores and WAL
rate that 1,000, 10,000 and 100,000 orders a minute need (docs/scaling.md, "Capacity model").

CPU per request is the steadier figure on a shared machine: a rate moves with the neighbours,
the CPU a request costs much less. PostgreSQL's figure counts every ``postgres`` process, other
databases' included: run it on a quiet machine.

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/capacity \\
        .venv/bin/python -m bench.capacity --duration 8
"""

import argparse
import asyncio
import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

from bench import db, orderyard_scenarios
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.cpu_share import measure_cpu
from bench.load import Request, ensure_wrk, run_load
from bench.orderyard_scenarios import IDEMPOTENT_CREATE_1, SE_CREATE_1, SE_GET
from bench.scenarios import Context, render
from bench.server import serve

RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs" / "capacity"
REPO = RESULTS.parent.parent
LIST_PAGE = "orderyard list, 1,000 orders, page 1"
MEASURED = (SE_CREATE_1, IDEMPOTENT_CREATE_1, SE_GET, LIST_PAGE)
ORDERS_PER_MINUTE = (1_000, 10_000, 100_000)
BUSY = 0.6
"""The share of a core the model plans to use: headroom for bursts, vacuum and failover."""
CORES_PER_NODE = 2


@dataclass(frozen=True)
class Cost:
    """One scenario's run: its rate, and what each request cost each part."""

    scenario: str
    rate: float
    app_ms: float
    """CPU of the one server process per request."""
    postgres_ms: float
    """CPU of every PostgreSQL process per request."""
    wal_kib: float

    def per_core(self, ms: float) -> float:
        """Requests one core carries at this cost, fully busy."""
        return 1000 / ms if ms > 0 else math.inf


async def wal_bytes(dsn: str) -> int:
    """The WAL PostgreSQL has written so far (every database)."""
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT wal_bytes FROM pg_stat_wal"))
    finally:
        await conn.close()


def measure(args: argparse.Namespace, dsn: str) -> list[Cost]:
    """Serve Orderyard with one worker and load each measured scenario in turn."""
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    suite = orderyard_scenarios.orderyard_suite(database_url, dsn, dict(os.environ))
    scenarios = [s for s in suite.scenarios if s.name in MEASURED]
    wrk = ensure_wrk()
    if suite.prepare:
        suite.prepare()
    costs = []
    with serve(suite.app, workers=1, cwd=REPO, log=LOGS / "server.log", access_log=False) as app:
        context: Context = {"base_url": app.base_url}
        if suite.setup:
            context = {**context, **suite.setup(context)}
        for scenario in scenarios:
            extra = scenario.setup(context) if scenario.setup else {}
            request = render(scenario, {**context, **extra})
            run_load(request, connections=16, duration_s=2, wrk=wrk, log=LOGS / "warm.txt")
            costs.append(cost_of(scenario.name, request, args, dsn, wrk))
            print(line(costs[-1]), flush=True)
    return costs


def cost_of(name: str, request: Request, args: argparse.Namespace, dsn: str, wrk: str) -> Cost:
    """Load ``request`` for ``args.duration`` seconds; its CPU and WAL per request."""
    log = LOGS / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.txt"
    wal_start = asyncio.run(wal_bytes(dsn))
    with measure_cpu() as cpu:
        result = run_load(
            request, connections=args.connections, duration_s=args.duration, wrk=wrk, log=log
        )
    wal = asyncio.run(wal_bytes(dsn)) - wal_start
    if result.failed or not result.requests:
        raise RuntimeError(f"{name}: failed requests, see {log}")
    share = cpu.share()
    per_request_ms = 10 / result.requests_per_s  # 1 % of a core for a second, per request
    return Cost(
        name,
        result.requests_per_s,
        share.nodes * per_request_ms,
        share.postgres * per_request_ms,
        wal / result.requests / 1024,
    )


def line(cost: Cost) -> str:
    """The scenario's row of the results table."""
    return (
        f"| {cost.scenario} | {cost.rate:.0f} | {cost.app_ms:.2f} | {cost.postgres_ms:.2f} |"
        f" {cost.per_core(cost.app_ms):.0f} | {cost.per_core(cost.postgres_ms):.0f} |"
        f" {cost.wal_kib:.1f} |"
    )


def topology(create: Cost) -> list[str]:
    """The cores and WAL rate each planned load needs, at ``BUSY`` of every core."""
    rows = []
    for per_minute in ORDERS_PER_MINUTE:
        per_second = per_minute / 60
        app = per_second * create.app_ms / 1000 / BUSY
        postgres = per_second * create.postgres_ms / 1000 / BUSY
        nodes = max(2, math.ceil(app / CORES_PER_NODE))  # two at least, to survive one
        wal = per_second * create.wal_kib / 1024
        rows.append(
            f"| {per_minute:,} | {per_second:,.0f} | {app:.1f} | {nodes} | {postgres:.1f} |"
            f" {wal:.2f} |"
        )
    return rows


def write(costs: Sequence[Cost], args: argparse.Namespace) -> Path:
    """The results file: the measured costs, then the topology the create figures imply."""
    path = RESULTS / "capacity.md"
    command = f"python -m bench.capacity {' '.join(sys.argv[1:])}".strip()
    create = next(c for c in costs if c.scenario == IDEMPOTENT_CREATE_1)
    lines = [
        "# The capacity model's inputs (bench/capacity.py)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}` (one server process, one"
        f" worker; {args.connections} connections, {args.duration} s per scenario;"
        f" {os.cpu_count()} CPUs shared by the server, PostgreSQL and wrk).",
        "",
        "| scenario | req/s | app CPU ms/req | PostgreSQL CPU ms/req | per app core /s"
        " | per PostgreSQL core /s | WAL KiB/req |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(line(cost) for cost in costs),
        "",
        f"Planned from `{IDEMPOTENT_CREATE_1}` (the dearer create), every core at"
        f" {BUSY:.0%} at most, app nodes of {CORES_PER_NODE} cores and never fewer than two:",
        "",
        "| orders/minute | orders/s | app cores | app nodes | PostgreSQL cores | WAL MiB/s |",
        "| --- | --- | --- | --- | --- | --- |",
        *topology(create),
        "",
    ]
    path.write_text("\n".join(lines))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per scenario")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    db.ensure_database(dsn)
    LOGS.mkdir(parents=True, exist_ok=True)
    costs = measure(args, dsn)
    print(f"wrote {write(costs, args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
