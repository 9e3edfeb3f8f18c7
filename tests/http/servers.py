"""Real server processes for the tests that need several, or their output: uvicorn started
as ``orderyard serve`` starts it, on the test's database, stopped at the end."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

import orderyard

START_TIMEOUT = 30.0
SOURCE = Path(orderyard.__file__).resolve().parents[1]
"""The ``src`` folder the tests import, so the servers run the same code."""
SERVE = "from orderyard.cli import main; main()"
"""``orderyard serve`` with this interpreter and ``SOURCE`` (the script may be another's)."""


@dataclass(frozen=True)
class Served:
    """A running server: its origin and the file holding its standard error."""

    origin: str
    log: Path


def free_port() -> int:
    """A port no one listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(db_url: str, settings: Mapping[str, str]) -> dict[str, str]:
    """This environment without ``ORDERYARD_*`` settings, plus the database and ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERYARD_")}
    env["PYTHONPATH"] = str(SOURCE)
    env["ORDERYARD_DATABASE__URL"] = db_url
    env["ORDERYARD_WORKER_IN_SERVER"] = "false"
    return {**env, **settings}


@contextlib.contextmanager
def serving(workdir: Path, db_url: str, settings: Mapping[str, str]) -> Iterator[Served]:
    """``orderyard serve`` on a free port (in ``workdir``: no ``.env`` is read)."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    log = workdir / f"server-{port}.log"
    command = [sys.executable, "-c", SERVE, "serve", "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            command, cwd=workdir, env=environment(db_url, settings), stderr=sink, stdout=sink
        )
    try:
        _wait_until_serving(process, origin, log)
        yield Served(origin, log)
    finally:
        _stop(process)


def _wait_until_serving(process: subprocess.Popen[bytes], origin: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{origin}/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
