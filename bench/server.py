"""Start a web app under uvicorn as production does, wait for it, watch its memory, stop it.

Every app of a run (the ceilings and Orderyard) is started by ``serve`` with the same flags and
worker count, so their figures compare.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

HOST = "127.0.0.1"
UVICORN_FLAGS = ("--loop", "uvloop", "--http", "httptools")
"""What the README's production command leaves to uvicorn's defaults, spelled out so that a
missing uvloop or httptools fails the run instead of silently slowing it."""
NO_ACCESS_LOG = "--no-access-log"
"""Added to every app of a run by ``bench.run --no-access-log``, to measure what the log costs."""
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
RSS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class AppSpec:
    """A web app to serve: a uvicorn import string, and how to call it."""

    target: str
    """``module:attribute``, e.g. ``bench.ceilings.trivial_app:app``."""
    factory: bool = False
    """Whether ``target`` is a factory that uvicorn calls (``--factory``)."""
    env: Mapping[str, str] | None = None
    """Extra environment variables for the server process."""


@dataclass(frozen=True)
class Server:
    """A running server."""

    process: subprocess.Popen[bytes]
    base_url: str


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def uvicorn_command(app: AppSpec, *, workers: int, port: int, access_log: bool = True) -> list[str]:
    """Return the uvicorn command line that serves ``app``."""
    command = [sys.executable, "-m", "uvicorn", app.target]
    if app.factory:
        command.append("--factory")
    return [
        *command,
        "--workers",
        str(workers),
        "--host",
        HOST,
        "--port",
        str(port),
        *UVICORN_FLAGS,
        *(() if access_log else (NO_ACCESS_LOG,)),
    ]


def wait_ready(server: Server, log: Path) -> None:
    """Wait until the server answers any HTTP request.

    Raises:
        RuntimeError: the process exited, or did not answer within ``READY_TIMEOUT_S``.
    """
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}; see {log}")
        try:
            httpx.get(server.base_url + "/", timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"server did not answer within {READY_TIMEOUT_S:.0f} s; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server as a supervisor would: SIGTERM, then SIGKILL to the tree if it hangs."""
    if process.poll() is not None:
        return
    workers = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        for worker in workers:
            with suppress(psutil.NoSuchProcess):
                worker.kill()
        process.kill()
        process.wait()


@contextmanager
def serve(
    app: AppSpec, *, workers: int, cwd: Path, log: Path, access_log: bool = True
) -> Iterator[Server]:
    """Run ``app`` under uvicorn for the duration of the ``with`` block.

    Args:
        app: What to serve.
        workers: uvicorn worker processes.
        cwd: Working directory of the server (the repository root, so ``bench`` imports).
        log: File that receives the server's stdout and stderr.
        access_log: Whether uvicorn logs every request (its default, and production's).
    """
    port = free_port()
    env = {**os.environ, **(app.env or {})}
    command = uvicorn_command(app, workers=workers, port=port, access_log=access_log)
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        server = Server(process=process, base_url=f"http://{HOST}:{port}")
        try:
            wait_ready(server, log)
            yield server
        finally:
            stop(process)


def tree_rss(pid: int) -> int:
    """Return the resident memory of a process and all its descendants, in bytes."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


class PeakRss:
    """Samples a process tree's RSS in a background thread and keeps the peak.

    Use as a context manager around a load run; read ``peak_mb`` afterwards.
    """

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self._peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self._peak = max(self._peak, tree_rss(self._pid))
            if self._stop.wait(RSS_INTERVAL_S):
                return

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        """The highest RSS seen, in MiB."""
        return self._peak / 2**20
