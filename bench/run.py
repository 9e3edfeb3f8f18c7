"""Run the benchmark: the ceilings, then Orderyard, then write the results.

Usage, from the repository root (``make bench`` runs the first line)::

    .venv/bin/python -m bench.run
    .venv/bin/python -m bench.run --only ceilings --duration 5 --workers 2

Writes ``bench/results/results.md``, ``bench/results/plot.png`` and the raw wrk, pgbench and
server logs under ``bench/results/logs/``. Exits with 1 when any request failed in a measured
point, so that a run with errors cannot pass for a clean one.
"""

import argparse
import os
import re
import shutil
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    bulk_scenario,
    db,
    feed_scenario,
    machine,
    orderdynamics_scenarios,
    orderyard_scenarios,
    report,
)
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.load import LoadResult, Request, ensure_wrk, run_load
from bench.machine import ForeignCpu
from bench.pgbench import ensure_pgbench, run_pgbench
from bench.report import FEED_ROW, Row, RunInfo
from bench.scenarios import PGBENCH_SCENARIOS, Context, Scenario, Suite, ceiling_suites, render
from bench.server import PeakRss, Server, serve

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs"
WARMUP_S = 2


@dataclass(frozen=True)
class Options:
    """What to run and how."""

    only: str
    duration_s: int
    workers: int
    concurrencies: tuple[int, ...]
    dsn: str
    wrk: str
    pgbench: str
    access_log: bool = True
    match: str | None = None
    """Only the scenarios whose name this regular expression finds (all when None)."""

    def selects(self, name: str) -> bool:
        """Whether the scenario called ``name`` is to run."""
        return self.match is None or re.search(self.match, name) is not None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        choices=("all", "ceilings", "orderyard"),
        default="all",
        help="which scenarios to run (default: all)",
    )
    parser.add_argument(
        "--duration",
        type=int,
        default=10,
        metavar="SECONDS",
        help="length of each measured point (default: 10)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="uvicorn workers for every web app (default: 2, the README's production command)",
    )
    parser.add_argument(
        "--concurrency",
        default="1,16,64",
        metavar="N,N,...",
        help="connections per point (default: 1,16,64)",
    )
    parser.add_argument(
        "--no-access-log",
        action="store_true",
        help="serve every app with uvicorn's --no-access-log (to measure what the log costs)",
    )
    parser.add_argument(
        "--match",
        metavar="REGEX",
        help="run only the scenarios whose name matches (e.g. 'create, 1 line|get order')",
    )
    return parser.parse_args(argv)


def slug(name: str) -> str:
    """Turn a scenario name into a file name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def progress(row: Row) -> None:
    """Print one measured point as it completes."""
    r = row.result
    rss = "" if row.peak_rss_mb is None else f"  rss {row.peak_rss_mb:4.0f} MB"
    flag = f"  FAILED: {r.non_2xx} non-2xx, {r.socket_errors} socket errors" if r.failed else ""
    print(
        f"{row.scenario:46} c={row.concurrency:<3} {r.requests_per_s:7,.0f}/s"
        f"  p50 {r.p50_ms:6.2f} ms  p99 {r.p99_ms:6.2f} ms{rss}"
        f"  other CPU {row.other_cpu_percent:3.0f}%{flag}",
        flush=True,
    )


def run_pgbench_scenarios(options: Options) -> list[Row]:
    """Measure the pgbench ceilings at every concurrency."""
    rows = []
    for scenario in PGBENCH_SCENARIOS:
        if not options.selects(scenario.name):
            continue
        db.settle(options.dsn)
        for clients in options.concurrencies:
            log = LOGS / f"{slug(scenario.name)}-c{clients}.txt"
            with ForeignCpu() as other:
                result = run_pgbench(
                    options.dsn,
                    lines=scenario.lines,
                    clients=clients,
                    duration_s=options.duration_s,
                    pgbench=options.pgbench,
                    log=log,
                )
            rows.append(
                Row(
                    scenario.name,
                    clients,
                    result,
                    peak_rss_mb=None,
                    ceiling=None,
                    is_ceiling=True,
                    other_cpu_percent=other.percent,
                )
            )
            progress(rows[-1])
    return rows


def measure(
    request: Request, server: Server, connections: int, options: Options, log: Path
) -> tuple[LoadResult, float, float]:
    """Load the server at one concurrency; return the result, its peak RSS and other CPU."""
    with PeakRss(server.process.pid) as rss, ForeignCpu() as other:
        result = run_load(
            request,
            connections=connections,
            duration_s=options.duration_s,
            wrk=options.wrk,
            log=log,
        )
    return result, rss.peak_mb, other.percent


def run_scenario(
    scenario: Scenario, server: Server, context: Context, options: Options, *, is_ceiling: bool
) -> list[Row]:
    """Set a scenario up, warm it up, then measure it at every concurrency."""
    if scenario.setup:
        context = {**context, **scenario.setup(context)}
    request = render(scenario, context)
    name = slug(scenario.name)
    db.settle(options.dsn)
    run_load(
        request,
        connections=max(options.concurrencies),
        duration_s=WARMUP_S,
        wrk=options.wrk,
        log=LOGS / f"{name}-warmup.txt",
    )
    rows = []
    for connections in options.concurrencies:
        log = LOGS / f"{name}-c{connections}.txt"
        result, peak_mb, other = measure(request, server, connections, options, log)
        rows.append(
            Row(scenario.name, connections, result, peak_mb, scenario.ceiling, is_ceiling, other)
        )
        progress(rows[-1])
    return rows


def run_suite(suite: Suite, options: Options, *, is_ceiling: bool) -> list[Row]:
    """Serve a suite's app, set it up, and measure each of its scenarios."""
    if suite.prepare:
        suite.prepare()
    log = LOGS / f"{suite.name}-server.log"
    with serve(
        suite.app, workers=options.workers, cwd=REPO, log=log, access_log=options.access_log
    ) as server:
        context: Context = {"base_url": server.base_url}
        if suite.setup:
            context = {**context, **suite.setup(context)}
        rows = []
        for scenario in suite.scenarios:
            if not options.selects(scenario.name):
                continue
            rows += run_scenario(scenario, server, context, options, is_ceiling=is_ceiling)
    return rows


def run_all(options: Options) -> list[Row]:
    """Run the scenarios that ``options.only`` selects, ceilings first."""
    rows = []
    if options.only in ("all", "ceilings"):
        db.reset_ceiling_tables(options.dsn)
        rows += run_pgbench_scenarios(options)
        for suite in ceiling_suites(options.dsn):
            rows += run_suite(suite, options, is_ceiling=True)
    if options.only in ("all", "orderyard"):
        database_url = options.dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        suite = orderyard_scenarios.orderyard_suite(database_url, options.dsn, dict(os.environ))
        rows += run_suite(suite, options, is_ceiling=False)
        od = orderdynamics_scenarios.orderdynamics_suite(database_url, dict(os.environ))
        if any(options.selects(scenario.name) for scenario in od.scenarios):
            rows += run_suite(od, options, is_ceiling=False)
        if options.selects(FEED_ROW):
            rows.append(run_feed_scenario(database_url, options))
            if options.selects(bulk_scenario.BULK_ROW):  # its ceiling is the feed just measured
                log = LOGS / "bulk-onhand-server.log"
                rows.append(
                    bulk_scenario.bulk_row(
                        database_url, options.dsn, rows[-1], workers=options.workers, log=log
                    )
                )
    return rows


def run_feed_scenario(database_url: str, options: Options) -> Row:
    """Time the 100,000-row on-hand feed; return it as a one-shot row (rows/s, wall time)."""
    env = {**os.environ, "ORDERYARD_DATABASE__URL": database_url}
    orderyard_scenarios.migrate(env)
    with ForeignCpu() as other:
        feed = feed_scenario.run_feed(database_url, options.dsn, env, LOGS / "on-hand-feed.txt")
    wall_ms = feed.wall_s * 1000
    result = LoadResult(feed.rows, feed.rows / feed.wall_s, wall_ms, wall_ms, 0, 0)
    print(
        f"on-hand feed: {feed.rows:,} rows in {feed.wall_s:.2f} s wall,"
        f" {feed.service_s:.2f} s in the service; {feed.orders_allocated:,} backordered orders"
        f" allocated, {feed.backorders_left} lines still waiting",
        flush=True,
    )
    name = f"{FEED_ROW} ({feed.service_s:.2f} s in service, {feed.orders_allocated:,} allocated)"
    return Row(name, 1, result, None, None, False, other.percent, one_shot=True)


def options_from(args: argparse.Namespace) -> Options:
    """Check the tools and the database, and return the run's options.

    Raises:
        SystemExit: Orderyard is selected but cannot be imported yet.
    """
    if args.only != "ceilings" and not orderyard_scenarios.available():
        raise SystemExit("orderyard.app cannot be imported: run with --only ceilings")
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    db.ensure_database(dsn)
    return Options(
        only=args.only,
        duration_s=args.duration,
        workers=args.workers,
        concurrencies=tuple(int(c) for c in args.concurrency.split(",")),
        dsn=dsn,
        wrk=ensure_wrk(),
        pgbench=ensure_pgbench(),
        access_log=not args.no_access_log,
        match=args.match,
    )


def exit_on_sigterm(signum: int, frame: object) -> None:
    """Turn SIGTERM into SystemExit, so that servers and load generators are stopped on the way."""
    sys.exit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write its results; return 1 if any request failed."""
    signal.signal(signal.SIGTERM, exit_on_sigterm)
    argv = sys.argv[1:] if argv is None else list(argv)
    options = options_from(parse_args(argv))
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    info = RunInfo(
        command=" ".join(["python -m bench.run", *argv]),
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        workers=options.workers,
        access_log=options.access_log,
        duration_s=options.duration_s,
        warmup_s=WARMUP_S,
        machine=machine.describe(options.dsn, wrk=options.wrk, pgbench=options.pgbench),
    )
    rows = run_all(options)
    comparisons = orderyard_scenarios.LIST_COMPARISONS
    (RESULTS / "results.md").write_text(report.markdown(rows, info, comparisons))
    report.plot(rows, RESULTS / "plot.png")
    print(f"wrote {RESULTS / 'results.md'} and {RESULTS / 'plot.png'}")
    return 1 if any(row.result.failed for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
