"""One node against three behind haproxy: orders/s of order creation, same run, interleaved.

Three Orderyard servers (one uvicorn process each, as ``bench.server.serve`` starts every app
of the benches) share the bench database; two haproxy processes, configured as the balancer
test and docs/scaling.md configure it (``tests/scale/haproxy.py``), stand in front of all
three and of the first alone. Each round loads, back to back and in an order that alternates,
the first node directly, haproxy over that one node (what the balancer itself costs), and
haproxy over the three; the ratios reported are the medians of the rounds' ratios. The
scenario is the load run's ``orderyard create, 1 line`` (ShipEdge, one line allocated), with
every order on one SKU as there (one stock row, locked by one order at a time), and spread
over five SKUs (one wrk each), where fewer orders wait for one another's row.

The machine has 2 cores shared by the nodes, PostgreSQL, haproxy and wrk, so three nodes
cannot be three times one: the CPU each took during every run is measured and reported,
so that the ceiling shows.

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/balancer_bench \\
        .venv/bin/python -m bench.balancer --rounds 5 --duration 5

Writes ``bench/results/balancer.md``.
"""

import argparse
import os
import re
import statistics
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from tests.scale import tools
from tests.scale.haproxy import Haproxy, Node

from bench import db, orderyard_scenarios
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.cpu_share import CpuShare, measure_cpu
from bench.load import LoadResult, Request, ensure_wrk, run_load
from bench.lock_waits import sampling_lock_waits
from bench.orderyard_scenarios import ORDER_STOCK, SE_CREATE_1
from bench.scenarios import Context, render
from bench.server import AppSpec, Server, free_port, serve

RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs" / "balancer"
REPO = RESULTS.parent.parent
NODES = 3
POOL_SIZE = "5"
"""Connections per node: three nodes stay within what a shared PostgreSQL server can spare."""
ONE_NODE, ONE_BEHIND, THREE_BEHIND = "one node", "haproxy, one node", "haproxy, three nodes"
TARGETS = (ONE_NODE, ONE_BEHIND, THREE_BEHIND)
SKUS = tuple(ORDER_STOCK)
"""The load run's five stocked SKUs (B-1 to B-5, each 10,000,000 units at one location)."""
MODES = {"one SKU": SKUS[:1], "five SKUs": SKUS}
"""Every order on one SKU, as the load run's scenario (its stock row is locked by one order
at a time), or spread over five, one wrk per SKU (five rows: less waiting on locks)."""


@dataclass(frozen=True)
class Run:
    """One load run: its target, rate, latency and the CPU taken meanwhile."""

    mode: str
    target: str
    rate: float
    p99_ms: float
    cpu: CpuShare
    lock_waits: float
    """Mean number of the database's sessions waiting on a lock during the run."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per run")
    parser.add_argument("--connections", type=int, default=30, help="in all, shared by the SKUs")
    args = parser.parse_args(argv)
    dsn = args.dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    db.ensure_database(dsn)
    LOGS.mkdir(parents=True, exist_ok=True)
    runs = measure(args, dsn)
    print(f"wrote {write(runs, args)}")
    return 0


def measure(args: argparse.Namespace, dsn: str) -> list[Run]:
    """Start the nodes and both balancers, then run the interleaved rounds."""
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    suite = orderyard_scenarios.orderyard_suite(database_url, dsn, dict(os.environ))
    [scenario] = [s for s in suite.scenarios if s.name == SE_CREATE_1]
    if suite.prepare:
        suite.prepare()
    wrk = ensure_wrk()
    app = AppSpec(suite.app.target, factory=True, env={**(suite.app.env or {}), **node_env()})
    with cluster(app) as origins:
        context: Context = {"base_url": origins[ONE_NODE]}
        context = {**context, **(suite.setup(context) if suite.setup else {})}
        if scenario.setup:
            scenario.setup(context)
        requests = {t: render(scenario, {**context, "base_url": origins[t]}) for t in TARGETS}
        for target in TARGETS:  # warm every node, through the balancer that reaches them all
            run_load(requests[target], connections=16, duration_s=2, wrk=wrk, log=LOGS / "warm")
        runs = []
        pairs = [(mode, target) for mode in MODES for target in TARGETS]
        for round_ in range(args.rounds):
            for mode, target in pairs if round_ % 2 == 0 else pairs[::-1]:
                run = load(requests[target], (mode, target), round_, args, wrk)
                print(
                    f"round {round_}: {mode}, {target}: {run.rate:.0f}/s, {run.cpu},"
                    f" lock waits {run.lock_waits:.1f}",
                    flush=True,
                )
                runs.append(run)
    return runs


def node_env() -> dict[str, str]:
    """Each node as the test's, without jobs to run: a small pool, no rate limits."""
    return {"ORDERYARD_DATABASE__POOL_SIZE": POOL_SIZE, "ORDERYARD_RATE_LIMIT__ENABLED": "false"}


@contextmanager
def cluster(app: AppSpec) -> Iterator[dict[str, str]]:
    """``NODES`` nodes, haproxy over the first and haproxy over all: each target's origin."""
    program = tools.program("haproxy")
    if program is None:
        raise SystemExit("haproxy is missing: make scale-tools installs it")
    with ExitStack() as stack:
        servers: list[Server] = [
            stack.enter_context(
                serve(app, workers=1, cwd=REPO, log=LOGS / f"node{n + 1}.log", access_log=False)
            )
            for n in range(NODES)
        ]
        nodes = [
            Node(f"node{n + 1}", s.base_url.removeprefix("http://")) for n, s in enumerate(servers)
        ]
        balancers = {}
        for target, behind in ((ONE_BEHIND, nodes[:1]), (THREE_BEHIND, nodes)):
            workdir = LOGS / target.replace(", ", "-").replace(" ", "-")
            workdir.mkdir(exist_ok=True)  # haproxy's configuration, socket and output
            haproxy = Haproxy(program, workdir, behind, port=free_port())
            haproxy.start()
            stack.callback(haproxy.stop)
            balancers[target] = haproxy.origin
        yield {ONE_NODE: servers[0].base_url, **balancers}


def load(
    request: Request, chosen: tuple[str, str], round_: int, args: argparse.Namespace, wrk: str
) -> Run:
    """One run of ``args.duration`` seconds: a wrk per SKU of the mode, side by side."""
    mode, target = chosen
    skus = MODES[mode]
    name = re.sub(r"[^a-z0-9]+", "-", f"{mode}-{target}-{round_}".lower())
    each = max(1, args.connections // len(skus))

    def run(sku: str) -> LoadResult:
        body = (request.body or "").replace(f'"sku":"{SKUS[0]}"', f'"sku":"{sku}"')
        log = LOGS / f"{name}-{sku}.txt"
        result = run_load(
            replace(request, body=body),
            connections=each,
            duration_s=args.duration,
            wrk=wrk,
            log=log,
        )
        if result.failed:
            raise RuntimeError(f"{mode}, {target}: failed requests, see {log}")
        return result

    with (
        measure_cpu() as cpu,
        sampling_lock_waits(args.dsn) as waits,
        ThreadPoolExecutor(len(skus)) as pool,
    ):
        results = list(pool.map(run, skus))
    rate = sum(result.requests_per_s for result in results)
    p99 = max(result.p99_ms for result in results)
    return Run(mode, target, rate, p99, cpu.share(), waits.mean)


def write(runs: Sequence[Run], args: argparse.Namespace) -> Path:
    """The results file: per mode and target the median rate and CPU split, then the ratios."""
    command = f"python -m bench.balancer {' '.join(sys.argv[1:])}".strip()
    lines = [
        "# One node against three behind haproxy (bench/balancer.py)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}` ({args.rounds} rounds of"
        f" {args.duration} s per target, {args.connections} connections, `{SE_CREATE_1}`"
        f" on one SKU or spread over five, {os.cpu_count()} CPUs).",
        "",
        "| SKUs | target | orders/s | p99 ms | machine busy | nodes | PostgreSQL | haproxy"
        " | wrk | others | lock waits |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(
            row(mode, target, [r for r in runs if (r.mode, r.target) == (mode, target)])
            for mode in MODES
            for target in TARGETS
        ),
        "",
        *(line for mode in MODES for line in ratios(mode, [r for r in runs if r.mode == mode])),
        "",
        "Rates and p99: medians over the rounds. Ratios: median of the rounds' ratios (lowest -"
        " highest). Machine busy: the share of all cores in use during the runs; the other"
        " CPU columns are percent of one core (200 % = both cores): the three app nodes together,"
        " every PostgreSQL process (other databases' too), haproxy, wrk, and every other process."
        " Lock waits: the bench database's sessions waiting on a lock, mean of 10 samples a"
        " second.",
        "",
    ]
    path = RESULTS / "balancer.md"
    path.write_text("\n".join(lines))
    return path


def ratios(mode: str, runs: Sequence[Run]) -> list[str]:
    """The mode's ratios between targets, each the median of the rounds' ratios."""
    rates = [
        {run.target: run.rate for run in runs[n : n + len(TARGETS)]}
        for n in range(0, len(runs), len(TARGETS))
    ]

    def ratio(a: str, b: str) -> str:
        values = [r[a] / r[b] for r in rates]
        return f"{statistics.median(values):.2f} ({min(values):.2f} - {max(values):.2f})"

    return [
        f"- {mode}: {THREE_BEHIND} / {ONE_NODE}: {ratio(THREE_BEHIND, ONE_NODE)}",
        f"- {mode}: {THREE_BEHIND} / {ONE_BEHIND}: {ratio(THREE_BEHIND, ONE_BEHIND)}",
        f"- {mode}: {ONE_BEHIND} / {ONE_NODE}: {ratio(ONE_BEHIND, ONE_NODE)}"
        " (the balancer's own cost)",
    ]


def row(mode: str, target: str, runs: Sequence[Run]) -> str:
    """One target's line: medians over its rounds."""
    rate = statistics.median(run.rate for run in runs)
    p99 = statistics.median(run.p99_ms for run in runs)
    busy = statistics.median(run.cpu.busy for run in runs)
    groups = ("nodes", "postgres", "haproxy", "wrk", "others")
    cores = [statistics.median(getattr(run.cpu, group) for run in runs) for group in groups]
    return (
        f"| {mode} | {target} | {rate:.0f} | {p99:.1f} | {busy:.0%} | "
        + " | ".join(f"{share:.0f} %" for share in cores)
        + f" | {statistics.median(run.lock_waits for run in runs):.1f} |"
    )


if __name__ == "__main__":
    sys.exit(main())
