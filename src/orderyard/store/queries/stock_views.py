"""The console's stock reads: a page of SKUs by prefix, and one level's ledger.

Each read is one statement on an index led by the account: SKUs walk the unique
``(account_id, sku)`` key from the page's first SKU on (keyset, so a deep page costs what the
first one does); a level's movements walk ``(account_id, location_id, item_id, id)`` down from
the page's first id. The account is hidden from the planner (``store/planning.py``): a new
account, missing from the statistics, made every index led by it look alike. A level's
figures come from ``stock_figures`` (reserved: the reservations running at the read); the
SKUs' figures from ``StockQueries.grid``.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, String, bindparam, func, literal_column, select, true

from orderyard.domain.inventory import MovementReason, StockLevel
from orderyard.domain.stock_views import LedgerEntry, RecordKind, RecordLink, source_of
from orderyard.kit.clock import utcnow
from orderyard.store.planning import unseen
from orderyard.store.scope import TenantScoped
from orderyard.store.stock_figures import ACTIVE_RESERVED
from orderyard.store.tables import Id, inventory_movements, items, locations, orders, stock_levels

LAST_CHARACTER = chr(0x10FFFF)


def prefix_bound(prefix: str) -> str | None:
    """The least string above every string that starts with ``prefix`` (None: no such bound).

    In code point order (SQLite's ``BINARY``, PostgreSQL's ``C`` collation), the strings
    starting with ``prefix`` are exactly those from ``prefix`` up to, not including, this one.
    """
    stem = prefix.rstrip(LAST_CHARACTER)
    if not stem:
        return None
    return stem[:-1] + chr(ord(stem[-1]) + 1)


@dataclass(frozen=True, slots=True)
class LevelRead:
    """A SKU and a location code as found: their ids (None: unknown) and the level's figures.

    ``level`` is None when both are known and the SKU was never stocked there.
    """

    item_id: int | None
    location_id: int | None
    level: StockLevel | None


class StockViewQueries(TenantScoped):
    """Read-only views of the account's stock for the console."""

    async def skus(self, *, prefix: str, after: str | None, limit: int) -> tuple[list[int], bool]:
        """Ids of the first ``limit`` SKUs starting with ``prefix`` and past ``after``, by SKU.

        Returns the ids and whether more SKUs follow them.
        """
        bound = prefix_bound(prefix)
        statement = _skus_statement(
            after=after is not None, bounded=bound is not None, prefixed=bool(prefix)
        )
        params: dict[str, Any] = {"account_id": self.account_id, "limit": limit + 1}
        params |= {"after": after, "prefix": prefix, "bound": bound, "length": len(prefix)}
        ids = list((await self.conn.execute(statement, params)).scalars())
        return ids[:limit], len(ids) > limit

    async def level(self, sku: str, location_code: str) -> LevelRead:
        """The ids of a SKU and a live location, and the stock level of the one at the other."""
        params = {"account_id": self.account_id, "sku": sku, "code": location_code}
        row = (await self.conn.execute(_LEVEL, params | {"now": utcnow()})).one()
        item_id, location_id, on_hand, allocated, reserved, safety_stock, bypassed = row
        level = None
        if on_hand is not None:
            level = StockLevel(
                location_id, item_id, on_hand, allocated, reserved, safety_stock, bypassed
            )
        return LevelRead(item_id, location_id, level)

    async def ledger(
        self, item_id: int, location_id: int, *, before: int | None, limit: int
    ) -> tuple[list[LedgerEntry], bool]:
        """The level's movements older than ``before`` (all when None), newest first.

        Returns at most ``limit`` entries and whether older ones follow.
        """
        params: dict[str, Any] = {
            "account_id": self.account_id,
            "item_id": item_id,
            "location_id": location_id,
            "before": before,
            "limit": limit + 1,
        }
        rows = (await self.conn.execute(_ledger_statement(before is not None), params)).all()
        return [_entry(row) for row in rows[:limit]], len(rows) > limit


@cache
def _skus_statement(*, after: bool, bounded: bool, prefixed: bool) -> Select[Any]:
    """Item ids by SKU: a range of the unique ``(account_id, sku)`` key, built once per shape.

    The range bounds give the index its range; the ``substr`` test keeps the answer exact
    where a collation orders strings otherwise than by code point.
    """
    account = unseen(bindparam("account_id", type_=Id))
    statement = select(items.c.id).where(items.c.account_id == account)
    if prefixed:
        prefix = bindparam("prefix", type_=String())
        statement = statement.where(
            items.c.sku >= prefix,
            func.substr(items.c.sku, 1, bindparam("length")) == prefix,
        )
    if bounded:
        statement = statement.where(items.c.sku < bindparam("bound"))
    if after:
        statement = statement.where(items.c.sku > bindparam("after"))
    return statement.order_by(items.c.sku).limit(bindparam("limit"))


def _level_statement() -> Select[Any]:
    """The SKU's id, the live location's id and their level, in one row whatever is missing."""
    account = unseen(bindparam("account_id", type_=Id))
    item = (
        select(items.c.id)
        .where(items.c.account_id == account, items.c.sku == bindparam("sku"))
        .scalar_subquery()
    )
    location = (
        select(locations.c.id)
        .where(
            locations.c.account_id == account,
            locations.c.code == bindparam("code"),
            locations.c.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    level = (
        select(
            stock_levels.c.on_hand,
            stock_levels.c.allocated,
            ACTIVE_RESERVED.label("reserved"),
            stock_levels.c.safety_stock,
            stock_levels.c.bypassed,
        )
        .where(
            stock_levels.c.account_id == account,
            stock_levels.c.item_id == item,
            stock_levels.c.location_id == location,
        )
        .subquery("level")
    )
    one = select(literal_column("1").label("one")).subquery("one")
    return select(
        item.label("item_id"),
        location.label("location_id"),
        level.c.on_hand,
        level.c.allocated,
        level.c.reserved,
        level.c.safety_stock,
        level.c.bypassed,
    ).select_from(one.outerjoin(level, true()))


_LEVEL = _level_statement()


@cache
def _ledger_statement(before: bool) -> Select[Any]:
    """A level's movements newest first, each with the number of the order it was made for."""
    account = unseen(bindparam("account_id", type_=Id))
    statement = (
        select(
            inventory_movements.c.id,
            inventory_movements.c.reason,
            inventory_movements.c.on_hand_delta,
            inventory_movements.c.allocated_delta,
            inventory_movements.c.created_at,
            inventory_movements.c.order_id,
            orders.c.order_number,
            inventory_movements.c.reference,
        )
        .select_from(
            inventory_movements.outerjoin(
                orders,
                (orders.c.account_id == account) & (orders.c.id == inventory_movements.c.order_id),
            )
        )
        .where(
            inventory_movements.c.account_id == account,
            inventory_movements.c.location_id == bindparam("location_id", type_=Id),
            inventory_movements.c.item_id == bindparam("item_id", type_=Id),
        )
    )
    if before:
        statement = statement.where(inventory_movements.c.id < bindparam("before", type_=Id))
    return statement.order_by(inventory_movements.c.id.desc()).limit(bindparam("limit"))


def _entry(row: Any) -> LedgerEntry:
    movement_id, reason, on_hand, allocated, at, order_id, order_number, reference = row
    order = None
    if order_id is not None:
        order = RecordLink(RecordKind.order, order_id, order_number or str(order_id))
    return LedgerEntry(
        movement_id,
        MovementReason(reason),
        on_hand,
        allocated,
        at,
        order,
        source_of(reference),
        reference,
    )
