"""Write a run's results: a Markdown table with ratios to the ceilings, and a PNG plot."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from bench.load import LoadResult
from bench.server import HOST, NO_ACCESS_LOG, UVICORN_FLAGS

COLUMNS = (
    "scenario",
    "concurrency",
    "req/s",
    "p50 ms",
    "p99 ms",
    "non-2xx",
    "socket errors",
    "peak RSS MB",
    "other CPU %",
    "ceiling",
    "req/s ratio",
    "p50 ratio",
    "p99 ratio",
    "RSS ratio",
)
FLAG = "⚠ "
FEED_ROW = "orderyard on-hand feed, 100,000 rows"


@dataclass(frozen=True)
class Row:
    """One measured point: a scenario at one concurrency."""

    scenario: str
    concurrency: int
    result: LoadResult
    peak_rss_mb: float | None
    """The server's peak RSS during the point; None when no web server was involved."""
    ceiling: str | None
    is_ceiling: bool
    other_cpu_percent: float
    """CPU that processes outside the benchmark took during the point, in % of one core."""
    one_shot: bool = False
    """A single timed operation, not a load: req/s is its items/s, p50 and p99 its wall time."""


@dataclass(frozen=True)
class RunInfo:
    """How the run was made: its command line, settings and machine."""

    command: str
    started: str
    workers: int
    access_log: bool
    duration_s: int
    warmup_s: int
    machine: Sequence[tuple[str, str]]


def ratio(value: float | None, bound: float | None) -> str:
    """Return ``value / bound`` to two decimals, or a dash when either is missing or zero."""
    if value is None or not bound:
        return "—"
    return f"{value / bound:.2f}"


def ratios(row: Row, bound: Row | None) -> list[str]:
    """Return the req/s, p50, p99 and RSS ratios of a point to its ceiling's point."""
    if bound is None:
        return ["—"] * 4
    r, c = row.result, bound.result
    return [
        ratio(r.requests_per_s, c.requests_per_s),
        ratio(r.p50_ms, c.p50_ms),
        ratio(r.p99_ms, c.p99_ms),
        ratio(row.peak_rss_mb, bound.peak_rss_mb),
    ]


def table_line(row: Row, bound: Row | None) -> str:
    """Return the Markdown table line of one point, with its ratios to ``bound``."""
    r = row.result
    rss = "—" if row.peak_rss_mb is None else f"{row.peak_rss_mb:.0f}"
    cells = [
        (FLAG if r.failed else "") + row.scenario,
        str(row.concurrency),
        f"{r.requests_per_s:,.0f}",
        f"{r.p50_ms:.2f}",
        f"{r.p99_ms:.2f}",
        str(r.non_2xx),
        str(r.socket_errors),
        rss,
        f"{row.other_cpu_percent:.0f}",
        row.ceiling or "—",
        *ratios(row, bound),
    ]
    return "| " + " | ".join(cells) + " |"


def comparison_lines(
    by_point: dict[tuple[str, int], Row], comparisons: Sequence[tuple[str, str]]
) -> list[str]:
    """Return a table of ``a / b`` ratios for each (a, b) pair measured at the same concurrency."""
    cells = []
    for a, b in comparisons:
        for (name, concurrency), row in by_point.items():
            other = by_point.get((b, concurrency))
            if name != a or other is None:
                continue
            r, o = row.result, other.result
            ratio_cells = [
                ratio(r.requests_per_s, o.requests_per_s),
                ratio(r.p50_ms, o.p50_ms),
                ratio(r.p99_ms, o.p99_ms),
            ]
            cells.append(f"| {a} / {b} | {concurrency} | " + " | ".join(ratio_cells) + " |")
    if not cells:
        return []
    return [
        "",
        "## Same call, bigger account",
        "",
        "| ratio | concurrency | req/s ratio | p50 ratio | p99 ratio |",
        "| --- | --- | --- | --- | --- |",
        *cells,
    ]


def markdown(
    rows: Sequence[Row], info: RunInfo, comparisons: Sequence[tuple[str, str]] = ()
) -> str:
    """Return the results document: how the run was made, the machine, the table and the
    ratios between the ``comparisons`` pairs of scenarios."""
    by_point = {(row.scenario, row.concurrency): row for row in rows}
    flags = [*UVICORN_FLAGS, *(() if info.access_log else (NO_ACCESS_LOG,))]
    lines = [
        "# Orderyard benchmark results",
        "",
        f"Run {info.started} with `{info.command}`: {info.workers} uvicorn worker(s) per web app,"
        f" {info.duration_s} s per point after a {info.warmup_s} s warm-up per scenario.",
        "Every web app is served with `uvicorn [--factory] APP --workers"
        f" {info.workers} --host {HOST} --port PORT {' '.join(flags)}`.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {what} | {value} |" for what, value in info.machine),
        "",
        "## Results",
        "",
        "Each ratio divides a figure by its ceiling's at the same concurrency: a req/s ratio",
        "below 1, or a latency or RSS ratio above 1, is what the layers above the ceiling cost.",
        "`other CPU %` is what processes outside the benchmark used meanwhile (100 = one core);",
        "where it is not near 0, the point measured a shared machine.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
        *(table_line(row, by_point.get((row.ceiling or "", row.concurrency))) for row in rows),
    ]
    lines += comparison_lines(by_point, comparisons)
    if any(row.one_shot for row in rows):
        lines += [
            "",
            f"`{FEED_ROW}` is one `orderyard stock import` process, timed from outside: its req/s",
            "is rows/s, its p50 and p99 both the import's wall time; the row's name gives the",
            "time inside the service and the backordered orders the feed allocated.",
        ]
    failed = [f"{row.scenario} at {row.concurrency}" for row in rows if row.result.failed]
    if failed:
        lines += [
            "",
            f"{FLAG}Requests failed in: {', '.join(failed)}. These figures are not clean.",
        ]
    return "\n".join(lines) + "\n"


def plot(rows: Sequence[Row], path: Path) -> None:
    """Draw throughput and p99 against concurrency, one line per scenario, to a PNG file.

    Ceilings are dashed, Orderyard's scenarios solid. A bare ``Figure`` (no pyplot) renders
    with the Agg backend, so no display is needed.
    """
    figure = Figure(figsize=(14, 6))
    throughput, p99 = figure.subplots(1, 2)
    for name in dict.fromkeys(row.scenario for row in rows if not row.one_shot):
        points = [row for row in rows if row.scenario == name]
        x = [row.concurrency for row in points]
        style = "--" if points[0].is_ceiling else "-"
        throughput.plot(x, [r.result.requests_per_s for r in points], style, marker="o", label=name)
        p99.plot(x, [r.result.p99_ms for r in points], style, marker="o", label=name)
    concurrencies = sorted({row.concurrency for row in rows})
    for axes, label in (
        (throughput, "requests/s (transactions/s for pgbench)"),
        (p99, "p99 latency, ms"),
    ):
        axes.set_xscale("log", base=2)
        axes.set_yscale("log")
        axes.set_xticks(concurrencies, [str(c) for c in concurrencies])
        axes.set_xlabel("concurrency (connections)")
        axes.set_ylabel(label)
        axes.grid(visible=True, which="both", alpha=0.3)
    throughput.set_title("Throughput")
    p99.set_title("p99 latency")
    handles, labels = throughput.get_legend_handles_labels()
    columns = 3
    legend_rows = -(-len(labels) // columns)
    figure.set_figheight(6 + 0.3 * legend_rows)
    figure.legend(handles, labels, loc="lower center", ncol=columns, frameon=False)
    # Keep the axes (and their x labels) above the legend, however many rows it takes.
    figure.tight_layout(rect=(0, 0.06 * legend_rows / 1.4, 1, 1))
    figure.savefig(path, dpi=120)
