"""Apply and check migrations programmatically (the CLI, `serve` on SQLite, the tests).

Before any of it, the database is reached once on its own (``reach``), so that a server that
is down, a database that does not exist or a file that cannot be opened is told apart from a
failing migration, and reported in one line instead of a driver's traceback.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_HINT = "run `orderyard db upgrade`"


class DatabaseError(Exception):
    """The database cannot be used as it stands; the message is one line for people."""


class UnreachableDatabaseError(DatabaseError):
    """The server does not answer, refuses the login, or the database or file is missing."""


class OutdatedSchemaError(DatabaseError):
    """The database's schema is not at the code's migration head."""


ONE_OFF = {"statement_cache_size": 0}
"""asyncpg's options for the one-off connections (the schema check at start-up, the
migrations): no named prepared statements, so that they work through PgBouncer in
transaction mode too, where a process's ``__asyncpg_stmt_1__`` may already exist on the server
connection from another process's (docs/scaling.md, "Through PgBouncer")."""


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` that needs no alembic.ini on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head() -> str | None:
    """The code's migration head."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def shown(url: str) -> str:
    """``url`` as it may be printed: as the user wrote it (no driver), without its password."""
    parsed = make_url(url)
    return parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)


def current(url: str) -> str | None:
    """The revision the database at ``url`` is at (``None``: never migrated).

    Raises:
        UnreachableDatabaseError: the database cannot be reached.
    """

    def _revision(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # The stdlib driver, not aiosqlite: a failed aiosqlite connect leaves its worker
        # thread to report to an event loop that asyncio.run has closed by then.
        engine = create_engine(parsed.set(drivername="sqlite"), poolclass=pool.NullPool)
        try:
            with _reaching(url), engine.connect() as connection:
                return _revision(connection)
        finally:
            engine.dispose()

    async def _read() -> str | None:
        engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=ONE_OFF)
        try:
            with _reaching(url):
                connection = await engine.connect()
            try:
                return await connection.run_sync(_revision)
            finally:
                await connection.close()
        finally:
            await engine.dispose()

    return asyncio.run(_read())


def require_current(url: str) -> None:
    """Refuse a database whose schema is not at the head: every query on it would fail.

    Raises:
        UnreachableDatabaseError: the database cannot be reached.
        OutdatedSchemaError: it was never migrated, or is behind (or ahead of) the code.
    """
    at, wanted = current(url), head()
    if at == wanted:
        return
    state = "has no schema" if at is None else f"is at migration {at}, the code at {wanted}"
    raise OutdatedSchemaError(f"the database at {shown(url)} {state}: {UPGRADE_HINT}")


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``.

    Raises:
        UnreachableDatabaseError: the database cannot be reached.
    """
    current(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at ``url`` down to ``revision``.

    Raises:
        UnreachableDatabaseError: the database cannot be reached.
    """
    current(url)
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Fail if the schema differs from the tables the code declares.

    Raises:
        UnreachableDatabaseError: the database cannot be reached.
        OutdatedSchemaError: it is not at the head, or differs from the tables.
    """
    require_current(url)
    try:
        command.check(alembic_config(url))
    except CommandError as error:
        first = str(error).splitlines()[0]
        raise OutdatedSchemaError(f"the schema differs from the code's tables: {first}") from None


@contextmanager
def _reaching(url: str) -> Iterator[None]:
    """Turn a failure to connect into one line naming the database (never its password)."""
    try:
        yield
    except (OSError, DBAPIError) as error:
        where = shown(url)
        raise UnreachableDatabaseError(
            f"cannot reach the database at {where}: {_reason(error)}"
        ) from None


def _reason(error: BaseException) -> str:
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
