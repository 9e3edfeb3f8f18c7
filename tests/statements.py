"""Counting the SQL statements a call sends: through SQLAlchemy, and on the driver past it.

``store/driver.py`` sends a few hot statements straight to asyncpg, where SQLAlchemy's events
do not see them; it logs each one instead, so the two sources together are every statement,
in the order sent (both are synchronous).
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from orderyard.store import driver

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


class _Logged(logging.Handler):
    def __init__(self, record: Callable[[str], None]) -> None:
        super().__init__(logging.DEBUG)
        self._record = record

    def emit(self, record: logging.LogRecord) -> None:
        self._record(record.getMessage())


@contextmanager
def _driver_logging(record: Callable[[str], None]) -> Iterator[None]:
    handler = _Logged(record)
    level = driver.log.level
    driver.log.addHandler(handler)
    driver.log.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        driver.log.removeHandler(handler)
        driver.log.setLevel(level)


@contextmanager
def on_the_driver() -> Iterator[list[str]]:
    """The first word of every statement sent on the driver inside the block."""
    statements: list[str] = []
    with _driver_logging(lambda statement: statements.append(statement.split()[0].upper())):
        yield statements


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """The first word of every statement sent inside the block, transaction control aside,
    through ``engine`` or on the driver."""
    statements: list[str] = []

    def kind(statement: str) -> None:
        if not statement.lstrip().upper().startswith(CONTROL):
            statements.append(statement.split()[0].upper())

    def sent(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        kind(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", sent)
    try:
        with _driver_logging(kind):
            yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", sent)


@contextmanager
def checkouts(engine: AsyncEngine) -> Iterator[list[object]]:
    """One item per connection checked out of ``engine``'s pool inside the block."""
    made: list[object] = []

    def checked_out(*_args: Any) -> None:
        made.append(object())

    pool = engine.sync_engine.pool
    event.listen(pool, "checkout", checked_out)
    try:
        yield made
    finally:
        event.remove(pool, "checkout", checked_out)
