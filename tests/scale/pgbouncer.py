"""Debian's PgBouncer in transaction mode, started by a test in front of the test PostgreSQL.

``bouncing(...)`` writes a ``pgbouncer.ini`` and a user list into a folder of its own, starts
``pgbouncer`` on a free port (as ``postgres``: PgBouncer refuses to run as root), waits until
it accepts connections and stops it at the end. ``started_bouncer`` is the tests' way in:
a PgBouncer that is installed but will not start fails the test (never skips it).
``session_states`` reads what the pooled server connections carry from one client's
transaction into another's.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from tests.http.servers import free_port
from tests.scale import tools

START_TIMEOUT = 15.0
SERVER_POOL_SIZE = 10
"""PgBouncer's connections to PostgreSQL per database and user (the machine's PostgreSQL is
shared: keep it small)."""
RUN_AS = "postgres"


@dataclass(frozen=True)
class Bouncer:
    """A running PgBouncer: its port, its log, and URLs of the test database through it."""

    port: int
    log: Path
    database: str

    def url(self, scheme: str = "postgresql") -> str:
        """The test database through PgBouncer (``postgresql+asyncpg`` for an engine)."""
        return f"{scheme}://postgres@127.0.0.1:{self.port}/{self.database}"


def config(*, port: int, folder: Path, backend: str, pool_size: int) -> str:
    """The ``pgbouncer.ini`` of a transaction-mode pooler in front of ``backend`` (host:port)."""
    host, _, backend_port = backend.partition(":")
    return "\n".join(
        (
            "[databases]",
            f"* = host={host} port={backend_port}",
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            f"listen_port = {port}",
            f"unix_socket_dir = {folder}",
            "auth_type = trust",
            f"auth_file = {folder / 'userlist.txt'}",
            "pool_mode = transaction",
            f"default_pool_size = {pool_size}",
            "min_pool_size = 0",
            "reserve_pool_size = 0",
            "max_client_conn = 200",
            # What a transaction-mode deployment runs: nothing is reset between clients
            # (server_reset_query applies to session mode only), so a leak would show.
            "server_reset_query = DISCARD ALL",
            "server_reset_query_always = 0",
            "ignore_startup_parameters = extra_float_digits",
            f"logfile = {folder / 'pgbouncer.log'}",
            f"pidfile = {folder / 'pgbouncer.pid'}",
            "",
        )
    )


@contextlib.contextmanager
def bouncing(
    postgres_url: str, program: Path, *, pool_size: int = SERVER_POOL_SIZE
) -> Iterator[Bouncer]:
    """PgBouncer in transaction mode in front of ``postgres_url``'s server, stopped at the end.

    Raises RuntimeError (with PgBouncer's log) when it does not start or accept in time.
    """
    parsed = make_url(postgres_url)
    backend = f"{parsed.host or '127.0.0.1'}:{parsed.port or 5432}"
    folder = Path(tempfile.mkdtemp(prefix="pool_pgbouncer_"))
    try:
        port = free_port()
        log = folder / "pgbouncer.log"
        (folder / "userlist.txt").write_text(f'"{RUN_AS}" ""\n')
        (folder / "pgbouncer.ini").write_text(
            config(port=port, folder=folder, backend=backend, pool_size=pool_size)
        )
        if os.geteuid() == 0:
            shutil.chown(folder, user=RUN_AS)
        for name in ("userlist.txt", "pgbouncer.ini"):
            (folder / name).chmod(0o644)
        bouncer = Bouncer(port=port, log=log, database=str(parsed.database))
        with _running(program, folder, bouncer):
            yield bouncer
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _running(program: Path, folder: Path, bouncer: Bouncer) -> Iterator[None]:
    command = [str(program), str(folder / "pgbouncer.ini")]
    user = RUN_AS if os.geteuid() == 0 else None
    with (folder / "stdout.log").open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            command, cwd=folder, stdout=sink, stderr=subprocess.STDOUT, user=user, group=user
        )
    try:
        _wait_until_accepting(process, folder, bouncer)
        yield
    finally:
        _stop(process)


def _wait_until_accepting(process: subprocess.Popen[bytes], folder: Path, bouncer: Bouncer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pgbouncer exited ({process.returncode}):\n{_logs(folder)}")
        try:
            socket.create_connection(("127.0.0.1", bouncer.port), timeout=1).close()
        except OSError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"pgbouncer did not accept within {START_TIMEOUT} s:\n{_logs(folder)}")


def _logs(folder: Path) -> str:
    return "\n".join(
        path.read_text(errors="replace")
        for path in (folder / "stdout.log", folder / "pgbouncer.log")
        if path.exists()
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def started_bouncer(
    db_url: str, *, pool_size: int = SERVER_POOL_SIZE, program: Path | None = None
) -> Iterator[Bouncer]:
    """PgBouncer in front of the test database; a failure (never a skip) if it will not start.

    ``program`` replaces the installed ``pgbouncer`` (the test of that failure).
    """
    program = program or tools.require("pgbouncer")["pgbouncer"]
    with contextlib.ExitStack() as stack:
        try:
            bouncer = stack.enter_context(bouncing(db_url, program, pool_size=pool_size))
        except RuntimeError as error:
            tools.unavailable(str(error))
            raise
        yield bouncer


SESSION_STATE = """
SELECT pg_backend_pid() AS pid,
       current_setting('synchronous_commit') AS synchronous_commit,
       (SELECT count(*) FROM pg_prepared_statements) AS prepared,
       (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())
           AS advisory_locks,
       (SELECT count(*) FROM pg_listening_channels()) AS channels,
       (SELECT count(*) FROM pg_class WHERE relnamespace = pg_my_temp_schema()) AS temp_tables
"""
"""What a server connection would carry from one client's transaction into another's."""


async def session_states(bouncer: Bouncer, count: int) -> list[dict[str, object]]:
    """The state of ``count`` distinct server connections, each held by an open transaction."""
    conns = [await asyncpg.connect(bouncer.url(), statement_cache_size=0) for _ in range(count)]
    try:
        transactions = [conn.transaction() for conn in conns]
        for transaction in transactions:
            await transaction.start()
        states = [dict(await conn.fetchrow(SESSION_STATE)) for conn in conns]
        for transaction in transactions:
            await transaction.rollback()
    finally:
        for conn in conns:
            await conn.close()
    return states


def assert_clean(states: list[dict[str, object]]) -> None:
    """No server connection carries a setting, statement, lock, channel or temp table."""
    assert len({state["pid"] for state in states}) == len(states)
    for state in states:
        assert state["synchronous_commit"] == "on", state
        assert (state["prepared"], state["advisory_locks"]) == (0, 0), state
        assert (state["channels"], state["temp_tables"]) == (0, 0), state
