"""The dashboard's figures in SQL: each one statement, on an index led by the account.

Days are UTC days (``utc_day``). The series read a window of rows by time: orders by
``(account_id, created_at, id)``, shipped shipments by ``(account_id, shipped_at)`` and their
lines by ``(account_id, shipment_id)``. Open backorders read the partial index of the lines
still waiting (``ix_order_lines_backorders``), so they cost the open backorders, not the
history. The stock value adds up every level of the account: it costs the account's levels.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    type_coerce,
)

from orderyard.domain.dashboard import BackorderedSku
from orderyard.store.planning import unseen
from orderyard.store.scope import TenantScoped
from orderyard.store.tables import (
    Id,
    items,
    locations,
    order_lines,
    orders,
    shipment_lines,
    shipments,
    stock_levels,
)
from orderyard.store.types import ScaledDecimal

WAITING = order_lines.c.backordered > literal_column("0")
"""The predicate of ``ix_order_lines_backorders`` written as a constant, so that every plan
of the statement (a generic one too) may use that partial index."""


def utc_day(column: ColumnElement[Any], *, postgres: bool) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp column.

    PostgreSQL converts to UTC whatever the session's time zone; SQLite stores UTC text
    (``YYYY-MM-DD HH:MM:SS...``), whose first ten characters are the day.
    """
    if postgres:
        return cast(func.timezone("UTC", column), Date)
    return func.substr(column, 1, 10)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class ValueRow:
    """One location's stock on hand: units, and their value at cost and at retail."""

    location_id: int
    code: str
    name: str
    units: int
    at_cost: Decimal
    at_retail: Decimal


class DashboardQueries(TenantScoped):
    """Read-only aggregates of one account for the dashboard."""

    @property
    def _postgres(self) -> bool:
        return self.conn.dialect.name == "postgresql"

    @property
    def _mine(self) -> Any:
        """The account, hidden from the planner (``store/planning.py``).

        A new account is missing from the statistics: seen, its value would say "no rows",
        every index led by the account would look as good, and PostgreSQL took
        ``(account_id, ordered_at, id)`` to read orders by ``created_at``, the partial index
        of shipped shipments not at all, and joined lines on the account alone. Unseen, the
        window's bounds and the join keys choose the index, the same for every account.
        """
        return unseen(bindparam("account_id", self.account_id, type_=Id))

    async def orders_per_day(self, start: datetime, end: datetime) -> dict[date, int]:
        """Orders created from ``start`` until ``end``, counted per UTC day (days with any)."""
        mine = self._mine
        day = utc_day(orders.c.created_at, postgres=self._postgres)
        statement = (
            select(day, func.count())
            .where(
                orders.c.account_id == mine,
                orders.c.created_at >= start,
                orders.c.created_at < end,
            )
            .group_by(day)
        )
        rows = await self.conn.execute(statement)
        return {_as_date(found): int(count) for found, count in rows}

    async def units_shipped_per_day(self, start: datetime, end: datetime) -> dict[date, int]:
        """Units of the shipments shipped from ``start`` until ``end``, per UTC day shipped."""
        mine = self._mine
        day = utc_day(shipments.c.shipped_at, postgres=self._postgres)
        statement = (
            select(day, func.sum(shipment_lines.c.quantity))
            .select_from(
                shipments.join(
                    shipment_lines,
                    (shipment_lines.c.account_id == mine)
                    & (shipment_lines.c.shipment_id == shipments.c.id),
                )
            )
            .where(
                shipments.c.account_id == mine,
                shipments.c.shipped_at >= start,
                shipments.c.shipped_at < end,
            )
            .group_by(day)
        )
        rows = await self.conn.execute(statement)
        return {_as_date(found): int(units) for found, units in rows}

    async def fill_units(self, start: datetime, end: datetime) -> tuple[int, int]:
        """Of the lines of orders created from ``start`` until ``end``: (filled, backordered).

        Filled units are allocated or shipped ones.
        """
        mine = self._mine
        statement = (
            select(
                func.coalesce(func.sum(order_lines.c.allocated + order_lines.c.shipped), 0),
                func.coalesce(func.sum(order_lines.c.backordered), 0),
            )
            .select_from(
                orders.join(
                    order_lines,
                    (order_lines.c.account_id == mine) & (order_lines.c.order_id == orders.c.id),
                )
            )
            .where(
                orders.c.account_id == mine,
                orders.c.created_at >= start,
                orders.c.created_at < end,
            )
        )
        filled, backordered = (await self.conn.execute(statement)).one()
        return int(filled), int(backordered)

    async def backorder_totals(self) -> tuple[int, int]:
        """The account's order lines waiting for stock now, and their units waiting."""
        mine = self._mine
        statement = select(
            func.count(), func.coalesce(func.sum(order_lines.c.backordered), 0)
        ).where(order_lines.c.account_id == mine, WAITING)
        lines, units = (await self.conn.execute(statement)).one()
        return int(lines), int(units)

    async def most_backordered(self, top: int) -> list[BackorderedSku]:
        """The ``top`` SKUs with the most units waiting, most first (ties by SKU)."""
        mine = self._mine
        units = func.sum(order_lines.c.backordered).label("units")
        waiting = (
            select(order_lines.c.item_id, units, func.count().label("lines"))
            .where(order_lines.c.account_id == mine, WAITING)
            .group_by(order_lines.c.item_id)
            .subquery("waiting")
        )
        statement = (
            select(waiting.c.item_id, items.c.sku, waiting.c.units, waiting.c.lines)
            .join_from(
                waiting,
                items,
                (items.c.account_id == mine) & (items.c.id == waiting.c.item_id),
            )
            .order_by(waiting.c.units.desc(), items.c.sku)
            .limit(top)
        )
        rows = await self.conn.execute(statement)
        return [BackorderedSku(item, sku, int(n), int(lines)) for item, sku, n, lines in rows]

    async def stock_value(self) -> list[ValueRow]:
        """Every live location with its units on hand and their value, by priority then id."""
        mine = self._mine
        statement = (
            select(
                locations.c.id,
                locations.c.code,
                locations.c.name,
                func.coalesce(func.sum(stock_levels.c.on_hand), 0),
                _money(func.sum(stock_levels.c.on_hand * items.c.cost)),
                _money(func.sum(stock_levels.c.on_hand * items.c.retail)),
            )
            .select_from(
                locations.outerjoin(
                    stock_levels,
                    (stock_levels.c.account_id == mine)
                    & (stock_levels.c.location_id == locations.c.id),
                ).outerjoin(
                    items,
                    (items.c.account_id == mine) & (items.c.id == stock_levels.c.item_id),
                )
            )
            .where(locations.c.account_id == mine, locations.c.deleted_at.is_(None))
            .group_by(locations.c.id, locations.c.code, locations.c.name, locations.c.priority)
            .order_by(locations.c.priority, locations.c.id)
        )
        rows: Sequence[Any] = (await self.conn.execute(statement)).all()
        return [
            ValueRow(i, code, name, int(n), cost, retail) for i, code, name, n, cost, retail in rows
        ]


def _money(total: ColumnElement[Any]) -> ColumnElement[Decimal]:
    """A sum of quantities times ``ScaledDecimal`` amounts, read back as a Decimal (0 if none).

    The product of an integer and a scaled amount is that amount's scaled integer: the sum
    stays exact on both backends and is unscaled once, when read.
    """
    return type_coerce(func.coalesce(total, 0), ScaledDecimal())
