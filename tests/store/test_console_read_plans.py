"""The console's heavy reads use the account's indexes on a fresh account (PostgreSQL).

Twenty other accounts hold thousands of SKUs, levels, orders, shipments and movements, and
the statistics (``ANALYZE``) know them; the account under test is new, unseen by them: the case
where a planner without numbers for the account could pick a scan of a whole table. Every
statement each read sends is explained with the values it was sent with, and no tenant table
may be read by a sequential scan; the reads that have an index of their own must use it.
"""

import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from orderyard.domain.values import AccountId, PageRequest
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import dashboard as dashboard_service
from orderyard.services import stock_views
from orderyard.services.order import OrderFilter, search_orders
from orderyard.store import driver
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork
from tests.factories import Factory

pytestmark = pytest.mark.postgres

CROWDS = 20
"""Other accounts: the account under test is one among many, as on a shared server."""

CROWD = 400
"""SKUs, orders and shipments of each other account (levels: three per SKU), its orders two
days apart (two years of them: a 30-day window is a small part), one line in 50 waiting."""

TENANT_TABLES = (
    "items",
    "kit_components",
    "stock_levels",
    "reservations",
    "orders",
    "order_lines",
    "shipments",
    "shipment_lines",
    "inventory_movements",
)

CROWD_SQL = """
INSERT INTO locations (account_id, code, name, kind, created_at)
SELECT {a}, 'C-' || n, 'Crowd ' || n, 'warehouse', now() FROM generate_series(1, 3) n;
INSERT INTO items (account_id, sku, cost, retail, created_at, updated_at)
SELECT {a}, 'CROWD-' || lpad(n::text, 6, '0'), 10000, 20000, now(), now()
FROM generate_series(1, {n}) n;
INSERT INTO kit_components (account_id, kit_item_id, component_item_id, quantity)
SELECT {a}, k.id, c.id, 2 FROM items k JOIN items c ON c.account_id = {a} AND c.id = k.id - 1
WHERE k.account_id = {a} AND k.id % 10 = 0;
INSERT INTO stock_levels (account_id, location_id, item_id, on_hand)
SELECT {a}, l.id, i.id, 5 FROM items i CROSS JOIN locations l
WHERE i.account_id = {a} AND l.account_id = {a};
INSERT INTO reservations (account_id, location_id, item_id, reference, quantity, created_at,
    updated_at)
SELECT {a}, location_id, item_id, 'cart', 1, now(), now() FROM stock_levels
WHERE account_id = {a} AND item_id % 5 = 0;
INSERT INTO orders (account_id, order_number, status, created_at, updated_at)
SELECT {a}, 'CROWD-' || n, 'backordered', t, t
FROM generate_series(1, {n}) n,
    LATERAL (SELECT timestamptz '2026-12-07' - n * interval '2 days' AS t) AS at;
INSERT INTO order_lines (account_id, order_id, line_no, item_id, sku, quantity, backordered)
SELECT {a}, o.id, 1, i.id, i.sku, 2, (o.r % 50 = 0)::int * 2
FROM (SELECT id, row_number() OVER (ORDER BY id) AS r FROM orders WHERE account_id = {a}) o
JOIN (SELECT id, sku, row_number() OVER (ORDER BY id) AS r FROM items WHERE account_id = {a}) i
    ON i.r = o.r;
INSERT INTO shipments (account_id, order_id, location_id, status, created_at, shipped_at)
SELECT {a}, o.id, (SELECT min(id) FROM locations WHERE account_id = {a}), 'shipped',
    o.created_at, o.created_at + interval '1 hour'
FROM orders o WHERE o.account_id = {a};
INSERT INTO shipment_lines (account_id, shipment_id, order_line_id, quantity)
SELECT {a}, s.id, l.id, 1 FROM shipments s JOIN order_lines l ON l.order_id = s.order_id
WHERE s.account_id = {a};
INSERT INTO inventory_movements (account_id, location_id, item_id, reason, on_hand_delta,
    allocated_delta, reference, created_at)
SELECT {a}, s.location_id, s.item_id, 'on_hand_set', 5, 0, '', now()
FROM stock_levels s WHERE s.account_id = {a};
"""


@pytest.fixture
async def crowded(engines: Engines) -> None:
    """``CROWDS`` other accounts with ``CROWD`` of everything, and statistics that know them."""
    async with engines.write.connect() as conn:
        raw = await conn.get_raw_connection()
        connection = raw.driver_connection
        assert connection is not None
        for n in range(CROWDS):
            other = await account_service.create_account(
                SystemUnitOfWork(engines.write), f"Crowd {n}"
            )
            await connection.execute(CROWD_SQL.format(a=other.account_id, n=CROWD))
        await connection.execute("ANALYZE")


@contextmanager
def sent(engines: Engines) -> Iterator[list[tuple[str, list[Any]]]]:
    """Every statement sent inside the block with its arguments, through SQLAlchemy or not."""
    statements: list[tuple[str, list[Any]]] = []

    def through_sqlalchemy(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, list(params or ())))

    class OnTheDriver(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append((record.getMessage(), list(getattr(record, "arguments", []))))

    handler, level = OnTheDriver(logging.DEBUG), driver.log.level
    driver.log.addHandler(handler)
    driver.log.setLevel(logging.DEBUG)
    event.listen(engines.read.sync_engine, "before_cursor_execute", through_sqlalchemy)
    try:
        yield statements
    finally:
        event.remove(engines.read.sync_engine, "before_cursor_execute", through_sqlalchemy)
        driver.log.removeHandler(handler)
        driver.log.setLevel(level)


async def explained(engines: Engines, statements: list[tuple[str, list[Any]]]) -> list[str]:
    """The plan of each statement, for the arguments it was sent with."""
    plans = []
    async with engines.write.connect() as conn:
        raw = await conn.get_raw_connection()
        connection = raw.driver_connection
        assert connection is not None
        for sql, arguments in statements:
            rows = await connection.fetch(f"EXPLAIN {sql}", *arguments)
            plans.append("\n".join(row[0] for row in rows))
    return plans


@pytest.fixture
async def mine(make: Factory, crowded: None, clock: TestClock) -> Factory:
    """The fresh account: a location, two SKUs, stock, an order shipped and one backordered."""
    await make.location("DC-1")
    await make.priced_item("A", cost="2", retail="5")
    await make.item("B")
    await make.stock("DC-1", "A", 10)
    placed = await make.order(("A", 4))
    await make.ship(placed.order_id or 0)
    await make.order(("B", 3))
    return make


CREATED_WINDOW = OrderFilter(
    created_from=datetime(2025, 1, 1, tzinfo=UTC), created_to=datetime(2025, 2, 1, tzinfo=UTC)
)
"""A month of the crowd's two years: the list and its count read that range, not every id."""

READS: dict[str, tuple[Callable[[ReadUnitOfWork], Awaitable[object]], set[str]]] = {
    "the dashboard": (
        lambda uow: dashboard_service.dashboard(uow),
        {
            "ix_orders_account_id_created_at_id",
            "ix_shipments_shipped",
            "ix_order_lines_backorders",
        },
    ),
    "the stock list": (
        lambda uow: stock_views.sku_list(uow, prefix="A"),
        {"uq_items_account_id_sku"},
    ),
    "a level's ledger": (
        lambda uow: stock_views.level_ledger(uow, "A", "DC-1"),
        {"ix_inventory_movements_account_id_location_id_item_id_id"},
    ),
    "a SKU across locations": (lambda uow: stock_views.sku_stock(uow, "A"), set()),
    "the orders list by order-number prefix": (
        lambda uow: search_orders(uow, OrderFilter(order_number_prefix="ORD-"), PageRequest(1, 50)),
        set(),  # a fresh account's few rows are walked by (account_id, id); at scale, the
        # prefix is a range of ix_orders_order_number_prefix (test below)
    ),
    "the orders list in a created-date window": (
        lambda uow: search_orders(uow, CREATED_WINDOW, PageRequest(1, 50)),
        {"ix_orders_account_id_created_at_id"},
    ),
}


@pytest.mark.parametrize("name", list(READS))
async def test_a_console_read_scans_no_tenant_table_on_a_fresh_account(
    mine: Factory, engines: Engines, name: str
) -> None:
    read, indexes = READS[name]
    uow = ReadUnitOfWork(engines.read, AccountId(mine.account_id))
    with sent(engines) as statements:
        await read(uow)

    plans = await explained(engines, statements)

    scanned = [table for plan in plans for table in TENANT_TABLES if f"Seq Scan on {table}" in plan]
    assert scanned == [], "\n\n".join(plans)
    assert {index for index in indexes if not any(index in plan for plan in plans)} == set(), (
        "\n\n".join(plans)
    )


MANY = 10_000
"""Orders of the account searched by prefix: ``M-1`` starts 1,111 of their numbers."""

MANY_SQL = """
INSERT INTO orders (account_id, order_number, status, created_at, updated_at)
SELECT {a}, 'M-' || n, 'backordered', now(), now() FROM generate_series(0, {n} - 1) n
"""


@pytest.fixture
async def many(make: Factory, engines: Engines) -> Factory:
    """The account with ``MANY`` orders, vacuumed and analyzed, as after a bulk load."""
    async with engines.write.connect() as conn:
        raw = await conn.get_raw_connection()
        connection = raw.driver_connection
        assert connection is not None
        await connection.execute(MANY_SQL.format(a=make.account_id, n=MANY))
        await connection.execute("VACUUM (ANALYZE) orders")  # not in a transaction block
    return make


async def test_a_prefix_search_reads_its_range_of_the_prefix_index_and_counts_without_a_sort(
    many: Factory, engines: Engines
) -> None:
    uow = ReadUnitOfWork(engines.read, AccountId(many.account_id))
    with sent(engines) as statements:
        page = await search_orders(uow, OrderFilter(order_number_prefix="M-1"), PageRequest(1, 50))
    found, counted = (await explained(engines, statements))[:2]

    assert (len(page.items), page.total) == (50, 1_111)
    # the page's ids and the count both come from the index alone (it holds the id) ...
    assert "Index Only Scan using ix_orders_order_number_prefix" in found, found
    assert "Index Only Scan using ix_orders_order_number_prefix" in counted, counted
    # ... and the count reads the range as it comes: nothing sorts the matches to count them
    assert "Sort" not in counted, counted
