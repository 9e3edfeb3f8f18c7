"""What every command shares: settings, engines, and one-line errors with a non-zero exit.

Every command reads its settings through ``load_settings`` and reaches its database through
``prepare_database`` (``run`` does both), so a typo in a variable, an unsupported URL, a
server that is down or a database that was never migrated ends in one line, not a traceback.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from pydantic import ValidationError

from orderyard.domain.errors import DomainError
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.settings import Settings, UnknownSettingError
from orderyard.store import migrate
from orderyard.store.engine import Engines, create_engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

T = TypeVar("T")


def fail(message: str) -> typer.Exit:
    """Print a one-line error to stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a domain error into a one-line message and exit code 1."""
    try:
        yield
    except DomainError as error:
        raise fail(f"{error.code}: {error.message}") from None


def load_settings() -> Settings:
    """The settings from the environment and ``.env``, or one line saying what is wrong."""
    try:
        return Settings()
    except UnknownSettingError as error:
        raise fail(str(error)) from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}:"
            f" {problem['msg'].removeprefix('Value error, ')}"
            for problem in error.errors()
        )
        raise fail(f"invalid settings: {problems}") from None


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn an unreachable or unmigrated database into one line and exit code 1."""
    try:
        yield
    except migrate.DatabaseError as error:
        raise fail(str(error)) from None


def prepare_database(settings: Settings) -> None:
    """Migrate the embedded SQLite database; refuse a PostgreSQL one not at the head.

    Migrations never run implicitly on PostgreSQL: they are a deploy step.
    """
    with database_errors():
        if settings.is_sqlite:
            migrate.upgrade(settings.database.url)
        else:
            migrate.require_current(settings.database.url)


def run(work: Callable[[Engines], Awaitable[T]], *, account: int | None = None) -> T:
    """Run ``work`` with engines for the configured database, then close them.

    The embedded SQLite database is migrated first, as ``serve`` does; a PostgreSQL one
    must already be at the head. With ``account``, a missing account fails with one line
    before any work starts.
    """
    settings = load_settings()
    prepare_database(settings)

    async def _main() -> T:
        engines = create_engines(
            settings.database.url, prepared_statements=settings.database.prepared_statements
        )
        try:
            with domain_errors():
                if account is not None:
                    await account_service.require_account(system(engines), account)
                return await work(engines)
        finally:
            await engines.dispose()

    return asyncio.run(_main())


def tenant(engines: Engines, account: int) -> UnitOfWork:
    """A unit of work for one account, acting as the command line."""
    return UnitOfWork(engines.write, AccountId(account), actor="cli")


def system(engines: Engines) -> SystemUnitOfWork:
    """A tenant-less unit of work."""
    return SystemUnitOfWork(engines.write)


def emit(as_json: bool, payload: dict[str, Any], text: str) -> None:
    """Print ``payload`` as JSON, or ``text`` for people."""
    typer.echo(json.dumps(payload) if as_json else text)
