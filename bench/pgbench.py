"""The database ceiling: pgbench running the order-insert transaction, with its latency spread.

pgbench prints TPS; its per-transaction log (``--log``) gives p50 and p99, so the figures line
up with wrk's.
"""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.load import LoadResult

SCRIPT = Path(__file__).parent / "ceilings" / "pgbench_order_insert.sql"
TPS = re.compile(r"^tps = ([\d.]+) \(without initial connection time\)", re.MULTILINE)
PROCESSED = re.compile(r"^number of transactions actually processed: (\d+)", re.MULTILINE)


def ensure_pgbench() -> str:
    """Return the path of pgbench.

    Raises:
        RuntimeError: pgbench is not installed (it ships with PostgreSQL's client package).
    """
    found = shutil.which("pgbench")
    if not found:
        raise RuntimeError("pgbench is missing: apt-get install postgresql-client")
    return found


def percentile(sorted_values: list[int], fraction: float) -> int:
    """Return the nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0
    rank = max(1, round(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def read_latencies(log_dir: Path) -> tuple[list[int], int]:
    """Read pgbench's per-transaction logs: sorted latencies in µs, and the failed count.

    A log line is ``client transaction time script epoch epoch_us``; ``time`` is ``failed`` (or
    another word) for a transaction that did not commit.
    """
    latencies: list[int] = []
    failed = 0
    for log in log_dir.glob("pgbench_log*"):
        for line in log.read_text().splitlines():
            elapsed = line.split()[2]
            if elapsed.isdigit():
                latencies.append(int(elapsed))
            else:
                failed += 1
    return sorted(latencies), failed


def pgbench_command(
    pgbench: str, dsn: str, *, lines: int, clients: int, duration_s: int
) -> list[str]:
    """Return the pgbench command line for the order-insert script."""
    return [
        pgbench,
        "-n",
        "-M",
        "prepared",
        "-f",
        str(SCRIPT),
        "-D",
        f"lines={lines}",
        "-c",
        str(clients),
        "-j",
        str(min(2, clients)),
        "-T",
        str(duration_s),
        "--random-seed=rand",
        "--log",
        dsn,
    ]


def run_pgbench(
    dsn: str, *, lines: int, clients: int, duration_s: int, pgbench: str, log: Path
) -> LoadResult:
    """Run the order-insert transaction with ``clients`` connections for ``duration_s`` seconds.

    Args:
        dsn: ``postgresql://`` URL of the benchmark database.
        lines: Order lines inserted per transaction.
        clients: Concurrent connections (the concurrency of the run).
        duration_s: How long the run lasts.
        pgbench: Path of the pgbench binary.
        log: Where pgbench's report goes.

    Raises:
        RuntimeError: pgbench failed (a client aborted, or it could not connect).
    """
    command = pgbench_command(pgbench, dsn, lines=lines, clients=clients, duration_s=duration_s)
    with tempfile.TemporaryDirectory(prefix="bench-pgbench-") as tmp:
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp)
        latencies, failed = read_latencies(Path(tmp))
    log.write_text(" ".join(command) + "\n\n" + done.stdout + done.stderr)
    tps, processed = TPS.search(done.stdout), PROCESSED.search(done.stdout)
    if done.returncode != 0 or not tps or not processed:
        raise RuntimeError(f"pgbench exited with {done.returncode}; see {log}")
    return LoadResult(
        requests=int(processed.group(1)),
        requests_per_s=float(tps.group(1)),
        p50_ms=percentile(latencies, 0.50) / 1000,
        p99_ms=percentile(latencies, 0.99) / 1000,
        non_2xx=failed,
        socket_errors=0,
    )
