"""Reads of the account's orders: one by a key, and pages of a list.

The views they give are in ``order_views.py`` and a list's filter in ``order_filters.py``;
both are named here too, where their users have always imported them from.
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select

from orderyard.domain.values import Page, PageRequest
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen
from orderyard.store.queries import order_filters
from orderyard.store.queries.order_filters import SORT_COLUMNS, OrderFilter
from orderyard.store.queries.order_views import (
    LINE_COLUMNS,
    OrderLineView,
    OrderView,
    order_view,
)
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.order import LOOKUP_COLUMNS
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import Id, channels, order_lines, orders, shipments, shipping_methods

__all__ = ["OrderQueries"]


def _orders_with_names(account: ColumnElement[Any] | int) -> Select[Any]:
    """Orders of one account with their channel and shipping method names."""
    return (
        select(
            orders,
            channels.c.name.label("channel_name"),
            shipping_methods.c.name.label("shipping_method"),
        )
        .outerjoin(
            channels, same_account(channels, orders) & (channels.c.id == orders.c.channel_id)
        )
        .outerjoin(
            shipping_methods,
            same_account(shipping_methods, orders)
            & (shipping_methods.c.id == orders.c.shipping_method_id),
        )
        .where(orders.c.account_id == account)
    )


@cache
def _get_statement(field: str) -> DriverStatement:
    """One order by ``field`` with its lines, one row per line: one round trip.

    Get order is the hottest read. Built once per field, planned once (``store/planning.py``);
    the order's columns lead, its line's follow.
    """
    found = (
        _orders_with_names(unseen(bindparam("account_id", type_=Id)))
        .where(LOOKUP_COLUMNS[field] == bindparam("value"))
        .order_by(orders.c.id)
        .limit(1)
        .subquery("found")
    )
    return DriverStatement(
        select(found, *(c.label(f"line_{c.name}") for c in LINE_COLUMNS))
        .outerjoin(
            order_lines,
            (order_lines.c.account_id == unseen(bindparam("account_id", type_=Id)))
            & (order_lines.c.order_id == found.c.id),
        )
        .order_by(order_lines.c.line_no)
    )


LINES = (
    select(order_lines.c.order_id, *LINE_COLUMNS)
    .where(
        order_lines.c.account_id == bindparam("account_id"),
        order_lines.c.order_id.in_(bindparam("order_ids", expanding=True)),
    )
    .order_by(order_lines.c.order_id, order_lines.c.line_no)
)


class OrderQueries(TenantScoped):
    """Read-only access to the account's orders."""

    def _base(self) -> Select[Any]:
        return _orders_with_names(self.account_id)

    async def get(self, field: str, value: str | int) -> OrderView | None:
        """The order whose ``field`` (id, order_number, reference) equals ``value``."""
        statement = _get_statement(field)
        params = {"account_id": self.account_id, "value": value}
        rows = await statement.fetch(self.conn, params)
        if not rows:
            return None
        width = len(LINE_COLUMNS)
        lines = [OrderLineView(*row[-width:]) for row in rows if row[-width] is not None]
        return order_view(dict(zip(statement.columns, rows[0], strict=True)), lines)

    async def page(
        self, where: OrderFilter, page: PageRequest, *, sort: str = "id", descending: bool = True
    ) -> Page[OrderView]:
        """A page of orders matching ``where``, with their lines."""
        conditions = order_filters.conditions(where, self.account_id, self.conn.dialect.name)
        # account_id leads the sort (it is fixed, so the order is the same) so that the sort
        # is exactly an (account_id, ...) index: without it, PostgreSQL may walk pk_orders
        # backwards and skip other accounts' rows, or count with a sequential scan.
        keys = (orders.c.account_id, *dict.fromkeys((SORT_COLUMNS[sort], orders.c.id)))
        order = [key.desc() for key in keys] if descending else list(keys)
        matching = select(orders.c.id).where(orders.c.account_id == self.account_id, *conditions)
        # The page is found by id first, then only its rows are read and joined: skipping the
        # rows before a deep page walks the index alone (page 500 of a million orders:
        # 12-17 ms -> 1.6 ms on PostgreSQL, docs/decisions.md "Counting at scale").
        paged = matching.order_by(*order).limit(page.per_page).offset(page.offset).subquery()
        statement = self._base().join(paged, paged.c.id == orders.c.id).order_by(*order)
        rows = (await self.conn.execute(statement)).all()
        # Counted along the sort's index too: a window of created_at sorted by it is counted
        # in that index's range, not by walking every id of the account past the window.
        along = order_filters.count_along(where, keys)
        total, exact = await bounded_count(self.conn, matching, page, along=along)
        lines = await self._lines([row.id for row in rows]) if rows else {}
        views = [order_view(row._mapping, lines.get(row.id, [])) for row in rows]
        return Page(views, total, page, count_is_exact=exact)

    async def shipment_count(self, order_id: int) -> int:
        """How many shipments an order has had (any status)."""
        statement = select(func.count()).where(
            shipments.c.account_id == self.account_id, shipments.c.order_id == order_id
        )
        return int((await self.conn.execute(statement)).scalar_one())

    async def _lines(self, order_ids: Sequence[int]) -> dict[int, list[OrderLineView]]:
        params = {"account_id": self.account_id, "order_ids": list(order_ids)}
        rows = await self.conn.execute(LINES, params)
        result: dict[int, list[OrderLineView]] = {}
        for order_id, *line in rows:
            result.setdefault(order_id, []).append(OrderLineView(*line))
        return result
