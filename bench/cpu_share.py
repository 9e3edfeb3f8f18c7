"""Where the CPU went during a load run: the servers, haproxy, wrk, PostgreSQL, the rest.

On a machine whose cores the servers, the database, the balancer and the load generator all
share, a rate is capped by CPU before it is capped by anything else; this says by whose.
Figures are in percent of one core (a 2-core machine has 200 %).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import psutil

from bench.machine import ForeignCpu, cpu_seconds

GROUPS = ("nodes", "haproxy")
"""Our long-running children, told apart by their command (haproxy, else an app server)."""


@dataclass(frozen=True)
class CpuShare:
    """Percent of one core each group used during the run."""

    nodes: float
    haproxy: float
    wrk: float
    postgres: float
    """Every process of the ``postgres`` user: other databases' backends included."""
    others: float
    """Processes outside the benchmark (other users' tests, builds): a lower bound."""

    @property
    def busy(self) -> float:
        """All of it, as a share of the machine's cores (1.0: every core busy)."""
        total = self.nodes + self.haproxy + self.wrk + self.postgres + self.others
        return total / 100 / (psutil.cpu_count() or 1)

    def __str__(self) -> str:
        return (
            f"CPU % of a core: nodes {self.nodes:.0f}, PostgreSQL {self.postgres:.0f},"
            f" haproxy {self.haproxy:.0f}, wrk {self.wrk:.0f}, others {self.others:.0f}"
        )


@dataclass
class CpuMeter:
    """Readings at the start of a run; ``share`` once it has ended."""

    started: float = field(default_factory=time.monotonic)
    groups: dict[str, float] = field(default_factory=dict)
    reaped: float = 0.0
    postgres: dict[tuple[int, float], float] = field(default_factory=dict)
    foreign: ForeignCpu = field(default_factory=ForeignCpu)
    result: CpuShare | None = None

    def share(self) -> CpuShare:
        assert self.result is not None, "the run has not ended"
        return self.result


@contextmanager
def measure_cpu() -> Iterator[CpuMeter]:
    """Measure the CPU each group takes while the block runs (a load run)."""
    meter = CpuMeter(groups=_groups(), reaped=_reaped(), postgres=_postgres())
    with meter.foreign:
        yield meter
    seconds = time.monotonic() - meter.started
    groups = _groups()

    def percent(used: float) -> float:
        return 100 * used / seconds

    meter.result = CpuShare(
        nodes=percent(groups["nodes"] - meter.groups["nodes"]),
        haproxy=percent(groups["haproxy"] - meter.groups["haproxy"]),
        wrk=percent(_reaped() - meter.reaped),
        postgres=percent(sum(cpu - meter.postgres.get(k, 0.0) for k, cpu in _postgres().items())),
        others=meter.foreign.percent,
    )


def _groups() -> dict[str, float]:
    """CPU seconds so far of this process's running descendants, per group."""
    used = dict.fromkeys(GROUPS, 0.0)
    for child in psutil.Process().children(recursive=True):
        with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            group = "haproxy" if child.name() == "haproxy" else "nodes"
            used[group] += cpu_seconds(child)
    return used


def _reaped() -> float:
    """CPU seconds of this process's children that ended and were waited for (wrk's runs)."""
    times = psutil.Process().cpu_times()
    return float(times.children_user + times.children_system)


def _postgres() -> dict[tuple[int, float], float]:
    """CPU seconds so far of each PostgreSQL process, by (pid, start time).

    Compared process by process: backends of other clients come and go during a run, and a
    total over the processes alive would drop when one ends. One that ends is missed (a lower
    bound)."""
    found = {}
    for process in psutil.process_iter(["username"]):
        if process.info["username"] != "postgres":
            continue
        with suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            found[(process.pid, process.create_time())] = cpu_seconds(process)
    return found
