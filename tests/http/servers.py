"""Real server processes for the tests that need several, or their output: uvicorn started
as ``orderyard serve`` starts it, on the test's database, stopped at the end.

``ServerProcess`` is one such server that a test may also kill with ``kill -9`` and start
again on the same port (the crash and balancer tests); ``serving`` is the plain case.
"""

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


class ServerProcess:
    """One ``orderyard serve`` on its own port (in ``workdir``: no ``.env`` is read).

    It can be killed with ``kill -9`` and started again on the same port; its output goes
    to ``log``, appended across starts.
    """

    def __init__(
        self,
        db_url: str,
        workdir: Path,
        settings: Mapping[str, str],
        *,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"server-{self.port}.log"
        self._env = environment(db_url, settings)
        self._workdir = workdir
        self._start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The process's id (the name its in-process worker gives the jobs it claims)."""
        assert self._process is not None, "not started"
        return self._process.pid

    def start(self) -> None:
        """Start it and wait until it answers ``/healthz``."""
        self.launch()
        self.wait_until_serving()

    def launch(self) -> None:
        """Start it, not waiting: several start faster side by side (``wait_until_serving``)."""
        command = [sys.executable, "-c", SERVE, "serve", "--host", "127.0.0.1"]
        with self.log.open("ab") as sink:
            self._process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                [*command, "--port", str(self.port)],
                cwd=self._workdir,
                env=self._env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )

    def kill_9(self) -> None:
        """``kill -9``: no shutdown, requests in flight die with their connections."""
        assert self._process is not None
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it as Ctrl-C does (killed if it does not stop within 10 s)."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def wait_until_serving(self) -> None:
        """Wait until it answers ``/healthz``; stopped if it does not within the time allowed."""
        try:
            self._wait_until_serving()
        except BaseException:
            self.stop()
            raise

    def _wait_until_serving(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({self._process.returncode}):\n{self.log.read_text()}"
                )
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.origin}/healthz", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(
            f"the server did not answer within {self._start_timeout} s:\n{self.log.read_text()}"
        )


@contextlib.contextmanager
def serving(workdir: Path, db_url: str, settings: Mapping[str, str]) -> Iterator[Served]:
    """``orderyard serve`` on a free port, stopped at the end."""
    server = ServerProcess(db_url, workdir, settings)
    server.start()
    try:
        yield Served(server.origin, server.log)
    finally:
        server.stop()
