"""The one place that reads the wall clock, so tests and services agree on UTC.

Tests that need time to pass (a reservation's expiry, a lease running out) run the code under
``clock.frozen_at(moment)`` and move it with ``advance``: a context variable, so a test's
clock never leaks into another task or test, and production reads the wall clock directly.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(slots=True)
class TestClock:
    """A clock that stands still until a test moves it."""

    __test__ = False  # not a pytest test class

    now: datetime

    def advance(self, by: timedelta) -> None:
        """Move the clock forward by ``by``."""
        self.now += by


_test_clock: ContextVar[TestClock | None] = ContextVar("orderyard_test_clock", default=None)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    clock = _test_clock.get()
    return datetime.now(UTC) if clock is None else clock.now


def seconds() -> float:
    """Monotonic seconds for measuring intervals; the frozen clock's, under ``frozen_at``.

    Cheaper than ``utcnow()`` (no datetime is made) for a hot path that only subtracts.
    """
    clock = _test_clock.get()
    return time.monotonic() if clock is None else clock.now.timestamp()


@contextmanager
def frozen_at(moment: datetime) -> Iterator[TestClock]:
    """Run the block on a clock that reads ``moment`` until the block moves it."""
    clock = TestClock(moment)
    token = _test_clock.set(clock)
    try:
        yield clock
    finally:
        _test_clock.reset(token)
