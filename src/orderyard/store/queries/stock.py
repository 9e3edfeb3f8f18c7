"""Stock levels per SKU and location: the hot read of ``GET /inventory/stock``.

Reserved units are the running reservations at the time of the read
(``stock_figures.ACTIVE_RESERVED``): an expired one never counts. A level's shortfall
(``bypassed``) comes along, so that its available shows negative (``stock_figures``).

One statement reads a page of items together with their stock levels (a kit's come from its
components) and, when asked, checks the location code in the same statement; a list adds one
bounded count. Nothing is read per row.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    FromClause,
    Integer,
    Select,
    any_,
    bindparam,
    func,
    literal_column,
    null,
    select,
    true,
)

from orderyard.domain.inventory import StockLevel
from orderyard.domain.values import PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen
from orderyard.store.queries.paging import bounded_count
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.stock_figures import ACTIVE_RESERVED
from orderyard.store.tables import Id, items, kit_components, locations, stock_levels


@dataclass(slots=True)
class ItemStock:
    """The stock levels behind one SKU: its own, or (for a kit) its components'."""

    item_id: int
    sku: str
    is_kit: bool
    needs: dict[int, int] = field(default_factory=dict)
    """For a kit: component item id → units per kit."""
    levels: list[StockLevel] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)
    """Location id → code, for every location in ``levels``."""


@dataclass(frozen=True, slots=True)
class StockRead:
    """What one stock read found.

    ``location_id`` is the id of the requested location code, or None when that code is not
    registered (then ``items`` is empty) or no code was given.
    """

    items: list[ItemStock]
    total: int
    count_is_exact: bool
    location_id: int | None = None


@dataclass(frozen=True, slots=True)
class GridRead:
    """A slice of SKUs (by SKU) with their stock levels at the chosen locations.

    ``items`` are the SKUs from ``skipped`` on, in SKU order; ``total`` counts the SKUs
    chosen (a lower bound when not ``count_is_exact``).
    """

    items: list[ItemStock]
    skipped: int
    total: int
    count_is_exact: bool


class StockQueries(TenantScoped):
    """Read-only access to the account's stock levels."""

    async def item_ids(self, skus: Sequence[str]) -> dict[str, int]:
        """Map SKUs to item ids; unknown SKUs are absent."""
        rows = await self.conn.execute(
            select(items.c.sku, items.c.id).where(
                items.c.account_id == self.account_id, items.c.sku.in_(set(skus))
            )
        )
        return dict(rows.all())

    async def grid(
        self,
        *,
        location_ids: Sequence[int] | None,
        item_ids: Sequence[int] | None,
        skip: int,
        take: int,
    ) -> GridRead:
        """``take`` SKUs from the ``skip``-th, by SKU, with their levels at ``location_ids``.

        ``item_ids``: only these SKUs (every SKU of the account when None); ``location_ids``:
        only levels there (every location when None). One statement for the slice, one
        bounded count when the SKUs are not listed.
        """
        postgres = self.conn.dialect.name == "postgresql"
        statement = _grid_statement(
            postgres, by_items=item_ids is not None, at_locations=location_ids is not None
        )
        params: dict[str, Any] = {
            "account_id": self.account_id,
            "limit": take,
            "offset": skip,
            "now": utcnow(),
        }
        if item_ids is not None:
            params["item_ids"] = list(item_ids)
        if location_ids is not None:
            params["location_ids"] = list(location_ids)
        rows: Any
        if postgres:
            rows = await _on_the_driver(statement).fetch(self.conn, params)
        else:
            rows = await self.conn.execute(statement, params)
        found = _collect(rows)
        if item_ids is not None:
            return GridRead(found, skip, len(item_ids), True)
        chosen = select(items.c.id).where(items.c.account_id == self.account_id)
        total, exact = await bounded_count(
            self.conn, chosen, PageRequest(page=1, per_page=skip + take)
        )
        return GridRead(found, skip, total, exact)

    async def stock(
        self, *, sku: str | None, location_code: str | None, page: PageRequest
    ) -> StockRead:
        """The stock of one SKU, or of a page of SKUs by id, at one location or at every one."""
        params = {
            "account_id": self.account_id,
            "sku": sku,
            "code": location_code,
            "limit": page.per_page,
            "offset": page.offset,
            "now": utcnow(),
        }
        statement = _statement(by_sku=sku is not None, at_location=location_code is not None)
        rows = await statement.fetch(self.conn, params)
        found = _collect(rows)
        location_id = None
        if rows and location_code is not None:
            location_id = rows[0][statement.columns.index("dc_id")]
        if sku is not None:
            return StockRead(found, len(found), True, location_id)
        chosen = select(items.c.id).where(items.c.account_id == self.account_id)
        total, exact = await bounded_count(self.conn, chosen, page)
        return StockRead(found, total, exact, location_id)


@cache
def _statement(*, by_sku: bool, at_location: bool) -> DriverStatement:
    """The stock read, built once per shape and planned once (``store/planning.py``).

    It is the hot read of stock lookups.
    """
    account = unseen(bindparam("account_id", type_=Id))
    chosen = select(items.c.id, items.c.sku, items.c.is_kit).where(items.c.account_id == account)
    if by_sku:
        chosen = chosen.where(items.c.sku == bindparam("sku"))
    page_of_items = (
        chosen.order_by(items.c.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=BigInteger))  # page x per_page passes an INTEGER
        .subquery("page")
    )
    stocked_item = func.coalesce(kit_components.c.component_item_id, page_of_items.c.id)
    level_matches = (stock_levels.c.account_id == account) & (
        stock_levels.c.item_id == stocked_item
    )
    source: FromClause = page_of_items
    columns: list[Any] = []
    if at_location:
        # Start from the location, so that the same statement tells whether the code is
        # registered: no row at all means it is not; a row without an item, no items.
        dc = (
            select(locations.c.id)
            .where(
                locations.c.account_id == account,
                locations.c.code == bindparam("code"),
                locations.c.deleted_at.is_(None),
            )
            .subquery("dc")
        )
        source = dc.outerjoin(page_of_items, true())
        level_matches &= stock_levels.c.location_id == dc.c.id
        columns.append(dc.c.id.label("dc_id"))
    joined = (
        source.outerjoin(
            kit_components,
            (kit_components.c.account_id == account)
            & (kit_components.c.kit_item_id == page_of_items.c.id),
        )
        .outerjoin(stock_levels, level_matches)
        .outerjoin(
            locations,
            same_account(locations, stock_levels) & (locations.c.id == stock_levels.c.location_id),
        )
    )
    return DriverStatement(
        select(
            page_of_items.c.id.label("item_id"),
            page_of_items.c.sku,
            page_of_items.c.is_kit,
            kit_components.c.component_item_id,
            kit_components.c.quantity.label("need"),
            stock_levels.c.location_id,
            stock_levels.c.item_id.label("level_item_id"),
            stock_levels.c.on_hand,
            stock_levels.c.allocated,
            ACTIVE_RESERVED.label("reserved"),
            stock_levels.c.safety_stock,
            stock_levels.c.bypassed,
            locations.c.code,
            *columns,
        )
        .select_from(joined)
        .order_by(page_of_items.c.id, stock_levels.c.location_id)
    )


def _among(column: ColumnElement[Any], name: str, postgres: bool) -> ColumnElement[bool]:
    """``column`` among a list parameter: ``= ANY(array)`` on PostgreSQL, ``IN`` elsewhere."""
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(BigInteger)))
    return column.in_(bindparam(name, expanding=True))


@cache
def _grid_statement(postgres: bool, *, by_items: bool, at_locations: bool) -> Select[Any]:
    """A slice of SKUs by SKU with their levels (a kit's: its components'), built once.

    The SKUs come by the ``(account_id, sku)`` index. On PostgreSQL a kit's components and
    each SKU's levels are reached per SKU (``LATERAL``, the unique
    ``(account_id, item_id, location_id)`` index): joined as a set, a new account without
    statistics had every one of its levels read to show a page (5,000 levels for 6 SKUs),
    so the read cost the account instead of the page. SQLite has no ``LATERAL`` and
    walks the same indexes row by row anyway. Columns are in the order ``_collect`` unpacks;
    the code column is left empty (the caller knows its locations).
    """
    account: Any = bindparam("account_id", type_=Id)
    if postgres:
        account = unseen(account)
    chosen = select(items.c.id, items.c.sku, items.c.is_kit).where(items.c.account_id == account)
    if by_items:
        chosen = chosen.where(_among(items.c.id, "item_ids", postgres))
    page = (
        chosen.order_by(items.c.sku)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=BigInteger))
        .subquery("page")
    )
    parts_of = (kit_components.c.account_id == account) & (
        kit_components.c.kit_item_id == page.c.id
    )
    parts: Any = kit_components
    stocked_item: Any = func.coalesce(kit_components.c.component_item_id, page.c.id)
    if postgres:
        # Always one row at least (the item itself, or each component), so that the levels
        # below are looked up by an item id from an inner join: an id computed from an outer
        # join's nullable side is a join filter, and PostgreSQL then scans the account.
        one = select(literal_column("1").label("one")).subquery("one")
        parts = (
            select(
                stocked_item.label("stocked"),
                kit_components.c.component_item_id,
                kit_components.c.quantity,
            )
            .select_from(one.outerjoin(kit_components, parts_of))
            .lateral("parts")
        )
        stocked_item = parts.c.stocked
    level_matches = (stock_levels.c.account_id == account) & (
        stock_levels.c.item_id == stocked_item
    )
    if at_locations:
        level_matches &= _among(stock_levels.c.location_id, "location_ids", postgres)
    levels: Any = stock_levels
    level_columns: list[Any] = list(LEVEL_COLUMNS)
    if postgres:
        levels = select(*LEVEL_COLUMNS).where(level_matches).lateral("levels")
        level_columns = [levels.c[column.name] for column in LEVEL_COLUMNS]
        joined = page.join(parts, true()).outerjoin(levels, true())
    else:
        joined = page.outerjoin(parts, parts_of).outerjoin(levels, level_matches)
    return (
        select(
            page.c.id,
            page.c.sku,
            page.c.is_kit,
            parts.c.component_item_id,
            parts.c.quantity,
            *level_columns,
            null().label("code"),
        )
        .select_from(joined)
        .order_by(page.c.sku, levels.c.location_id)
    )


@cache
def _on_the_driver(statement: Select[Any]) -> DriverStatement:
    """The grid read, on asyncpg's records.

    5,000 levels (100 SKUs at 50 locations) took 23 ms a read to fetch and group through
    SQLAlchemy's result rows, 13 ms this way (cProfile).
    """
    return DriverStatement(statement)


LEVEL_COLUMNS = (
    stock_levels.c.location_id,
    stock_levels.c.item_id,
    stock_levels.c.on_hand,
    stock_levels.c.allocated,
    ACTIVE_RESERVED.label("reserved"),
    stock_levels.c.safety_stock,
    stock_levels.c.bypassed,
)


def _collect(rows: Any) -> list[ItemStock]:
    """Group the rows by item.

    Rows are unpacked, not read by attribute: a SKU's 50 levels cost 290 µs by attribute and
    60 µs unpacked (a ``Row`` attribute is a lookup by name).
    """
    found: dict[int, ItemStock] = {}
    for row in rows:
        (item_id, sku, is_kit, component_item_id, need, location_id, level_item_id) = row[:7]
        if item_id is None:
            continue
        entry = found.get(item_id)
        if entry is None:
            entry = found[item_id] = ItemStock(item_id, sku, bool(is_kit))
        if component_item_id is not None:
            entry.needs[component_item_id] = need
        if location_id is not None:
            on_hand, allocated, reserved, safety_stock, bypassed, code = row[7:13]
            entry.codes[location_id] = code
            entry.levels.append(
                StockLevel(
                    location_id, level_item_id, on_hand, allocated, reserved, safety_stock, bypassed
                )
            )
    return list(found.values())
