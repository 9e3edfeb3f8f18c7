"""The hottest statements, run on the asyncpg connection underneath SQLAlchemy's.

A statement executed through SQLAlchemy costs this process about 160 µs of CPU more than the
same statement on the asyncpg connection (execution context, parameter and result processing,
the greenlet hop; ``bench/statement_cost.py``), and placing an order runs four of them. Those
few statements are compiled once for PostgreSQL here and sent to the driver directly, with
their bind parameters processed by their own types, as SQLAlchemy would.

Only while the connection autocommits: SQLAlchemy's asyncpg adapter sends BEGIN lazily, at
its own first statement of a transaction, so a statement sent past it could run outside the
transaction it belongs to. Anywhere else (SQLite, a transaction) the statement runs through
SQLAlchemy, and both ways return rows to unpack by position, their values processed by the
selected columns' types as SQLAlchemy would (a text statement's are the driver's values).

Statements sent this way do not pass SQLAlchemy's events or its echo: the logger
``orderyard.store.driver`` logs each one at DEBUG instead.

Behind a transaction-mode pooler (``engine.without_prepared_statements``) a connection has
no statement cache: each statement is kept here, per connection, as asyncpg's unnamed
statement, whose description is known and which asyncpg parses again with every execution
(one round trip, like a named one; without this cache, two).
"""

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import Insert, Select, TextClause, Update
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import TypeEngine

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
log = logging.getLogger(__name__)

_UNNAMED: "WeakKeyDictionary[asyncpg.Connection, dict[str, Any]]" = WeakKeyDictionary()
"""The connections without prepared statements, each with its unnamed statements by SQL."""

Row = Sequence[Any]
Statement = Select[Any] | TextClause | Insert | Update
"""What runs on the driver: a SELECT, a text statement, or an INSERT or UPDATE returning rows."""


class DriverStatement:
    """A statement compiled once for asyncpg: its SQL, and its parameters in position order."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = compiled.string
        self._names = tuple(compiled.positiontup or ())
        binds = [compiled.binds[name] for name in self._names]
        self._processors = tuple(_for_driver(b.type).bind_processor(_DIALECT) for b in binds)
        self._literals = {
            name: bind.effective_value
            for name, bind in zip(self._names, binds, strict=True)
            if not bind.required
        }
        """Values the statement carries itself (``.limit(1)``), used where ``params`` has none."""
        columns = statement.selected_columns if isinstance(statement, Select) else ()
        self.columns = tuple(str(c.key) for c in columns)
        """The selected columns' names, in row order (a Core SELECT's only)."""
        results = [_for_driver(c.type).result_processor(_DIALECT, None) for c in columns]
        self._results = tuple(results) if any(results) else None

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        """The driver's positional arguments for ``params``, each processed by its type."""
        values = (params[name] if name in params else self._literals[name] for name in self._names)
        return [
            value if process is None or value is None else process(value)
            for value, process in zip(values, self._processors, strict=True)
        ]

    async def fetch(self, conn: AsyncConnection, params: Mapping[str, Any]) -> Sequence[Row]:
        """Every row, on the driver when ``conn`` autocommits on PostgreSQL."""
        driver = _autocommitting_driver(conn)
        if driver is None:
            return (await conn.execute(self.statement, dict(params))).all()
        arguments = self.arguments(params)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s", self.sql, extra={"arguments": arguments})
        try:
            unnamed = _UNNAMED.get(driver) if _UNNAMED else None
            if unnamed is None:
                rows: Sequence[Row] = await driver.fetch(self.sql, *arguments)
            else:
                rows = await self._fetch_unnamed(driver, unnamed, arguments)
        except asyncpg.IntegrityConstraintViolationError as error:
            raise IntegrityError(self.sql, params, error) from error
        except asyncpg.PostgresError as error:
            raise DBAPIError(self.sql, params, error) from error
        if self._results is None:
            return rows
        results = self._results
        return [
            tuple(v if p is None or v is None else p(v) for v, p in zip(row, results, strict=True))
            for row in rows
        ]

    async def _fetch_unnamed(
        self, driver: asyncpg.Connection, unnamed: dict[str, Any], arguments: list[Any]
    ) -> Sequence[Row]:
        statement = unnamed.get(self.sql)
        if statement is None:
            statement = unnamed[self.sql] = await driver.prepare(self.sql, name="")
        rows: Sequence[Row] = await statement.fetch(*arguments)
        return rows


def unnamed_statements(driver: asyncpg.Connection) -> None:
    """Send this module's statements to ``driver`` (statement cache off) unnamed, as described.

    ``Connection.prepare(name="")`` on a connection whose statement cache is off gives the
    unnamed statement marked to be parsed again with each Bind (asyncpg >= 0.29), so keeping
    it saves the Parse/Describe round trip ``Connection.fetch`` would make every time.
    """
    _UNNAMED[driver] = {}


def _for_driver(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type as PostgreSQL with asyncpg implements it (``Id`` is BIGINT there, say)."""
    return type_.dialect_impl(_DIALECT)


def autocommits(conn: AsyncConnection) -> bool:
    """Whether each statement on ``conn`` commits on its own (PostgreSQL's autocommit)."""
    return _autocommitting_driver(conn) is not None


def _autocommitting_driver(conn: AsyncConnection) -> asyncpg.Connection | None:
    if conn.dialect.name != "postgresql" or conn.sync_connection is None:
        return None
    # The checked-out connection as is (``get_raw_connection()`` is the same through a
    # greenlet hop): a unit of work's connection is open, so this does no I/O.
    pooled = conn.sync_connection.connection
    adapted = pooled.dbapi_connection
    if adapted is None or not adapted.autocommit:
        return None
    driver: asyncpg.Connection = pooled.driver_connection
    return driver
