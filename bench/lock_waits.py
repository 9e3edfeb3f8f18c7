"""How many of the bench database's sessions wait on a lock, sampled during a load run.

Orders of one hot SKU all take stock from one row: PostgreSQL lets one transaction at a time
hold it, and more app nodes only add sessions waiting for it. The mean number of sessions
waiting on a lock (``pg_stat_activity.wait_event_type = 'Lock'``) shows that ceiling beside
the CPU figures.
"""

import asyncio
import statistics
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import asyncpg

INTERVAL_S = 0.1
WAITING = (
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


@dataclass
class LockWaits:
    """Samples of the number of sessions waiting on a lock; ``mean`` once the run ended."""

    samples: list[int] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) if self.samples else 0.0


@contextmanager
def sampling_lock_waits(dsn: str) -> Iterator[LockWaits]:
    """Sample ``WAITING`` every ``INTERVAL_S`` on its own connection while the block runs."""
    waits = LockWaits()
    stop = threading.Event()

    async def sample() -> None:
        conn = await asyncpg.connect(dsn)
        try:
            while not stop.is_set():
                waits.samples.append(int(await conn.fetchval(WAITING)))
                await asyncio.sleep(INTERVAL_S)
        finally:
            await conn.close()

    thread = threading.Thread(target=asyncio.run, args=(sample(),), daemon=True)
    thread.start()
    try:
        yield waits
    finally:
        stop.set()
        thread.join(timeout=5)
