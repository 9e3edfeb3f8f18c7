"""One pooled connection lent to every unit of work of a request, one unit at a time.

A request with an ``Idempotency-Key`` opened three units of work on PostgreSQL (until
2026-12-07, when its key came to ride in its write: now one for a create, two for a request
that wrote nothing or met its key held): the key's claim, the request's own write, and the
key's answer. Each checked a connection out of the
pool and back in: a pass of the pool's gate, SQLAlchemy's checkout and its reset on return,
and the switch to autocommit and back, about 0.1 ms of this process's CPU apiece (greenlet
hops mostly), which made a keyed create cost 1.59 ms of CPU against 1.16 for a plain one
(``bench/cpu.py``). Inside ``lending(engine)`` the units of work opened on that engine's pool
use one connection, checked out once, instead (``store/transaction.py``): each unit still
begins, commits or rolls back on its own, so nothing of one unit's transaction reaches
another's. ``python -m bench.cpu --keyed-ab``: keyed 1.65 -> 1.44 ms against plain 1.17.

Only one unit uses the connection at a time: a unit opened while another holds it (two at
once in one request) checks out its own, as without lending. A unit that leaves the
connection in doubt (its rollback failed) spoils the loan; the next units check out their
own, and the spoilt connection is invalidated when the loan ends.

PostgreSQL only: SQLite's write pool is one connection, which a loan would hold for the
whole request instead of for its write transaction.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import Pool

from orderyard.store.driver import autocommits
from orderyard.store.engine import pass_gate, pool_gate


@dataclass(slots=True)
class Loan:
    """The lent connection, and whether a unit holds it or spoilt it."""

    pool: Pool
    conn: AsyncConnection
    busy: bool = False
    spoilt: bool = False

    def usable(self) -> bool:
        """Whether a unit of work may borrow the connection now."""
        return not self.busy and not self.spoilt and not self.conn.invalidated


_LOAN: ContextVar[Loan | None] = ContextVar("orderyard_lent_connection", default=None)


@asynccontextmanager
async def lending(engine: AsyncEngine) -> AsyncIterator[None]:
    """Lend one connection of ``engine``'s pool to the units of work opened in the block.

    Nothing on SQLite, or inside another loan (the outer one goes on serving).
    """
    if engine.dialect.name != "postgresql" or _LOAN.get() is not None:
        yield
        return
    gate = pool_gate(engine)
    if gate is not None:
        await pass_gate(gate)
    try:
        conn = await engine.connect()
        loan = Loan(engine.sync_engine.pool, conn)
        token = _LOAN.set(loan)
        try:
            yield
        finally:
            _LOAN.reset(token)
            await _give_back(loan)
    finally:
        if gate is not None:
            gate.release()


def borrow(engine: AsyncEngine) -> Loan | None:
    """The lent connection for a unit of work on ``engine``, taken; None: check one out."""
    loan = _LOAN.get()
    if loan is None or loan.pool is not engine.sync_engine.pool or not loan.usable():
        return None
    loan.busy = True
    return loan


def autocommits_by_default(engine: AsyncEngine) -> bool:
    """Whether ``engine`` autocommits by its own options (PostgreSQL's read engine)."""
    return engine.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


async def suit(conn: AsyncConnection, *, autocommit: bool) -> None:
    """Switch the lent ``conn`` to what the borrowing unit runs in: autocommit or not.

    A no-op when it already does (a keyed create's three units all autocommit).
    """
    if autocommits(conn) == autocommit:
        return
    level = "AUTOCOMMIT" if autocommit else conn.default_isolation_level
    await conn.execution_options(isolation_level=level)


async def hand_back(loan: Loan) -> None:
    """The borrowing unit is done: roll back what it left open, and free the connection."""
    try:
        if loan.conn.in_transaction():
            await loan.conn.rollback()
    except BaseException:
        loan.spoilt = True
        raise
    finally:
        loan.busy = False


async def _give_back(loan: Loan) -> None:
    if loan.spoilt and not loan.conn.invalidated:
        await loan.conn.invalidate()
    await loan.conn.close()
