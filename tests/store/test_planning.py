"""Lookups by key are planned once: PostgreSQL's plan for them does not depend on the values.

Each hot statement is prepared, then explained with the values of an account that the last
``ANALYZE`` did not see, once as a custom plan and once as the generic one. Where the two
differ, PostgreSQL plans the statement on every execution (it keeps the generic plan only when
that does not look costlier), and plans it on statistics that single the account out.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import text

from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services import inventory as inventory_service
from orderyard.services import location as location_service
from orderyard.store.driver import DriverStatement
from orderyard.store.engine import Engines
from orderyard.store.queries.order import _get_statement
from orderyard.store.queries.stock import _statement as stock_statement
from orderyard.store.repositories import stock_sets
from orderyard.store.repositories.account import FIND_BY_KEY
from orderyard.store.repositories.catalog import PG_RESOLVE_SKUS
from orderyard.store.repositories.order import _placement_context
from orderyard.store.repositories.stock_takes import PG_CANDIDATES
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory

pytestmark = pytest.mark.postgres

VALUE = re.compile(r"'[^']*'::[a-z ]+(\[\])?|\(\$\d+\)::[a-z ]+|\$\d+")
"""A value in a plan: a custom plan shows constants where the generic one shows parameters."""

CROWD = 2_000
"""Items of the other account, each stocked at its one location."""


@pytest.fixture
async def crowded(engines: Engines) -> None:
    """Another account holding most of the items and levels, and statistics that know it."""
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Crowd")

    def uow() -> UnitOfWork:
        return UnitOfWork(engines.write, AccountId(other.account_id), actor="test")

    await location_service.create_location(
        uow(), location_service.CreateLocation(code="BIG", name="Big")
    )
    skus = [f"CROWD-{n}" for n in range(CROWD)]
    await catalog_service.create_items(uow(), [catalog_service.CreateItem(sku=s) for s in skus])
    rows = [inventory_service.OnHandRow(n, "BIG", s, 5) for n, s in enumerate(skus, 1)]
    await inventory_service.set_on_hand(uow(), rows)
    async with engines.write.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("ANALYZE"))


def literal(value: object) -> str:
    """``value`` as an SQL literal (EXPLAIN EXECUTE takes no bound parameters)."""
    if isinstance(value, list):
        return f"ARRAY[{', '.join(literal(v) for v in value)}]"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, datetime):
        return f"'{value.isoformat()}'::timestamptz"
    assert isinstance(value, int)
    return str(value)


async def plans(
    engines: Engines, statement: DriverStatement, params: Mapping[str, Any]
) -> set[str]:
    """The statement's custom and generic plans for ``params``, as EXPLAIN prints them."""
    values = ", ".join(literal(value) for value in statement.arguments(params))
    found = set()
    async with engines.write.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute(f"PREPARE hot AS {statement.sql}")
        for mode in ("force_custom_plan", "force_generic_plan"):
            await driver.execute(f"SET plan_cache_mode = {mode}")
            rows = await driver.fetch(f"EXPLAIN (COSTS OFF) EXECUTE hot({values})")
            found.add(VALUE.sub("?", "\n".join(row[0] for row in rows)))
        await driver.execute("DEALLOCATE hot; RESET plan_cache_mode")
    return found


def hot_statements(
    account_id: int, item_ids: Sequence[int], order_id: int, location_id: int
) -> dict[str, tuple[DriverStatement, dict[str, Any]]]:
    """Every statement of an order's placement, get order and the stock read, with values."""
    levels = {
        "account_id": account_id,
        "locations": [location_id] * len(item_ids),
        "items": list(item_ids),
        "quantities": [1] * len(item_ids),
    }
    return {
        "placement context": (
            _placement_context(False),
            {"account_id": account_id, "method": "Pick", "channel": "My Shop"},
        ),
        "resolve SKUs": (PG_RESOLVE_SKUS, {"account_id": account_id, "skus": ["SKU-1"]}),
        "candidates": (
            PG_CANDIDATES,
            {
                "account_id": account_id,
                "item_ids": list(item_ids[:1]),
                "enough": 2**62,
                "now": utcnow(),
            },
        ),
        "lock levels": (DriverStatement(stock_sets.LOCK_WANTED), levels),
        "take levels": (DriverStatement(stock_sets.TAKE_WANTED), levels),
        "get order": (_get_statement("id"), {"account_id": account_id, "value": order_id}),
        "stock of a SKU": (
            stock_statement(by_sku=True, at_location=False),
            {
                "account_id": account_id,
                "sku": "SKU-1",
                "limit": 50,
                "offset": 0,
                "now": utcnow(),
            },
        ),
        "account by key": (FIND_BY_KEY, {"key_hash": "0" * 64}),
    }


async def test_each_hot_statement_has_one_plan_whatever_its_values(
    crowded: None, make: Factory, engines: Engines
) -> None:
    location = await make.location("DC-1")
    item_ids = [await make.item("SKU-1"), await make.item("SKU-2")]
    await make.stock("DC-1", "SKU-1", 10)
    await make.stock("DC-1", "SKU-2", 10)
    order_id = (await make.order(("SKU-1", 1))).order_id
    assert order_id is not None

    statements = hot_statements(make.account_id, item_ids, order_id, location.id)
    differing = {
        name: found
        for name, (statement, params) in statements.items()
        if len(found := await plans(engines, statement, params)) > 1
    }

    assert differing == {}


async def test_the_placement_context_asks_for_open_waves_by_their_partial_index(
    crowded: None, make: Factory, engines: Engines
) -> None:
    async with engines.write.begin() as conn:  # the crowd plans a wave of each of its items
        await conn.execute(
            text(
                "INSERT INTO preorder_waves (account_id, item_id, location_id, planned, status,"
                " release_at, created_at, updated_at)"
                " SELECT i.account_id, i.id, s.location_id, 5, 'open', now(), now(), now()"
                " FROM items AS i JOIN stock_levels AS s ON s.item_id = i.id"
                " WHERE i.sku LIKE 'CROWD-%'"
            )
        )
    async with engines.write.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("ANALYZE preorder_waves"))
    location = await make.location("DC-1")
    item_ids = [await make.item("SKU-1")]
    statement, params = hot_statements(make.account_id, item_ids, 1, location.id)[
        "placement context"
    ]

    found = await plans(engines, statement, params)

    assert len(found) == 1, found
    [plan] = found
    assert "Index Only Scan using ix_preorder_waves_open on preorder_waves" in plan, plan
