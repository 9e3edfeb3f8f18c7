"""Twins: a scenario set against its twin in short interleaved rounds, on one server.

The load run (``bench.run``) measures each scenario once, one after the other: its ratios to a
twin measured minutes apart move with the machine's neighbours, which on this shared 2-core
machine come in bursts of several seconds (the same code measured 3.7 ms and 9.4 ms a create,
a minute apart, on 2026-12-06). The targets that compare Orderyard with itself (issue 14: an
OrderDynamics call within 10 % of its ShipEdge twin; issue 15: a create with a webhook
subscription, or with an idempotency key, at 90 % of one without) are measured here instead:
each pair runs in ``--rounds`` rounds of ``--duration`` seconds, twin and scenario back to back
(their order alternating), so that a burst falls on both sides of a round, and the ratio
reported is the median of the rounds' ratios, with the lowest and highest beside it.

    .venv/bin/python -m bench.twins                       # every pair, 5 rounds of 4 s
    .venv/bin/python -m bench.twins --match orderdynamics --rounds 7

Writes ``bench/results/twins.md``.
"""

import argparse
import contextlib
import os
import re
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import db, orderyard_scenarios
from bench.ceilings.raw_insert_app import DEFAULT_DSN
from bench.load import Request, ensure_wrk, run_load
from bench.orderyard_scenarios import (
    IDEMPOTENT_CREATE_1,
    OD_CREATE_1,
    OD_CREATE_5,
    OD_GET,
    SE_CREATE_1,
    SE_CREATE_5,
    SE_GET,
    WEBHOOK_CREATE_1,
)
from bench.scenarios import (
    RAW_INSERT_1_LINE,
    RAW_INSERT_1_LINE_KEYED,
    RAW_INSERT_1_LINE_KEYED_IN_WRITE,
    Context,
    ceiling_suites,
    render,
)
from bench.server import serve

RESULTS = Path(__file__).resolve().parent / "results"
LOGS = RESULTS / "logs" / "twins"
REPO = RESULTS.parent.parent
PAIRS = (
    (OD_CREATE_1, SE_CREATE_1, 0.9),
    (OD_CREATE_5, SE_CREATE_5, 0.9),
    (OD_GET, SE_GET, 0.9),
    (WEBHOOK_CREATE_1, SE_CREATE_1, 0.9),
    (IDEMPOTENT_CREATE_1, SE_CREATE_1, 0.9),
    (RAW_INSERT_1_LINE_KEYED, RAW_INSERT_1_LINE, None),
    (RAW_INSERT_1_LINE_KEYED_IN_WRITE, RAW_INSERT_1_LINE, None),
)
"""(scenario, its twin, the target: the least ratio of their rates the issues accept, or None
for a ceiling's pair: the same two requests done the least way the stack allows, whose ratio
is the most its Orderyard pair can reach, measured in the same run)."""


@dataclass(frozen=True)
class Pair:
    """One pair's ratios of requests/s (scenario over twin), a round each, at one concurrency."""

    scenario: str
    twin: str
    target: float | None
    concurrency: int
    ratios: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def met(self) -> bool:
        return self.target is None or self.median >= self.target

    def line(self) -> str:
        if self.target is None:
            target = "(ceiling)"
        else:
            target = f"{self.target:.2f} ({'meets' if self.met else 'below'})"
        return (
            f"| {self.scenario} | {self.twin} | {self.concurrency} | {self.median:.2f} |"
            f" {min(self.ratios):.2f} - {max(self.ratios):.2f} | {target} |"
        )


def measure_pairs(args: argparse.Namespace, dsn: str) -> list[Pair]:
    """Serve Orderyard (and the raw ceiling app, if a pair needs it), set up every scenario a
    chosen pair names, and run the rounds."""
    database_url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    suites = [orderyard_scenarios.orderyard_suite(database_url, dsn, dict(os.environ))]
    suites += [s for s in ceiling_suites(dsn) if s.name == "raw_insert"]
    chosen = [p for p in PAIRS if args.match is None or re.search(args.match, p[0])]
    names = {name for scenario, twin, _ in chosen for name in (scenario, twin)}
    wrk = ensure_wrk()
    requests: dict[str, Request] = {}
    with contextlib.ExitStack() as serving:
        for suite in suites:
            scenarios = {s.name: s for s in suite.scenarios if s.name in names}
            if not scenarios:
                continue
            if suite.prepare:
                suite.prepare()
            log = LOGS / f"{suite.name}.log"
            server = serving.enter_context(
                serve(suite.app, workers=args.workers, cwd=REPO, log=log, access_log=False)
            )
            context: Context = {"base_url": server.base_url}
            if suite.setup:
                context = {**context, **suite.setup(context)}
            for name, scenario in scenarios.items():
                scenario_context = {
                    **context,
                    **(scenario.setup(context) if scenario.setup else {}),
                }
                requests[name] = render(scenario, scenario_context)
                warm = LOGS / "warm.txt"
                run_load(requests[name], connections=16, duration_s=2, wrk=wrk, log=warm)
        return _rounds(args, chosen, requests, wrk)


def _rounds(
    args: argparse.Namespace,
    chosen: Sequence[tuple[str, str, float | None]],
    requests: dict[str, Request],
    wrk: str,
) -> list[Pair]:
    """Each chosen pair at each concurrency, ``args.rounds`` rounds of twin and scenario."""

    def rate(name: str, connections: int, round_: int) -> float:
        log = LOGS / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}-c{connections}-{round_}.txt"
        result = run_load(
            requests[name], connections=connections, duration_s=args.duration, wrk=wrk, log=log
        )
        if result.non_2xx or result.socket_errors:
            raise RuntimeError(f"{name}: failed requests, see {log}")
        return result.requests_per_s

    pairs = []
    for connections in (int(c) for c in args.concurrency.split(",")):
        for scenario, twin, target in chosen:
            ratios = []
            for round_ in range(args.rounds):
                order = (twin, scenario) if round_ % 2 == 0 else (scenario, twin)
                rates = {name: rate(name, connections, round_) for name in order}
                ratios.append(rates[scenario] / rates[twin])
            pair = Pair(scenario, twin, target, connections, tuple(ratios))
            print(pair.line(), flush=True)
            pairs.append(pair)
    return pairs


def write(pairs: Sequence[Pair], args: argparse.Namespace) -> Path:
    path = RESULTS / "twins.md"
    command = f"python -m bench.twins {' '.join(sys.argv[1:])}".strip()
    lines = [
        "# Twins: scenario / twin requests/s, interleaved rounds (bench/twins.py)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `{command}`"
        f" ({args.rounds} rounds of {args.duration} s, {args.workers} workers).",
        "",
        "| scenario | twin | concurrency | median ratio | range | target |",
        "| --- | --- | --- | --- | --- | --- |",
        *(pair.line() for pair in pairs),
        "",
    ]
    path.write_text("\n".join(lines))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=4, help="seconds of load per side")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", default="1,16")
    parser.add_argument("--match", help="only the pairs whose scenario this regex finds")
    args = parser.parse_args(argv)
    dsn = os.environ.get("BENCH_PG_DSN", DEFAULT_DSN)
    db.ensure_database(dsn)
    LOGS.mkdir(parents=True, exist_ok=True)
    pairs = measure_pairs(args, dsn)
    print(f"wrote {write(pairs, args)}")
    return 0 if all(pair.met for pair in pairs) else 1


if __name__ == "__main__":
    sys.exit(main())
