"""Load many orders into one account fast: PostgreSQL COPY, not one API call per order.

The rows are what Orderyard itself writes for an order that it could not fill or that was
cancelled: one line per order on a real item of the account, ``hold`` = ``none``, money as
scaled integers (x 10,000), aware UTC timestamps. Those two statuses are complete without
allocation or shipment rows, so the account stays consistent (no stock is promised), and the
API lists, gets and allocates them like any other order:

- ``backordered``: the line waits for stock (``backordered`` = quantity), so an on-hand feed
  allocates it, oldest order first;
- ``cancelled``: the line was cancelled (``cancelled`` = quantity).

Ids are reserved from the tables' own sequences, so the loaded rows never collide with orders
created through the API. ``VACUUM (ANALYZE)`` runs at the end, as autovacuum would after a bulk
load: this machine's PostgreSQL runs with autovacuum off, and without the visibility map a
freshly COPYed table's index-only scans (the list's bounded count) visit the heap for every
row, so the list's figures at 1,000,000 orders depended on which run had vacuumed last.

Usage, from the repository root::

    .venv/bin/python -m bench.load_orders --account 3 --orders 1000000 --sku B-1
"""

import argparse
import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from bench.ceilings.raw_insert_app import DEFAULT_DSN

CHUNK = 50_000
"""Orders per COPY (one transaction each)."""
SCALE = 10_000
"""Money columns hold decimals as integers scaled by this factor."""
UNIT_PRICE = 9_99 * SCALE // 100
ADDRESS = ("John", "Doe", "1 Main St", "LA", "CA", "90001", "USA")
"""firstname, lastname, address1, city, state, zip, country of every loaded order."""
ORDER_COLUMNS = (
    "id",
    "account_id",
    "order_number",
    "channel_id",
    "shipping_method_id",
    "status",
    "hold",
    "firstname",
    "lastname",
    "address1",
    "city",
    "state",
    "zip",
    "country",
    "total",
    "created_at",
    "updated_at",
)
LINE_COLUMNS = (
    "account_id",
    "order_id",
    "line_no",
    "item_id",
    "sku",
    "quantity",
    "cancelled",
    "backordered",
    "unit_price",
)


@dataclass(frozen=True)
class Plan:
    """What to load into which account."""

    account_id: int
    orders: int
    skus: Sequence[str]
    """Order ``n`` orders one unit of ``skus[n % len(skus)]``."""
    status: str = "mixed"
    """``backordered``, ``cancelled``, or ``mixed`` (every other order cancelled)."""
    prefix: str = "L"
    """Order numbers are ``<prefix>-<n>``."""


async def _account_refs(conn: asyncpg.Connection, plan: Plan) -> tuple[int, int, dict[str, int]]:
    """Return the account's ``My Shop`` channel, ``Pick`` method, and the plan's item ids."""
    channel = await conn.fetchval(
        "SELECT id FROM channels WHERE account_id = $1 AND name = 'My Shop'", plan.account_id
    )
    method = await conn.fetchval(
        "SELECT id FROM shipping_methods WHERE account_id = $1 AND name = 'Pick'",
        plan.account_id,
    )
    found = await conn.fetch(
        "SELECT sku, id FROM items WHERE account_id = $1 AND sku = ANY($2::text[])",
        plan.account_id,
        list(plan.skus),
    )
    items = {r["sku"]: r["id"] for r in found}
    missing = set(plan.skus) - set(items)
    if channel is None or method is None or missing:
        raise RuntimeError(f"account {plan.account_id} lacks My Shop, Pick or items {missing}")
    return channel, method, items


def _status(plan: Plan, n: int) -> str:
    if plan.status == "mixed":
        return "cancelled" if n % 2 else "backordered"
    return plan.status


async def _copy_chunk(
    conn: asyncpg.Connection, plan: Plan, refs: tuple[int, int, dict[str, int]], start: int
) -> int:
    """COPY orders ``start`` up to ``start + CHUNK`` and their lines; return how many."""
    channel, method, items = refs
    count = min(CHUNK, plan.orders - start)
    ids = await conn.fetch(
        "SELECT nextval(pg_get_serial_sequence('orders', 'id')) FROM generate_series(1, $1)",
        count,
    )
    base = datetime.now(UTC) - timedelta(seconds=plan.orders)
    orders, lines = [], []
    for offset, record in enumerate(ids):
        n = start + offset
        order_id, status, sku = record[0], _status(plan, n), plan.skus[n % len(plan.skus)]
        created = base + timedelta(seconds=n)
        number = f"{plan.prefix}-{n}"
        head = (order_id, plan.account_id, number, channel, method, status, "none")
        orders.append((*head, *ADDRESS, UNIT_PRICE, created, created))
        waiting = 1 if status == "backordered" else 0
        lines.append(
            (plan.account_id, order_id, 1, items[sku], sku, 1, 1 - waiting, waiting, UNIT_PRICE)
        )
    async with conn.transaction():
        await conn.copy_records_to_table("orders", records=orders, columns=ORDER_COLUMNS)
        await conn.copy_records_to_table("order_lines", records=lines, columns=LINE_COLUMNS)
    return count


async def load(dsn: str, plan: Plan, *, quiet: bool = False) -> float:
    """Load the plan's orders with COPY, then VACUUM (ANALYZE); return the seconds it took."""
    started = time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        refs = await _account_refs(conn, plan)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, disable=quiet) as progress:
            task = progress.add_task(f"account {plan.account_id}: orders", total=plan.orders)
            for start in range(0, plan.orders, CHUNK):
                progress.advance(task, await _copy_chunk(conn, plan, refs, start))
        await conn.execute("VACUUM (ANALYZE) orders, order_lines")
    finally:
        await conn.close()
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> None:
    """Load orders into an existing account from the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.load_orders", description=__doc__)
    parser.add_argument("--dsn", default=DEFAULT_DSN, help="asyncpg DSN of the database")
    parser.add_argument("--account", type=int, required=True)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--sku", action="append", required=True, help="an item of the account")
    parser.add_argument("--status", choices=("mixed", "backordered", "cancelled"), default="mixed")
    parser.add_argument("--prefix", default=f"L{time.time_ns():x}")
    args = parser.parse_args(argv)
    plan = Plan(args.account, args.orders, args.sku, args.status, args.prefix)
    seconds = asyncio.run(load(args.dsn, plan))
    print(f"{plan.orders:,} orders in {seconds:.1f} s ({plan.orders / seconds:,.0f} orders/s)")


if __name__ == "__main__":
    main()
