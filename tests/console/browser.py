"""A real server and a real browser for the console's end-to-end tests.

The server is ``uvicorn`` running ``orderyard.app:create_app_from_env`` in its own process on
a free port, on the test's database (SQLite file or PostgreSQL). The browser is Debian's
``chromium`` driven by Playwright through ``executable_path``: no browser is ever downloaded.
Without chromium (or the playwright package) the tests skip saying why, unless
``ORDERYARD_REQUIRE_BROWSER`` is set (``.ci/run`` sets it): then they fail.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / ".artifacts" / "screenshots"
"""Screenshots of the main pages, for a person to look at (git-ignored)."""
REQUIRED = "ORDERYARD_REQUIRE_BROWSER"


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium; make test installs it)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[dev]')"
    return None


def require_browser() -> None:
    """Skip the test when there is no browser, or fail when one is required."""
    missing = browser_missing()
    if missing is None:
        return
    if os.environ.get(REQUIRED):
        pytest.fail(f"browser tests are required ({REQUIRED}) but cannot run: {missing}")
    pytest.skip(f"no browser: {missing}")


@dataclass(frozen=True, slots=True)
class Server:
    """A running Orderyard server."""

    origin: str

    @property
    def console(self) -> str:
        return f"{self.origin}/console"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(db_url: str, storage: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("ORDERYARD_")}
    return kept | {
        "ORDERYARD_DATABASE__URL": db_url,
        "ORDERYARD_DATABASE__POOL_SIZE": "4",
        "ORDERYARD_WORKER_IN_SERVER": "false",
        "ORDERYARD_RATE_LIMIT__ENABLED": "false",
        "ORDERYARD_STORAGE__DIRECTORY": str(storage),
    }


@dataclass
class _Process:
    process: subprocess.Popen[bytes]
    log: Path


def _wait_until_up(server: Server, running: _Process) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert running.process.poll() is None, running.log.read_text()
        try:
            if httpx.get(f"{server.console}/sign-in", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not start: {running.log.read_text()}")


def serve(db_url: str, workdir: Path) -> Iterator[Server]:
    """Start a server on ``db_url``, yield it once it answers, then stop it."""
    port = _free_port()
    log = workdir / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - this interpreter's uvicorn, fixed arguments
            [
                sys.executable,
                "-m",
                "uvicorn",
                "orderyard.app:create_app_from_env",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=workdir,
            env=_environment(db_url, workdir / "files"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}")
    try:
        _wait_until_up(server, _Process(process, log))
        yield server
    finally:
        process.terminate()
        process.wait(timeout=15)


def screenshot_path(name: str, backend: str) -> str:
    """Where a page's screenshot goes (one per backend, overwritten by each run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOTS / f"{name}-{backend}.png")


def chromium_path() -> str:
    """The system Chromium's executable."""
    return shutil.which("chromium") or str(CHROMIUM)
