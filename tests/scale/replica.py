"""A streaming replica of the test PostgreSQL, made for a test module and removed after it.

``pg_basebackup -R -X stream`` copies the whole cluster (every database on the test server,
not only ours: its size bounds the time, printed at the start) into a temporary folder under
``/tmp``; the copy starts as a hot standby on a free port with its own socket folder. Debian
keeps the configuration outside the data folder, so the standby is given a small one of its
own. PostgreSQL refuses to run as root: every program runs as ``postgres``.
"""

import asyncio
import contextlib
import os
import shutil
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

START_SECONDS = 60
BACKUP_SECONDS = 180
"""The base backup's bound; this machine's cluster (about 1.2 GB) copies in well under it."""
CATCH_UP_SECONDS = 30.0
CONFIG = """\
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
hot_standby = on
max_connections = 100
shared_buffers = 32MB
fsync = off
hot_standby_feedback = on
"""
"""``max_connections`` may not be below the primary's (100), or a hot standby refuses to start."""
HBA = "local all all trust\nhost all all 127.0.0.1/32 trust\n"


@dataclass
class StreamingReplica:
    """A running standby of the test server: its URL and a few levers on its replay."""

    folder: Path
    port: int
    primary_url: str
    backup_seconds: float
    stopped: bool = False

    def url_of(self, database_url: str) -> str:
        """``database_url`` (a URL on the primary) on this replica."""
        return make_url(database_url).set(port=self.port).render_as_string(hide_password=False)

    @property
    def data(self) -> Path:
        """The standby's data folder."""
        return self.folder / "data"

    async def _execute(self, sql: str, *, on_primary: bool = False) -> object:
        url = make_url(self.primary_url)
        conn = await asyncpg.connect(
            host=url.host,
            port=(url.port or 5432) if on_primary else self.port,
            user=url.username,
            database=url.database,
        )
        try:
            return await conn.fetchval(sql)
        finally:
            await conn.close()

    async def pause_replay(self) -> None:
        """Stop applying WAL: the standby keeps receiving, and shows the past."""
        await self._execute("SELECT pg_wal_replay_pause()")

    async def resume_replay(self) -> None:
        """Apply WAL again (and wait until everything the primary wrote so far shows)."""
        await self._execute("SELECT pg_wal_replay_resume()")
        await self.wait_caught_up()

    async def wait_caught_up(self, timeout: float = CATCH_UP_SECONDS) -> None:
        """Wait until the standby has replayed the primary's current WAL position."""
        target = await self._execute("SELECT pg_current_wal_lsn()::text", on_primary=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replayed = await self._execute(
                f"SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '{target}') >= 0"
            )
            if replayed:
                return
            await asyncio.sleep(0.05)
        raise TimeoutError(f"the replica did not replay up to {target} within {timeout} s")

    def stop(self) -> None:
        """Stop it at once, as a crash would (``pg_ctl stop -m immediate``)."""
        if not self.stopped:
            stop = [_pg("pg_ctl"), "stop", "-D", str(self.data), "-m", "immediate", "-w"]
            subprocess.run(  # noqa: S603 - our own fixed command
                [*_POSTGRES_USER, *stop], check=False, capture_output=True, timeout=60
            )
            self.stopped = True


@contextlib.contextmanager
def streaming_replica(primary_url: str) -> Iterator[StreamingReplica]:
    """A hot standby of the server of ``primary_url``, caught up; stopped and removed after.

    Fails the test (``tools.unavailable``) when it cannot be made or started.
    """
    tools.require("pg_basebackup", "pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="orderyard-replica-", dir="/tmp"))
    replica: StreamingReplica | None = None
    try:
        shutil.chown(folder, "postgres", "postgres")
        backup_seconds = _base_backup(primary_url, folder / "data")
        port = free_port()
        _configure(folder, port)
        replica = StreamingReplica(folder, port, primary_url, backup_seconds)
        _start(replica)
        asyncio.run(replica.wait_caught_up())
        yield replica
    finally:
        if replica is not None:
            replica.stop()
        shutil.rmtree(folder, ignore_errors=True)


def _base_backup(primary_url: str, data: Path) -> float:
    url = make_url(primary_url)
    started = time.monotonic()
    _as_postgres(
        _pg("pg_basebackup"),
        *("-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", "postgres"),
        *("-D", str(data), "-R", "-X", "stream", "-c", "fast", "--no-sync"),
        timeout=BACKUP_SECONDS,
    )
    return time.monotonic() - started


def _configure(folder: Path, port: int) -> None:
    sockets = folder / "sockets"
    sockets.mkdir()
    shutil.chown(sockets, "postgres", "postgres")
    data = folder / "data"
    for name, content in (
        ("postgresql.conf", CONFIG.format(port=port, sockets=sockets)),
        ("pg_hba.conf", HBA),
        ("pg_ident.conf", ""),
    ):
        (data / name).write_text(content)
        shutil.chown(data / name, "postgres", "postgres")


def _start(replica: StreamingReplica) -> None:
    log = replica.folder / "replica.log"
    _as_postgres(
        _pg("pg_ctl"),
        *("start", "-D", str(replica.data), "-l", str(log), "-w", "-t", str(START_SECONDS)),
        timeout=START_SECONDS + 10,
        log=log,
    )


def _pg(name: str) -> str:
    found = tools.program(name)
    if found is None:
        tools.unavailable(f"{name} not found")
        raise AssertionError  # unreachable: unavailable() fails the test
    return str(found)


_POSTGRES_USER = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
"""PostgreSQL will not run as root: its programs run as ``postgres``."""


def _as_postgres(*command: str, timeout: float = 60, log: Path | None = None) -> None:
    """Run ``command`` as ``postgres``; a failure fails the test with its output."""
    name = Path(command[0]).name
    try:
        subprocess.run(  # noqa: S603 - our own fixed command
            [*_POSTGRES_USER, *command],
            check=True,
            capture_output=True,
            timeout=timeout,
            cwd=tempfile.gettempdir(),  # a folder ``postgres`` may enter
        )
    except subprocess.CalledProcessError as error:
        output = (error.stdout or b"").decode() + (error.stderr or b"").decode()
        tail = log.read_text()[-2000:] if log is not None and log.exists() else ""
        tools.unavailable(f"{name} failed ({error.returncode}): {output}{tail}")
    except subprocess.TimeoutExpired:
        tools.unavailable(f"{name} did not finish within {timeout} s")
