"""Describe the machine a run measured, read at run time, for the report."""

import asyncio
import os
import platform
import subprocess
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import asyncpg
import psutil

PACKAGES = (
    "fastapi",
    "starlette",
    "pydantic",
    "uvicorn",
    "uvloop",
    "httptools",
    "asyncpg",
    "sqlalchemy",
    "orjson",
)
PG_SETTINGS = ("server_version", "fsync", "synchronous_commit", "shared_buffers", "max_connections")


def cpu_model() -> str:
    """Return the CPU model name from ``/proc/cpuinfo`` (or the architecture)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def os_name() -> str:
    """Return the distribution's pretty name from ``/etc/os-release`` (or the system name)."""
    release = Path("/etc/os-release")
    if release.exists():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    return platform.system()


def tool_version(command: list[str]) -> str:
    """Return the first line a tool prints about its version."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = (done.stdout or done.stderr).splitlines()
    return lines[0].strip() if lines else "unknown"


def package_versions() -> str:
    """Return the versions of the web stack's packages, as ``name version`` pairs."""
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (missing)")
    return ", ".join(found)


async def _pg_settings(dsn: str) -> str:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT name, setting, unit FROM pg_settings"
            " WHERE name = any($1::text[]) ORDER BY name",
            list(PG_SETTINGS),
        )
    finally:
        await conn.close()
    return ", ".join(f"{r['name']}={r['setting']}{r['unit'] or ''}" for r in rows)


def describe(dsn: str, *, wrk: str, pgbench: str) -> list[tuple[str, str]]:
    """Return (what, value) pairs describing the machine, the database and the tools."""
    return [
        ("CPU", f"{len(os.sched_getaffinity(0))} CPUs, {cpu_model()}"),
        ("memory", f"{psutil.virtual_memory().total / 2**30:.1f} GiB"),
        ("OS", f"{os_name()}, Linux {platform.release()}"),
        ("Python", platform.python_version()),
        ("PostgreSQL", asyncio.run(_pg_settings(dsn))),
        ("wrk", tool_version([wrk, "--version"])),
        ("pgbench", tool_version([pgbench, "--version"])),
        ("packages", package_versions()),
    ]


def cpu_seconds(process: psutil.Process) -> float:
    """Return the user and system CPU time a process has used so far."""
    times = process.cpu_times()
    return float(times.user + times.system)


def postgres_cpu_seconds() -> float:
    """Return the CPU seconds PostgreSQL's processes (backends, WAL writer, checkpointer) have
    used so far: the server runs on this machine, so its share of a request can be read here."""
    total = 0.0
    for process in psutil.process_iter(["username"]):
        if process.info["username"] != "postgres":
            continue
        try:
            total += cpu_seconds(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def foreign_processes() -> dict[tuple[int, float], float]:
    """Return the CPU seconds of every process that is not part of the benchmark.

    The benchmark's own processes are this one and its descendants (servers, wrk, pgbench) and
    PostgreSQL's. Keys are (pid, creation time), so a reused pid is not mistaken for another.
    """
    me = psutil.Process()
    ours = {me.pid, *(child.pid for child in me.children(recursive=True))}
    found = {}
    for process in psutil.process_iter(["username"]):
        if process.pid in ours or process.info["username"] == "postgres":
            continue
        try:
            found[(process.pid, process.create_time())] = cpu_seconds(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


class ForeignCpu:
    """Measures the CPU that other processes (a test suite, a build) take during a load run.

    Use as a context manager around the run; ``percent`` is then in percent of one core.
    Processes that both start and end inside the run are missed, so it is a lower bound.
    """

    def __init__(self) -> None:
        self._start: dict[tuple[int, float], float] = {}
        self._started = 0.0
        self.percent = 0.0

    def __enter__(self) -> "ForeignCpu":
        self._start = foreign_processes()
        self._started = time.monotonic()
        return self

    def __exit__(self, *exc_info: object) -> None:
        end = foreign_processes()
        used = sum(cpu - self._start.get(key, 0.0) for key, cpu in end.items())
        self.percent = 100 * used / (time.monotonic() - self._started)
