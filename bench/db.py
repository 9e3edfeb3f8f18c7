"""The benchmark's PostgreSQL database: create it if missing, reset the ceiling tables."""

import asyncio
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bench.ceilings.raw_insert_app import SCHEMA_SQL

MAINTENANCE_DATABASES = ("postgres", "test")
"""Databases to connect to while creating the benchmark database, tried in this order."""


def database_name(dsn: str) -> str:
    """Return the database named in a ``postgresql://`` DSN."""
    return urlsplit(dsn).path.lstrip("/")


def with_database(dsn: str, name: str) -> str:
    """Return ``dsn`` pointing at database ``name`` instead."""
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + name))


async def _connect_maintenance(dsn: str) -> asyncpg.Connection:
    """Connect to the first maintenance database that accepts the connection."""
    error: Exception | None = None
    for name in MAINTENANCE_DATABASES:
        try:
            return await asyncpg.connect(with_database(dsn, name))
        except (
            asyncpg.InvalidCatalogNameError,
            asyncpg.InvalidAuthorizationSpecificationError,
        ) as e:
            error = e
    raise RuntimeError(f"no maintenance database {MAINTENANCE_DATABASES} is reachable") from error


async def _ensure_database(dsn: str) -> None:
    name = database_name(dsn)
    conn = await _connect_maintenance(dsn)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _reset_ceiling_tables(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(SCHEMA_SQL)
        await conn.execute("TRUNCATE ceiling_order_lines, ceiling_orders RESTART IDENTITY")
    finally:
        await conn.close()


def ensure_database(dsn: str) -> None:
    """Create the database that ``dsn`` names if it does not exist."""
    asyncio.run(_ensure_database(dsn))


def reset_ceiling_tables(dsn: str) -> None:
    """Create the ceiling tables if absent and empty them, so every run starts the same."""
    asyncio.run(_reset_ceiling_tables(dsn))


async def _checkpoint(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


def checkpoint(dsn: str) -> None:
    """Write back what earlier scenarios dirtied, before the next one is measured.

    PostgreSQL writes dirty pages back in checkpoints, every ``checkpoint_timeout`` (5 min)
    or when enough WAL has accumulated, spread over most of the interval. Without this, the
    checkpoint that the ceilings' and the creates' writes had built up ran during whichever
    scenarios came next (in the 05:48 run, get order: 846/s against 1,350-1,600/s on its
    own). A CHECKPOINT before each scenario charges each one its own writes only, and
    restarts the 5-minute clock.
    """
    asyncio.run(_checkpoint(dsn))


async def _analyze(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


def analyze(dsn: str) -> None:
    """Bring the planner's statistics up to date, as autovacuum would in production.

    This machine's PostgreSQL runs with ``autovacuum = off`` (its configuration file), so
    after a bulk set-up nothing would ever analyze the tables, and plans would depend on
    whichever run last analyzed them.
    """
    asyncio.run(_analyze(dsn))
