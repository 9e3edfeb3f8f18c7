"""A connection with one transaction at a time, the base of every unit of work.

Opening takes a pooled connection through the pool's first-come-first-served gate (or the
request's lent one, ``store/lending.py``); leaving rolls back whatever was not committed and
gives the connection back. ``watching_commits`` tells ``http.retry`` whether a unit committed.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from orderyard.store import lending
from orderyard.store.engine import pass_gate, pool_gate


class CommitWatch:
    """Whether a unit of work committed, or may have, while it watched (``watching_commits``)."""

    committed = False


_WATCH: ContextVar[CommitWatch | None] = ContextVar("orderyard_commit_watch", default=None)


@contextmanager
def watching_commits() -> Iterator[CommitWatch]:
    """Watch the units of work this context opens: did any of them commit?

    ``http.retry`` runs a request again after the database aborted its transaction only when
    nothing of it was committed: a request that committed a unit of work before the aborted
    one (a bulk call, one unit per item) must not act twice. An autocommitting unit of work
    writes in one statement (``Transaction``), which says so when it succeeds
    (``note_committed``: the order placement); the unit also counts as committed when it
    closes without an error. Turning to a transaction (``transaction()``) commits nothing by
    itself: what ran before it autocommitted were reads (or that one statement, already
    noted), so a deadlock in the transaction that follows is still retried.
    """
    watch = CommitWatch()
    token = _WATCH.set(watch)
    try:
        yield watch
    finally:
        _WATCH.reset(token)


def note_committed() -> None:
    """Tell the watch (``watching_commits``) that a write has committed.

    Units of work do it as they commit; a write statement that commits by itself (in
    autocommit) does it when it succeeds.
    """
    watch = _WATCH.get()
    if watch is not None:
        watch.committed = True


class Transaction:
    """A connection with one open transaction for the length of an ``async with`` block.

    ``autocommit`` (honoured on PostgreSQL only): every statement commits on its own until
    ``transaction()`` is called. For a write that is one statement, which PostgreSQL makes
    atomic by itself: it saves the BEGIN and COMMIT round trips, and a row it locks is
    released when the statement ends instead of when this process gets round to sending
    COMMIT (docs/decisions.md, "An order in one statement").
    """

    _conn: AsyncConnection | None = None
    _gate: asyncio.Semaphore | None = None
    _loan: lending.Loan | None = None
    autocommits = False
    """Whether each statement commits on its own right now."""

    def __init__(self, engine: AsyncEngine, *, autocommit: bool = False) -> None:
        self._engine = engine
        self._autocommit = autocommit

    @property
    def conn(self) -> AsyncConnection:
        """The open connection (only inside the block)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not open")
        return self._conn

    async def _open(
        self, *, begin: bool = True, engine: AsyncEngine | None = None
    ) -> AsyncConnection:
        engine = engine or self._engine
        self._loan = lending.borrow(engine)
        if self._loan is not None:
            return await self._open_lent(self._loan, begin=begin)
        gate = pool_gate(engine)
        if gate is not None:
            await pass_gate(gate)
        self._gate = gate
        try:
            self._conn = await engine.connect()
        except BaseException:
            self._release_gate()
            raise
        if self._autocommit and self._conn.dialect.name == "postgresql":
            await self._conn.execution_options(isolation_level="AUTOCOMMIT")
            self.autocommits = True
            begin = False  # each statement is its own transaction: BEGIN would only cost hops
        if begin:
            await self._conn.begin()
        return self._conn

    async def _open_lent(self, loan: lending.Loan, *, begin: bool) -> AsyncConnection:
        """Open on the request's lent connection (``store/lending.py``; PostgreSQL only)."""
        conn = self._conn = loan.conn
        autocommit = self._autocommit or lending.autocommits_by_default(self._engine)
        try:
            await lending.suit(conn, autocommit=autocommit)
            if self._autocommit:
                self.autocommits = True
            elif begin and not autocommit:
                await conn.begin()
        except BaseException:
            self._conn = None
            await lending.hand_back(loan)
            raise
        return conn

    async def transaction(self) -> None:
        """From here until ``commit()``, statements commit together (or not at all).

        Only needed in autocommit; elsewhere the unit of work is one transaction already.
        """
        if not self.autocommits:
            return
        conn = self.conn
        await conn.commit()  # ends SQLAlchemy's bookkeeping: what ran autocommitted already
        await conn.execution_options(isolation_level=conn.default_isolation_level)
        await conn.begin()
        self.autocommits = False

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        conn = self.conn
        if self.autocommits and exc_type is None:
            note_committed()
        if self._loan is not None:
            loan, self._loan, self._conn, self.autocommits = self._loan, None, None, False
            await lending.hand_back(loan)
            return
        try:
            if conn.in_transaction():
                await conn.rollback()
        finally:
            try:
                await conn.close()
            finally:
                self._conn = None
                self.autocommits = False
                self._release_gate()

    def _release_gate(self) -> None:
        if self._gate is not None:
            self._gate.release()
            self._gate = None

    async def commit(self) -> None:
        """Commit everything done in this unit of work.

        An autocommitting unit whose statements all went on the driver (``store/driver.py``)
        has nothing SQLAlchemy would commit: each statement committed as it ran, and the
        greenlet hop of ``commit()`` would only cost (a keyed request's claim and answer).
        """
        conn = self.conn
        if not self.autocommits or conn.in_transaction():
            await conn.commit()
        note_committed()
