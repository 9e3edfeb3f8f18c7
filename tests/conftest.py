"""Fixtures: a fresh, migrated database per test on SQLite (default) or PostgreSQL.

``pytest --db=postgres`` runs the suite on PostgreSQL at ``ORDERYARD_TEST_POSTGRES_URL``
(default ``postgresql://postgres@127.0.0.1:5432/orderyard_test``; the database is created
from a connection to ``test`` when missing). SQLite tests copy a migrated template file, so
every test has a real file database with WAL and ``BEGIN IMMEDIATE``; PostgreSQL tests
truncate every table before they start. Services commit for real on both.
"""

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from orderyard.kit.clock import TestClock, frozen_at
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings
from orderyard.store import migrate
from orderyard.store.engine import Engines, create_engines
from orderyard.store.tables import metadata
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import CLOCK_START, Factory
from tests.store import statement_walk

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/orderyard_test"
os.environ.setdefault("ORDERYARD_RATE_LIMIT__ENABLED", "false")
"""Tests drive one account faster than the default limits; tests/http/test_ratelimit.py sets
them explicitly."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db", choices=("sqlite", "postgres"), default="sqlite", help="Backend to test on."
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--db") == "postgres":
        statement_walk.watch()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = config.getoption("--db") == "postgres"
    for item in items:
        if "db_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL only (run with --db=postgres)"))
    items.sort(key=lambda item: item.get_closest_marker("after_everything") is not None)


def postgres_url() -> str:
    """The async URL of the PostgreSQL test database."""
    plain = os.environ.get("ORDERYARD_TEST_POSTGRES_URL", DEFAULT_PG_URL)
    return DatabaseSettings(url=plain).url


async def _recreate_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username, database="test"
    )
    try:
        exists = await admin.fetchval(
            "SELECT 1 FROM pg_database WHERE datname = $1", parsed.database
        )
        if not exists:
            await admin.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(
        host=parsed.host, port=parsed.port or 5432, user=parsed.username, database=parsed.database
    )
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def migrated_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite: the path of a migrated template file. PostgreSQL: the migrated database URL."""
    if backend == "postgres":
        url = postgres_url()
        asyncio.run(_recreate_postgres(url))
        migrate.upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return str(path)


TRUNCATE = "TRUNCATE {} RESTART IDENTITY CASCADE".format(
    ", ".join(t.name for t in metadata.sorted_tables)
)


@pytest.fixture
def db_url(backend: str, migrated_template: str, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database for this test alone."""
    if backend == "postgres":
        parsed = make_url(migrated_template)

        async def _truncate() -> None:
            conn = await asyncpg.connect(
                host=parsed.host,
                port=parsed.port or 5432,
                user=parsed.username,
                database=parsed.database,
            )
            try:
                await conn.execute(TRUNCATE)
            finally:
                await conn.close()

        asyncio.run(_truncate())
        yield migrated_template
        return
    target = tmp_path / "orderyard.db"
    shutil.copyfile(migrated_template, target)
    yield f"sqlite+aiosqlite:///{target}"


@pytest.fixture
async def engines(db_url: str) -> AsyncIterator[Engines]:
    created = create_engines(db_url, pool_size=5)
    yield created
    await created.dispose()


@pytest.fixture
async def account(engines: Engines) -> NewAccount:
    """A fresh account with the shipping method and store the tests use (ShipEdge's examples)."""
    return await account_service.create_account(
        SystemUnitOfWork(engines.write), "Acme", shipping_methods=("Pick",), channels=("My Shop",)
    )


@pytest.fixture
def uow(engines: Engines, account: NewAccount) -> UnitOfWork:
    """A write unit of work for the account (services open and commit it)."""
    return UnitOfWork(engines.write, account.account_id, actor="test")


@pytest.fixture
def read_uow(engines: Engines, account: NewAccount) -> ReadUnitOfWork:
    return ReadUnitOfWork(engines.read, account.account_id)


@pytest.fixture
def make(engines: Engines, account: NewAccount) -> Factory:
    """Factories for the account's records."""
    return Factory(engines, account.account_id)


@pytest.fixture
def clock() -> Iterator[TestClock]:
    """Every read of the clock in the test answers ``CLOCK_START`` until the test moves it."""
    with frozen_at(CLOCK_START) as moved_by_hand:
        yield moved_by_hand
