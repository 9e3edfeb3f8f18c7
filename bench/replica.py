"""List page reads on a streaming replica against the same reads on the primary (issue 20).

One account with 100,000 loaded orders (``bench.load_orders``: COPY; kept small so that the
replica's base backup, which copies the whole server, stays quick), then a hot standby of
the server made as the tests make it (``tests/scale/replica.py``: ``pg_basebackup`` into
``/tmp``, started on a free port). Two servers run side by side, 2 workers each: one with
``ORDERYARD_DATABASE__REPLICA_URL`` (its list reads go to the standby), one without. wrk sends
``GET /orders?page=1&per_page=20`` to each in interleaved rounds (``bench/twins.py``'s
method), and the ratio replica/primary is printed per round. Then the staleness: while wrk
creates orders on the primary, a probe notes the primary's WAL position and times how long
the standby takes to replay up to it.

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/replica_bench \\
        .venv/bin/python -m bench.replica --rounds 5 --duration 4

Writes ``bench/results/replica.md``. Every process it starts is stopped at the end.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from tests.scale.replica import StreamingReplica, streaming_replica

from bench import core_setup, db, load_orders
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.load import LoadResult, Request, ensure_wrk, run_load
from bench.orderyard_scenarios import API, migrate
from bench.scenarios import JSON_HEADERS, order_body
from bench.server import AppSpec, Server, serve

RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs" / "replica"
REPO = RESULTS.parent.parent
ORDERS = 100_000
SKUS = ("R-1", "R-2")
PROBE_INTERVAL_S = 0.05


def make_account(database_url: str, dsn: str) -> core_setup.NewAccount:
    """A new account with ``ORDERS`` loaded orders and stock to create more through the API."""
    account = core_setup.create_account(database_url, f"bench-replica-{time.time_ns():x}")
    core_setup.create_locations(database_url, account.account_id, (("DC1", 1),))
    core_setup.create_items(database_url, account.account_id, SKUS)
    core_setup.set_on_hand(database_url, account.account_id, [("DC1", "R-1", 10_000_000)])
    plan = load_orders.Plan(account.account_id, ORDERS, SKUS, prefix="R")
    seconds = asyncio.run(load_orders.load(dsn, plan, quiet=True))
    print(f"account {account.account_id}: {ORDERS:,} orders with COPY in {seconds:.1f} s")
    return account


def app(database_url: str, replica_url: str | None) -> AppSpec:
    env = {"ORDERYARD_DATABASE__URL": database_url, "ORDERYARD_RATE_LIMIT__ENABLED": "false"}
    if replica_url is not None:
        env["ORDERYARD_DATABASE__REPLICA_URL"] = replica_url
    return AppSpec("orderyard.app:create_app_from_env", factory=True, env=env)


def served_by_replica(server: Server) -> float:
    """The replica reads a worker of ``server`` counted (``/metrics``; proof of the routing)."""
    for line in httpx.get(f"{server.base_url}/metrics").text.splitlines():
        if line.startswith('orderyard_replica_reads_total{database="replica"}'):
            return float(line.split()[-1])
    return 0.0


def rounds(
    requests: dict[str, Request], args: argparse.Namespace, wrk: str
) -> dict[str, list[LoadResult]]:
    """Interleaved rounds of both sides, their order alternating; a failed request stops it."""
    found: dict[str, list[LoadResult]] = {side: [] for side in requests}
    sides = list(requests)
    for round_ in range(args.rounds):
        for side in sides if round_ % 2 == 0 else sides[::-1]:
            log = LOGS / f"{side}-{round_}.txt"
            result = run_load(
                requests[side],
                connections=args.concurrency,
                duration_s=args.duration,
                wrk=wrk,
                log=log,
            )
            if result.failed:
                raise RuntimeError(f"{side}: failed requests, see {log}")
            found[side].append(result)
        replica, primary = found["replica"][-1], found["primary"][-1]
        ratio = replica.requests_per_s / primary.requests_per_s
        print(
            f"round {round_}: replica {replica.requests_per_s:,.0f} req/s p50"
            f" {replica.p50_ms:.1f} ms, primary {primary.requests_per_s:,.0f} req/s p50"
            f" {primary.p50_ms:.1f} ms, ratio {ratio:.2f}",
            flush=True,
        )
    return found


async def probe_lag(standby: StreamingReplica, dsn: str, seconds: float) -> list[float]:
    """For ``seconds``: how long the standby takes to replay up to the primary's WAL position."""
    primary = await asyncpg.connect(dsn)
    replica = await asyncpg.connect(standby.url_of(dsn))
    delays: list[float] = []
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            target = await primary.fetchval("SELECT pg_current_wal_lsn()::text")
            noted = time.monotonic()
            while not await replica.fetchval(
                "SELECT pg_last_wal_replay_lsn() >= $1::text::pg_lsn", target
            ):
                await asyncio.sleep(0.001)
            delays.append(time.monotonic() - noted)
            await asyncio.sleep(PROBE_INTERVAL_S)
    finally:
        await primary.close()
        await replica.close()
    return delays


def staleness(
    standby: StreamingReplica, dsn: str, writes: Request, args: argparse.Namespace, wrk: str
) -> tuple[LoadResult, list[float]]:
    """Create orders on the primary with wrk while probing the standby's replay delay."""

    async def both() -> tuple[LoadResult, list[float]]:
        load = asyncio.to_thread(
            run_load,
            writes,
            connections=args.concurrency,
            duration_s=args.duration * 2,
            wrk=wrk,
            log=LOGS / "writes.txt",
        )
        probe = probe_lag(standby, dsn, args.duration * 2)
        return await asyncio.gather(load, probe)

    return asyncio.run(both())


def measure(args: argparse.Namespace, database_url: str, dsn: str) -> str:
    """Load the account, make the standby, serve both sides, measure; the report's body."""
    account = make_account(database_url, dsn)
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    wrk = ensure_wrk()
    with streaming_replica(dsn) as standby:
        print(f"base backup: {standby.backup_seconds:.1f} s", flush=True)
        replica_url = standby.url_of(database_url)
        log = LOGS / "server-{}.log"
        with (
            serve(
                app(database_url, replica_url),
                workers=args.workers,
                cwd=REPO,
                log=Path(str(log).format("replica")),
                access_log=False,
            ) as on_replica,
            serve(
                app(database_url, None),
                workers=args.workers,
                cwd=REPO,
                log=Path(str(log).format("primary")),
                access_log=False,
            ) as on_primary,
        ):
            path = f"{API}/orders?page=1&per_page=20"
            requests = {
                side: Request("GET", server.base_url + path, headers)
                for side, server in (("replica", on_replica), ("primary", on_primary))
            }
            for request in requests.values():
                run_load(request, connections=4, duration_s=1, wrk=wrk, log=LOGS / "warm.txt")
            found = rounds(requests, args, wrk)
            routed = served_by_replica(on_replica)
            writes = Request(
                "POST",
                on_primary.base_url + f"{API}/orders",
                {**JSON_HEADERS, **headers},
                order_body(("R-1",)),
            )
            created, delays = staleness(standby, dsn, writes, args, wrk)
        return report(found, routed, created, delays, standby.backup_seconds, args)


def _median(results: Sequence[LoadResult], field: str) -> float:
    return statistics.median(getattr(result, field) for result in results)


def report(
    found: dict[str, list[LoadResult]],
    routed: float,
    created: LoadResult,
    delays: list[float],
    backup_seconds: float,
    args: argparse.Namespace,
) -> str:
    """The results file: the command, the figures per side, the ratios, the staleness."""
    ratios = [
        replica.requests_per_s / primary.requests_per_s
        for replica, primary in zip(found["replica"], found["primary"], strict=True)
    ]
    command = f"python -m bench.replica {' '.join(sys.argv[1:])}".strip()
    delays_ms = sorted(1000 * d for d in delays)
    p99 = delays_ms[min(len(delays_ms) - 1, int(len(delays_ms) * 0.99))]
    return "\n".join(
        [
            "# List page reads: read replica against primary (bench/replica.py)",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC:"
            f" `BENCH_PG_DSN=... {command}` ({args.rounds} interleaved rounds of"
            f" {args.duration} s per side, c={args.concurrency}, {args.workers} workers per"
            f" server; {ORDERS:,} orders in the account; base backup {backup_seconds:.1f} s).",
            "`GET /apirest/v4/oms/orders?page=1&per_page=20`; medians of the rounds.",
            "",
            "| side | req/s | p50 ms | p99 ms |",
            "| --- | --- | --- | --- |",
            *(
                f"| {side} | {_median(results, 'requests_per_s'):,.0f} |"
                f" {_median(results, 'p50_ms'):.1f} | {_median(results, 'p99_ms'):.1f} |"
                for side, results in found.items()
            ),
            "",
            f"Ratio replica/primary (req/s), per round: {', '.join(f'{r:.2f}' for r in ratios)};"
            f" median {statistics.median(ratios):.2f}. Replica reads counted by the scraped"
            f" worker of the replica side: {routed:,.0f}.",
            "",
            f"Staleness under write load ({created.requests_per_s:,.0f} orders/s created on the"
            f" primary, c={args.concurrency}): the standby replayed up to the primary's WAL"
            f" position in p50 {statistics.median(delays_ms):.1f} ms, p99 {p99:.1f} ms,"
            f" max {delays_ms[-1]:.1f} ms ({len(delays_ms)} probes).",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.replica", description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=4, help="seconds of load per side")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    db.ensure_database(dsn)
    LOGS.mkdir(parents=True, exist_ok=True)
    migrate({**os.environ, "ORDERYARD_DATABASE__URL": database_url})
    text = measure(args, database_url, dsn)
    path = RESULTS / "replica.md"
    path.write_text(text)
    print(text)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
