"""A real Orderyard server process on a fresh database, with a little data, for the fuzz run.

The server is started the way an operator starts it (``orderyard serve``, uvicorn with its
own event loop and HTTP parser), not mounted in-process: a defect of the connection (an
error path that drops a keep-alive connection) is only visible through a real socket.
"""

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from orderyard.app import SHIPEDGE_ROOT
from tests.dialects.shipedge.conftest import order_body

ORDERYARD = Path(sys.executable).with_name("orderyard")
"""The command of the virtual environment the tests run in."""
START_TIMEOUT = 30.0
LOCATION = "DC-CODE"
SUPPLIER = "Supplier Name"
"""The seed examples' names, so that the document's examples reach real code paths."""
PRODUCTS = ("PROD-001", "SKU-1", "SKU-2", "INTERNAL-SKU")


@dataclass(frozen=True)
class Server:
    """A running server: where to reach it, as whom, and the file its output goes to."""

    origin: str
    account_id: int
    key: str
    log: Path

    @property
    def root(self) -> str:
        """The base URL of the ShipEdge dialect."""
        return f"{self.origin}{SHIPEDGE_ROOT}"

    @property
    def headers(self) -> dict[str, str]:
        """The account's credentials, sent on every request."""
        return {"AccountID": str(self.account_id), "Key": self.key}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database_url: str) -> dict[str, str]:
    """This process's environment without any ``ORDERYARD_*`` setting, plus the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERYARD_")}
    env["ORDERYARD_DATABASE__URL"] = database_url
    env["ORDERYARD_RATE_LIMIT__ENABLED"] = "false"  # one key sends every case, at full speed
    return env


def orderyard(workdir: Path, database_url: str, *args: str) -> str:
    """Run an ``orderyard`` command (in ``workdir``, so no ``.env`` is read); its stdout."""
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [str(ORDERYARD), *args],
        cwd=workdir,
        env=_environment(database_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"orderyard {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _wait_until_serving(process: subprocess.Popen[bytes], origin: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{origin}{SHIPEDGE_ROOT}/openapi.json", timeout=1).status_code == 200:
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


@contextlib.contextmanager
def serving(workdir: Path, database_url: str) -> Iterator[Server]:
    """Create an account on the (migrated) database, serve it, seed it; stop on exit."""
    created = json.loads(
        orderyard(workdir, database_url, "accounts", "create", "--name", "Fuzz", "--json")
    )
    account = str(created["account_id"])
    orderyard(workdir, database_url, "locations", "create", "--account", account,
              "--code", LOCATION, "--name", "Fuzz distribution center")  # fmt: skip
    orderyard(workdir, database_url, "suppliers", "add", "--account", account, SUPPLIER)
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    log = workdir / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [str(ORDERYARD), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=workdir,
            env=_environment(database_url),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, origin, log)
        server = Server(origin, int(created["account_id"]), str(created["key"]), log)
        _seed(server, workdir, database_url)
        yield server
    finally:
        _stop(process)


def _seed(server: Server, workdir: Path, database_url: str) -> None:
    """Products, stock and an order, so that ids and SKUs sometimes name something real."""
    with httpx.Client(base_url=server.root, headers=server.headers, timeout=30) as http:
        _ok(http.post("/inventory/products", json={"data": [_product(sku) for sku in PRODUCTS]}))
        counts = workdir / "stock.csv"
        counts.write_text(
            "location,sku,on_hand\n" + "".join(f"{LOCATION},{sku},1000\n" for sku in PRODUCTS)
        )
        orderyard(workdir, database_url, "stock", "import", "--account", str(server.account_id),
                  str(counts))  # fmt: skip
        _ok(http.post("/orders", json={"data": [order_body("ORD-001"), order_body("ORD-002")]}))


def _ok(response: httpx.Response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"seeding failed: {response.request.url} {response.text}")


def _product(sku: str) -> dict[str, Any]:
    return {
        "sku": sku,
        "description": f"Fuzz product {sku}",
        "width": 10,
        "length": 10,
        "height": 5,
        "weight": 1,
        "cost": 10.0,
        "retail": 29.99,
        "supplier": SUPPLIER,
        "distribution_center": LOCATION,
    }


def sqlite_database(workdir: Path) -> str:
    """A new SQLite file (the commands migrate it on first use)."""
    return f"sqlite:///{workdir / 'fuzz.db'}"


@contextlib.contextmanager
def postgres_database(server_url: str, workdir: Path) -> Iterator[str]:
    """A database of its own on the test server, migrated with ``orderyard db upgrade``."""
    parsed = make_url(server_url)
    name = f"orderyard_fuzz_{os.getpid()}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    url = parsed.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    asyncio.run(
        _admin(server_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    )
    try:
        orderyard(workdir, url, "db", "upgrade")
        yield url
    finally:
        asyncio.run(_admin(server_url, drop))


async def _admin(server_url: str, *statements: str) -> None:
    parsed = make_url(server_url)
    conn = await asyncpg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        database="test",
    )
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()
