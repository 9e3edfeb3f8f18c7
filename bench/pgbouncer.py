"""Order creation direct to PostgreSQL beside the same through PgBouncer, in interleaved rounds.

Three servers of the same code run at once on the bench database, each with ``--workers``
processes, and take turns under load (``bench.twins``' method: short rounds, their order
rotating, so that the shared machine's bursts fall on every side; the ratio reported is the
median of the rounds'):

- ``direct``: PostgreSQL directly, named prepared statements (the default);
- ``direct, unnamed``: PostgreSQL directly, ``ORDERYARD_DATABASE__PREPARED_STATEMENTS=false``
  (what the statements alone cost, without the pooler's hop);
- ``pgbouncer``: through PgBouncer in transaction mode (Debian's, started here on a free
  port, ``--pool-size`` server connections), prepared statements off.

The scenario is ``bench.orderyard_scenarios``' ShipEdge create of one line (allocated).

    BENCH_PG_DSN=postgresql://postgres@127.0.0.1:5432/pool_bench .venv/bin/python -m bench.pgbouncer

Writes ``bench/results/pgbouncer.md``.
"""

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import psutil
from tests.scale import tools
from tests.scale.pgbouncer import bouncing

from bench import db, machine, orderyard_scenarios
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.load import Request, ensure_wrk, run_load
from bench.orderyard_scenarios import SE_CREATE_1
from bench.scenarios import Context, Suite, render
from bench.server import AppSpec, Server, serve

RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs" / "pgbouncer"
REPO = RESULTS.parent.parent
UNNAMED = {"ORDERYARD_DATABASE__PREPARED_STATEMENTS": "false"}
VARIANTS = ("direct", "direct, unnamed", "pgbouncer")
BASELINE = "direct"


@dataclass(frozen=True)
class Variant:
    """A server of one variant, and the process whose connections reach PostgreSQL for it."""

    server: Server
    pooler: psutil.Process | None
    """PgBouncer, when the server goes through it."""

    def clients(self) -> list[psutil.Process]:
        """The processes holding this variant's connections to PostgreSQL."""
        if self.pooler is not None:
            return [self.pooler]
        parent = psutil.Process(self.server.process.pid)
        return [parent, *parent.children(recursive=True)]


@dataclass(frozen=True)
class Round:
    """One variant's load of one round: its rate and the CPU it cost per order."""

    rate: float
    postgres_ms: float
    """CPU of the PostgreSQL backends serving the variant, per order (neighbours excluded)."""
    pooler_ms: float


@dataclass(frozen=True)
class Figures:
    """One variant's rounds at one concurrency, and its rate's ratios to direct's."""

    variant: str
    concurrency: int
    rounds: tuple[Round, ...]
    ratios: tuple[float, ...]

    def line(self) -> str:
        def median(values: Sequence[float]) -> float:
            return statistics.median(values)

        return (
            f"| {self.variant} | {self.concurrency} |"
            f" {median([r.rate for r in self.rounds]):,.0f} |"
            f" {median(self.ratios):.2f} | {min(self.ratios):.2f} - {max(self.ratios):.2f} |"
            f" {median([r.postgres_ms for r in self.rounds]):.2f} |"
            f" {median([r.pooler_ms for r in self.rounds]):.2f} |"
        )


def cpu_by_pid(variant: Variant, dsn: str) -> dict[int, float]:
    """CPU seconds so far of the backends serving ``variant`` (by pid) and of its pooler (0)."""
    ports = [
        conn.laddr.port
        for process in variant.clients()
        for conn in process.net_connections(kind="tcp")
        if conn.raddr and conn.raddr.port == (urlsplit(dsn).port or 5432)
    ]
    found = {0: machine.cpu_seconds(variant.pooler)} if variant.pooler else {0: 0.0}
    for pid in asyncio.run(_backends(dsn, ports)):
        with contextlib.suppress(psutil.NoSuchProcess):
            found[pid] = machine.cpu_seconds(psutil.Process(pid))
    return found


async def _backends(dsn: str, ports: list[int]) -> list[int]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])", ports
        )
    finally:
        await conn.close()
    return [int(row["pid"]) for row in rows]


@contextlib.contextmanager
def servers(app: AppSpec, dsn: str, args: argparse.Namespace) -> Iterator[Mapping[str, Variant]]:
    """The three variants' servers (and PgBouncer), stopped at the end."""
    program = tools.program("pgbouncer")
    if program is None:
        raise RuntimeError("pgbouncer is missing: make scale-tools installs it")
    env = dict(app.env or {})
    with (
        bouncing(dsn, program, pool_size=args.pool_size) as bouncer,
        contextlib.ExitStack() as stack,
    ):
        urls = {"direct": env, "direct, unnamed": {**env, **UNNAMED}}
        urls["pgbouncer"] = {
            **env,
            **UNNAMED,
            "ORDERYARD_DATABASE__URL": bouncer.url("postgresql+asyncpg"),
        }
        started = {
            name: stack.enter_context(
                serve(
                    replace(app, env=variant_env),
                    workers=args.workers,
                    cwd=REPO,
                    log=LOGS / f"{slug(name)}.log",
                    access_log=False,
                )
            )
            for name, variant_env in urls.items()
        }
        pooler = psutil.Process(int((bouncer.log.parent / "pgbouncer.pid").read_text()))
        yield {
            name: Variant(server, pooler if name == "pgbouncer" else None)
            for name, server in started.items()
        }


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def prepared_requests(started: Mapping[str, Server], suite: Suite) -> dict[str, Request]:
    """The create request for each server, each checked by one order and warmed up."""
    [scenario] = [s for s in suite.scenarios if s.name == SE_CREATE_1]
    assert suite.setup is not None
    context: Context = suite.setup({"base_url": started[BASELINE].server.base_url})
    requests = {}
    wrk = ensure_wrk()
    for name, variant in started.items():
        own = {**context, "base_url": variant.server.base_url}
        own = {**own, **(scenario.setup(own) if scenario.setup else {})}
        requests[name] = render(scenario, own)
        run_load(requests[name], connections=16, duration_s=2, wrk=wrk, log=LOGS / "warm.txt")
    return requests


def rounds(
    started: Mapping[str, Variant], requests: Mapping[str, Request], args: argparse.Namespace
) -> list[Figures]:
    """Every variant once per round, their order rotating, at each concurrency."""
    figures = []
    for connections in (int(c) for c in args.concurrency.split(",")):
        measured: dict[str, list[Round]] = {name: [] for name in VARIANTS}
        for round_ in range(args.rounds):
            shift = round_ % len(VARIANTS)
            for name in (*VARIANTS[shift:], *VARIANTS[:shift]):
                log = LOGS / f"{slug(name)}-c{connections}-{round_}.txt"
                measured[name].append(
                    one_round(started[name], requests[name], connections, log, args)
                )
        for name in VARIANTS:
            rates = [r.rate for r in measured[name]]
            baseline = [r.rate for r in measured[BASELINE]]
            ratios = tuple(r / d for r, d in zip(rates, baseline, strict=True))
            figure = Figures(name, connections, tuple(measured[name]), ratios)
            print(figure.line(), flush=True)
            figures.append(figure)
    return figures


def one_round(
    variant: Variant, request: Request, connections: int, log: Path, args: argparse.Namespace
) -> Round:
    """Load ``variant`` for one round; its rate, and the CPU its backends and pooler spent."""
    before = cpu_by_pid(variant, args.dsn)
    result = run_load(
        request, connections=connections, duration_s=args.duration, wrk=ensure_wrk(), log=log
    )
    after = cpu_by_pid(variant, args.dsn)
    if result.non_2xx or result.socket_errors:
        raise RuntimeError(f"failed requests, see {log}")
    orders = max(result.requests, 1)
    backends = sum(after[pid] - before.get(pid, 0.0) for pid in after if pid != 0)
    return Round(
        rate=result.requests_per_s,
        postgres_ms=1000 * backends / orders,
        pooler_ms=1000 * (after[0] - before[0]) / orders,
    )


def write(figures: Sequence[Figures], args: argparse.Namespace, dsn: str) -> Path:
    path = RESULTS / "pgbouncer.md"
    command = f"python -m bench.pgbouncer {' '.join(sys.argv[1:])}".strip()
    described = machine.describe(dsn, wrk=ensure_wrk(), pgbench="pgbench")
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    lines = [
        "# Order creation direct and through PgBouncer, interleaved rounds (bench/pgbouncer.py)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}` ({args.rounds} rounds of"
        f" {args.duration} s per variant, {args.workers} workers per server,"
        f" {tools_version()} in transaction mode with {args.pool_size} server connections;"
        " the scenario `orderyard create, 1 line`).",
        "",
        "| variant | concurrency | median orders/s | median ratio to direct | range |"
        " PostgreSQL CPU ms/order | PgBouncer CPU ms/order |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(figure.line() for figure in figures),
        "",
        "Machine (shared with other work: compare ratios within this run, not across runs):",
        "",
        f"- load average (1, 5, 15 min) at the end: {load}",
        *(f"- {what}: {value}" for what, value in described if what != "pgbench"),
        "",
    ]
    path.write_text("\n".join(lines))
    return path


def tools_version() -> str:
    program = tools.program("pgbouncer")
    return machine.tool_version([str(program), "--version"]) if program else "(missing)"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=4, help="seconds of load per variant")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument(
        "--pool-size", type=int, default=20, help="PgBouncer's server connections (default: 2 x 10)"
    )
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    db.ensure_database(dsn)
    LOGS.mkdir(parents=True, exist_ok=True)
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    suite = orderyard_scenarios.orderyard_suite(database_url, dsn, dict(os.environ))
    if suite.prepare:
        suite.prepare()
    args.dsn = dsn
    with servers(suite.app, dsn, args) as started:
        figures = rounds(started, prepared_requests(started, suite), args)
    print(f"wrote {write(figures, args, dsn)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
