"""Named prepared statements by default; none with ``prepared_statements=False`` (a pooler).

PostgreSQL lists a session's named statements in ``pg_prepared_statements`` (the unnamed one
never appears there), so the same connection that ran the store's statements tells which way
they went: the direct path must keep its named statements, and so its generic plans.
"""

import pytest
from sqlalchemy import bindparam, select, text

from orderyard.services.account import NewAccount
from orderyard.store import driver
from orderyard.store.engine import create_engines
from orderyard.store.tables import orders

pytestmark = pytest.mark.postgres

ORDER_NUMBERS = driver.DriverStatement(
    select(orders.c.order_number).where(orders.c.account_id == bindparam("account_id"))
)
NAMED = text("SELECT count(*) FROM pg_prepared_statements WHERE statement = :sql")


async def named_on_its_connection(db_url: str, account: NewAccount, **options: bool) -> list[int]:
    """How many named statements hold the driver's SQL and SQLAlchemy's, after both ran."""
    engines = create_engines(db_url, pool_size=1, **options)
    try:
        async with engines.read.connect() as conn:
            for _ in range(3):
                assert await ORDER_NUMBERS.fetch(conn, {"account_id": account.account_id}) == []
                through_sqlalchemy = await conn.execute(
                    select(orders.c.id).where(orders.c.account_id == account.account_id)
                )
                assert through_sqlalchemy.all() == []
            driver_sql = await conn.scalar(NAMED, {"sql": ORDER_NUMBERS.sql})
            sqlalchemy_sql = await conn.scalar(
                text(
                    "SELECT count(*) FROM pg_prepared_statements"
                    " WHERE statement LIKE 'SELECT orders.id %'"
                )
            )
            raw = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
            kept_unnamed = ORDER_NUMBERS.sql in driver._UNNAMED.get(raw, {})
    finally:
        await engines.dispose()
    return [int(driver_sql or 0), int(sqlalchemy_sql or 0), int(kept_unnamed)]


async def test_the_direct_path_names_each_statement_once_and_keeps_it(
    db_url: str, account: NewAccount
) -> None:
    assert await named_on_its_connection(db_url, account) == [1, 1, 0]


async def test_without_prepared_statements_nothing_is_named_on_the_server(
    db_url: str, account: NewAccount
) -> None:
    """Given the pooler's setting: run three times each, neither path left a named statement
    on the session, and the driver keeps its statement unnamed on the connection."""
    counts = await named_on_its_connection(db_url, account, prepared_statements=False)

    assert counts == [0, 0, 1]
