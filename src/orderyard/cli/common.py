"""What every command shares: settings, engines, and one-line errors with a non-zero exit."""

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer

from orderyard.domain.errors import DomainError
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.settings import Settings
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


def run(work: Callable[[Engines], Awaitable[T]], *, account: int | None = None) -> T:
    """Run ``work`` with engines for the configured database, then close them.

    The embedded SQLite database is migrated first, as ``serve`` does. With ``account``,
    a missing account fails with one line before any work starts.
    """
    settings = Settings()
    if settings.is_sqlite:
        migrate.upgrade(settings.database.url)

    async def _main() -> T:
        engines = create_engines(settings.database.url)
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
