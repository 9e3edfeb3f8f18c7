"""A streaming replica that serves the reads which may be a little stale, or none of them.

``ORDERYARD_DATABASE__REPLICA_URL`` names a PostgreSQL hot standby of the primary. A read
unit of work opened with ``tolerating_lag()`` (lists, searches, statistics, the console's
pages) asks ``Replica.engine_for_reads()`` where to go: the replica while it answers and lags
no more than the allowance, else the primary (None). Nothing ever fails because of the
replica: a refused or slow connection, or a lag past the allowance, sends reads to the
primary until the next check (docs/scaling.md, "A read replica").

The lag is measured on the replica alone, with no extra statement on the primary:

- WAL received and all of it replayed (``pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()``
  while a WAL receiver runs): the replica shows everything the primary has sent it, lag 0.
  ``now() - pg_last_xact_replay_timestamp()`` alone would grow without bound on an idle
  primary, when there is nothing to replay.
- WAL waiting to be replayed (replay slow or paused), or no WAL receiver (streaming broken):
  the lag is the age of the last transaction replayed, ``now() -
  pg_last_xact_replay_timestamp()``. It over-estimates after an idle spell (the first new
  transaction makes the lag look as old as the idle time), which errs on the primary's side.

The verdict is kept for ``check_seconds``, so a busy process checks about once a second, not
once per request; while one request checks, the others use the last verdict.
"""

import asyncio
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from orderyard.kit.metrics import REPLICA_LAG_SECONDS, REPLICA_READS, REPLICA_USABLE

CONNECT_TIMEOUT_SECONDS = 2.0
"""A replica that does not answer within this is down (asyncpg waits 60 s by default)."""
CHECK_TIMEOUT_SECONDS = 2.0
UNREACHABLE = (OSError, TimeoutError, SQLAlchemyError)
"""What a down, starting or stopping replica raises: refused, timed out, or the server's
own refusal (``the database system is starting up``) wrapped by SQLAlchemy."""

LAG = text(
    "SELECT pg_is_in_recovery() AS standby,"
    " EXISTS (SELECT FROM pg_stat_wal_receiver WHERE pid IS NOT NULL) AS receiving,"
    " pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS replayed_all,"
    " EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) AS since_replay"
)
"""The standby's own view of its lag: no table, no account (a system statement)."""


@dataclass(frozen=True, slots=True)
class ReplicaState:
    """The last verdict on the replica: may reads go there, and why (or why not)."""

    usable: bool
    lag_seconds: float | None
    """None: unknown (unreachable, or nothing replayed yet)."""
    reason: str
    checked_at: float
    """``time.monotonic()`` of the check."""


def create_replica_engine(url: str, *, pool_size: int, echo: bool = False) -> AsyncEngine:
    """The replica's own pool, in autocommit like the primary's read engine.

    Pre-ping: a pooled connection to a replica that was stopped is found dead at checkout
    (where ``ReadUnitOfWork`` can still turn to the primary) rather than by the read's first
    statement, half-way through a request. One round trip per read on the replica.
    """
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=True,
        pool_timeout=CONNECT_TIMEOUT_SECONDS * 5,
        echo=echo,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def open_replica(
    url: str, *, pool_size: int, max_lag_seconds: float, check_seconds: float, echo: bool = False
) -> "Replica":
    """The replica at ``url``: a pool for the reads, and one connection for the checks.

    The checks have their own connection so that a replica whose pool is all taken by reads
    is not mistaken for one that is down (a check waiting for a pooled connection would time
    out, and send the reads to the primary for no reason).
    """
    return Replica(
        create_replica_engine(url, pool_size=pool_size, echo=echo),
        checker=create_replica_engine(url, pool_size=1, echo=echo),
        max_lag_seconds=max_lag_seconds,
        check_seconds=check_seconds,
    )


class Replica:
    """The replica's engine and the cached verdict on whether reads may go to it."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        max_lag_seconds: float,
        check_seconds: float = 1.0,
        checker: AsyncEngine | None = None,
    ) -> None:
        self.engine = engine
        self._checker = checker or engine
        self.max_lag_seconds = max_lag_seconds
        self.check_seconds = check_seconds
        self._state = ReplicaState(False, None, "not checked yet", -float("inf"))
        self._checking = asyncio.Lock()

    @property
    def state(self) -> ReplicaState:
        """The last verdict, as it is (no check)."""
        return self._state

    async def engine_for_reads(self) -> AsyncEngine | None:
        """The replica's engine if a lag-tolerant read may go there now; None: the primary."""
        state = self._state
        due = time.monotonic() - state.checked_at >= self.check_seconds
        if due and not self._checking.locked():
            async with self._checking:
                state = await self.check()
        return self.engine if state.usable else None

    async def check(self) -> ReplicaState:
        """Ask the replica for its lag now, and keep the verdict (also in ``/metrics``)."""
        try:
            async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
                async with self._checker.connect() as conn:
                    row = (await conn.execute(LAG)).one()
        except UNREACHABLE as error:
            return self._keep(None, f"unreachable: {type(error).__name__}: {error}")
        if not row.standby:
            return self._keep(None, "not in recovery: not a standby (promoted?)")
        caught_up = row.receiving and row.replayed_all
        lag = 0.0 if caught_up else _seconds(row.since_replay)
        if lag is None:
            return self._keep(None, "nothing replayed yet")
        if lag > self.max_lag_seconds:
            return self._keep(lag, f"lags {lag:.1f} s > {self.max_lag_seconds:g} s")
        return self._keep(lag, "caught up" if caught_up else f"lags {lag:.1f} s")

    def failed(self, error: BaseException) -> None:
        """A read could not reach the replica: reads go to the primary until the next check."""
        self._keep(None, f"unreachable: {type(error).__name__}: {error}", usable=False)

    def count_read(self, *, on_replica: bool) -> None:
        """Count one lag-tolerant read by the database that served it."""
        REPLICA_READS.labels(database="replica" if on_replica else "primary").inc()

    def _keep(self, lag: float | None, reason: str, *, usable: bool | None = None) -> ReplicaState:
        if usable is None:
            usable = lag is not None and lag <= self.max_lag_seconds
        self._state = ReplicaState(usable, lag, reason, time.monotonic())
        REPLICA_USABLE.set(1 if usable else 0)
        REPLICA_LAG_SECONDS.set(float("nan") if lag is None else lag)
        return self._state

    async def dispose(self) -> None:
        """Close the replica's pooled connections."""
        await self.engine.dispose()
        if self._checker is not self.engine:
            await self._checker.dispose()


def _seconds(value: object) -> float | None:
    return None if value is None else max(0.0, float(str(value)))
