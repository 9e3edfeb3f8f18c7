"""Orderyard through PgBouncer 1.18 in transaction mode (issue 20), started by the tests.

Behind it each transaction, and each statement outside one, may run on another server
connection. With named prepared statements (asyncpg's cache, the default) that fails at once;
with ``ORDERYARD_DATABASE__PREPARED_STATEMENTS=false`` every statement is PostgreSQL's unnamed
one, parsed with each execution (docs/scaling.md, "Through PgBouncer"). Proved here on both
paths a request takes: the driver (``store/driver.py``: a statement on the asyncpg connection
while it autocommits: get order, a one-statement placement, the idempotency key's claim) and
SQLAlchemy (lists, and every statement inside a transaction: cancel, bulk lines).
"""

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from orderyard.store import driver
from orderyard.store.engine import Engines, create_engines
from orderyard.store.tables import orders
from tests.scale.pgbouncer import Bouncer, assert_clean, session_states, started_bouncer

pytestmark = [pytest.mark.postgres, pytest.mark.scale]


@contextlib.asynccontextmanager
async def engines_through(
    bouncer: Bouncer, *, pool_size: int, prepared_statements: bool = True
) -> AsyncIterator[Engines]:
    engines = create_engines(
        bouncer.url("postgresql+asyncpg"),
        pool_size=pool_size,
        prepared_statements=prepared_statements,
    )
    try:
        yield engines
    finally:
        await engines.dispose()


async def test_a_named_statement_is_missing_on_the_next_server_connection_an_unnamed_one_is_not(
    db_url: str,
) -> None:
    """Given a statement run once by a pooled connection, and the server connection it ran on
    then held by another client's transaction: run again, PgBouncer sends it to another server
    connection. A named statement is not there; an unnamed one (prepared statements off) is
    parsed with its execution, on the driver path and through SQLAlchemy alike, and leaves no
    statement on either server connection."""
    probe = driver.DriverStatement(select(orders.c.id).where(orders.c.account_id == 0))
    with started_bouncer(db_url, pool_size=2) as bouncer:
        async with engines_through(bouncer, pool_size=1) as named, named.read.connect() as conn:
            await conn.execute(text("SELECT 1"))
            async with holding_a_server_connection(bouncer):
                with pytest.raises(DBAPIError, match=r"prepared statement .* does not exist"):
                    await conn.execute(text("SELECT 1"))
    # A fresh pooler: the first left its named statements on its server connections.
    with started_bouncer(db_url, pool_size=2) as bouncer:
        async with (
            engines_through(bouncer, pool_size=1, prepared_statements=False) as unnamed,
            unnamed.read.connect() as conn,
        ):
            await conn.execute(text("SELECT 1"))
            assert await probe.fetch(conn, {}) == []
            async with holding_a_server_connection(bouncer):
                assert (await conn.execute(text("SELECT 1"))).scalar() == 1
                assert await probe.fetch(conn, {}) == []
            raw = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
            assert probe.sql in driver._UNNAMED[raw], "the driver path was not taken"
        assert_clean(await session_states(bouncer, 2))


@contextlib.asynccontextmanager
async def holding_a_server_connection(bouncer: Bouncer) -> AsyncIterator[None]:
    """An open transaction through PgBouncer: it holds the server connection used last."""
    conn = await asyncpg.connect(bouncer.url(), statement_cache_size=0)
    try:
        async with conn.transaction():
            await conn.execute("SELECT 1")
            yield
    finally:
        await conn.close()


async def test_a_transaction_local_setting_ends_with_its_transaction_on_the_pooled_connection(
    db_url: str,
) -> None:
    """Given one server connection: a setting made with set_config(..., true), as the
    idempotency keys' claim does, is gone for the next client's transaction there."""
    with started_bouncer(db_url, pool_size=1) as bouncer:
        setter = await asyncpg.connect(bouncer.url(), statement_cache_size=0)
        try:
            pid, setting = await setter.fetchrow(
                "SELECT pg_backend_pid(), set_config('synchronous_commit', 'off', true)"
            )
        finally:
            await setter.close()
        [state] = await session_states(bouncer, 1)
    assert setting == "off"
    assert state["pid"] == pid
    assert state["synchronous_commit"] == "on"


def test_a_pooler_that_exits_at_start_fails_the_test_with_its_output(db_url: str) -> None:
    with (
        pytest.raises(pytest.fail.Exception, match=r"could not start: pgbouncer exited \(1\)"),
        started_bouncer(db_url, program=Path("/bin/false")),
    ):
        pytest.fail("started")
