"""Engines for both backends, with the transaction behaviour the stock ledger relies on.

SQLite: SQLAlchemy renders ``FOR UPDATE`` as nothing there, so write transactions take the
database write lock up front with ``BEGIN IMMEDIATE`` (the recipe in SQLAlchemy's SQLite docs,
"Serializable isolation / Savepoints / Transactional DDL", applied to aiosqlite). The write
engine keeps one connection, so writers queue in the pool instead of spinning on the busy
handler; reads use their own engine and plain deferred ``BEGIN`` under WAL.

PostgreSQL: READ COMMITTED and conditional UPDATEs; one pool serves reads and writes. Reads
run in autocommit: under READ COMMITTED every statement takes its own snapshot whether or not
a transaction is open, so BEGIN and ROLLBACK around a read would buy nothing and cost two
round trips per request.
"""

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import Pool

from orderyard.kit.metrics import POOL_WAIT_SECONDS, POOL_WAITS
from orderyard.store.driver import unnamed_statements
from orderyard.store.replica import Replica

SQLITE_BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True, slots=True)
class Engines:
    """The write engine and the read engine (on PostgreSQL, the same pool in autocommit)."""

    write: AsyncEngine
    read: AsyncEngine
    replica: Replica | None = None
    """The read replica for lag-tolerant reads (``store/replica.py``), if one is set."""

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self.replica is not None:
            await self.replica.dispose()
        await self.write.dispose()
        if self.read.sync_engine.pool is not self.write.sync_engine.pool:
            await self.read.dispose()


def create_engines(
    url: str, *, pool_size: int = 10, echo: bool = False, prepared_statements: bool = True
) -> Engines:
    """Build the engines for ``url`` (an async SQLAlchemy URL).

    ``prepared_statements=False`` (PostgreSQL; behind PgBouncer in transaction mode): no
    statement is named on the server, see ``without_prepared_statements``.
    """
    if url.startswith("sqlite"):
        write = _sqlite_engine(url, begin="BEGIN IMMEDIATE", pool_size=1, echo=echo)
        read = _sqlite_engine(url, begin="BEGIN", pool_size=pool_size, echo=echo)
        return Engines(write=write, read=read)
    # No overflow: an overflow connection is closed when it comes back to a full pool, so
    # under sustained load every request beyond pool_size opened and closed a PostgreSQL
    # connection (480 sessions in a 10 s get-order run at c=64, 643 -> 1,062 requests/s
    # without them). Requests beyond the pool wait their turn at its gate instead.
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=False,
        echo=echo,
        connect_args={} if prepared_statements else {"statement_cache_size": 0},
    )
    if not prepared_statements:
        without_prepared_statements(engine)
    # Many-row INSERTs (the ledger, a feed's stock levels) go out as multi-row VALUES
    # statements of up to 1,000 rows, as SQLAlchemy already does for INSERT ... RETURNING,
    # instead of one server-side execution per row (the ledger rows of a 100,000-row feed:
    # 5.0 -> 3.9 s).
    engine.sync_engine.dialect.use_insertmanyvalues_wo_returning = True
    return Engines(write=engine, read=engine.execution_options(isolation_level="AUTOCOMMIT"))


def without_prepared_statements(engine: AsyncEngine) -> None:
    """Run every statement of ``engine`` as PostgreSQL's unnamed statement, parsed anew each time.

    A pooler in transaction mode (PgBouncer before 1.21) hands each transaction, and each
    statement outside one, to whichever server connection is free: a statement named on one is
    missing on the next ("prepared statement does not exist"), or another client's of the same
    name is there already. With asyncpg's statement cache off (``statement_cache_size=0``, set
    in ``connect_args``), asyncpg names none: SQLAlchemy's ``prepare()`` gets the unnamed
    statement, which asyncpg marks to be parsed again in the same message group as each
    Bind/Execute, so a statement never depends on an earlier round trip's server connection.
    SQLAlchemy still caches each statement's description (one round trip per execution, as with
    names); the driver's statements get the same from a cache per connection
    (``driver.unnamed_statements``).
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        unnamed_statements(dbapi_connection.driver_connection)


def _sqlite_engine(url: str, *, begin: str, pool_size: int, echo: bool) -> AsyncEngine:
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=0, pool_timeout=120, echo=echo
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
            f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)

    return engine


_gates: "WeakKeyDictionary[Pool, asyncio.Semaphore]" = WeakKeyDictionary()


def pool_gate(engine: AsyncEngine) -> asyncio.Semaphore | None:
    """The first-come-first-served queue in front of ``engine``'s pool (None: no pool limit).

    SQLAlchemy's async pool parks waiting checkouts on an ``asyncio.Queue``, which hands a
    returned connection to whoever asks next: a newcomer takes it ahead of the waiter that was
    woken for it, and that waiter queues again at the back. Under sustained overload some
    requests waited seconds (get order at c=64: p50 39 ms, p99 1.8 s). A semaphore as large
    as the pool, taken before a checkout, is first come first served (newcomers queue behind
    its waiters), so the pool itself never has a waiter. Engines sharing a pool share a gate.
    """
    pool = engine.sync_engine.pool
    size = getattr(pool, "size", None)
    if size is None:
        return None
    gate = _gates.get(pool)
    if gate is None:
        gate = _gates[pool] = asyncio.Semaphore(size())
    return gate


async def pass_gate(gate: asyncio.Semaphore) -> None:
    """Take a place at ``gate``; a wait (every connection taken) is counted and timed.

    The metrics ``orderyard_pool_waits_total`` and ``orderyard_pool_wait_seconds``: a free
    place costs one ``locked()`` check more than ``acquire()`` alone.
    """
    if not gate.locked():
        await gate.acquire()
        return
    started = time.perf_counter()
    await gate.acquire()
    POOL_WAITS.inc()
    POOL_WAIT_SECONDS.observe(time.perf_counter() - started)
