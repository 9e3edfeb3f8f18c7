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


async def _settle(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ANALYZE")
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


def settle(dsn: str) -> None:
    """Between scenarios, do what autovacuum and the checkpointer would have done meanwhile.

    ``ANALYZE``: this machine's PostgreSQL runs with autovacuum off, so a fresh database
    never gets statistics while the scenarios fill it. Without them the planner chose
    ``ix_orders_account_id_channel_id_id`` for get order's ``account_id = $1 AND id = $2``
    and walked the account's whole range (108 buffers, 1.5 ms at 21,000 orders): get order
    did 850-910/s at c=16 in every full run against 1,400-1,680/s on a database analyzed by
    an earlier run. ``CHECKPOINT``: the write-back of what earlier scenarios dirtied, which
    PostgreSQL spreads over the next checkpoint interval, lands before the next scenario
    instead of during it, and the 5-minute clock restarts.
    """
    asyncio.run(_settle(dsn))


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
