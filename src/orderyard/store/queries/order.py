"""Order views for reads and lists."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, bindparam, exists, func, select

from orderyard.domain.customer import CustomerLink
from orderyard.domain.order import Customer, HoldState, OrderStatus
from orderyard.domain.values import Address, Page, PageRequest
from orderyard.store.addresses import BILLING_ADDRESS, ORDER_ADDRESS
from orderyard.store.customer_link import linked_orders
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.order import LOOKUP_COLUMNS
from orderyard.store.repositories.order_rows import line_rows, read_customer
from orderyard.store.repositories.placement import NewOrder
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import (
    Id,
    allocations,
    channels,
    order_lines,
    orders,
    shipments,
    shipping_methods,
)
from orderyard.store.types import ScaledDecimal, as_stored


@dataclass(frozen=True, slots=True)
class OrderLineView:
    """One line as clients see it."""

    line_no: int
    sku: str
    requested_sku: str
    kit_sku: str
    quantity: int
    allocated: int
    shipped: int
    cancelled: int
    returned: int
    backordered: int
    unit_price: Decimal
    external_id: str = ""
    tax: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)
    id: int = 0


@dataclass(frozen=True, slots=True)
class OrderView:
    """An order as clients see it."""

    id: int
    order_number: str
    reference: str
    status: OrderStatus
    hold: HoldState
    hold_reason: str
    sub_status: str
    order_type: int
    channel_id: int | None
    channel_name: str
    shipping_method: str
    address: Address
    notes: str
    currency: str
    total: Decimal
    created_at: datetime
    updated_at: datetime
    lines: tuple[OrderLineView, ...] = ()
    customer: Customer = field(default_factory=Customer)
    billing_address: Address = field(default_factory=Address)
    ordered_at: datetime | None = None
    """When the client says it was placed (``created_at`` for orders from before 0014)."""
    payment_count: int = 0
    has_custom_fields: bool = False
    """Whether the order, a line or a payment of it ever had a custom field value."""


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders a list returns. Every field maps to an index leading with account_id."""

    statuses: frozenset[OrderStatus] | None = None
    hold: HoldState | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    order_type: int | None = None
    location_id: int | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    updated_after: datetime | None = None
    """Changed after (exclusive), with ``updated_before``: a range of (account_id, updated_at)."""
    updated_before: datetime | None = None
    ordered_from: datetime | None = None
    ordered_to: datetime | None = None
    customer_external_id: str | None = None
    customer_email: str | None = None
    sku: str | None = None
    """Orders with a line of this SKU: a range of (account_id, sku, order_id) on the lines."""
    order_number_prefix: str | None = None
    reference: str | None = None
    """Orders with this reference exactly: a range of (account_id, reference)."""
    order_id: int | None = None
    linked_to: CustomerLink | None = None
    """A customer's orders by the link rule (``store/customer_link.py``): two index ranges."""


SORT_COLUMNS = {
    "id": orders.c.id,
    "order_number": orders.c.order_number,
    "created_at": orders.c.created_at,
    "updated_at": orders.c.updated_at,
    "ordered_at": orders.c.ordered_at,
}
"""Sorts a list may ask for; each is the second column of an (account_id, column, id) index."""


def _view(m: Mapping[str, Any], lines: Sequence[OrderLineView]) -> OrderView:
    return OrderView(
        id=m["id"],
        order_number=m["order_number"],
        reference=m["reference"],
        status=OrderStatus(m["status"]),
        hold=HoldState(m["hold"]),
        hold_reason=m["hold_reason"],
        sub_status=m["sub_status"],
        order_type=m["order_type"],
        channel_id=m["channel_id"],
        channel_name=m["channel_name"] or "",
        shipping_method=m["shipping_method"] or "",
        address=ORDER_ADDRESS.read(m),
        notes=m["notes"],
        currency=m["currency"],
        total=m["total"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        lines=tuple(lines),
        customer=read_customer(m),
        billing_address=BILLING_ADDRESS.read(m),
        ordered_at=m["ordered_at"] or m["created_at"],
        payment_count=m["payment_count"],
        has_custom_fields=m["has_custom_fields"],
    )


def view_as_written(
    account_id: int, new: NewOrder, *, channel_name: str, shipping_method: str
) -> OrderView:
    """What a read of a just-placed order gives, made from the rows its placement wrote.

    The same row mappings (``order_rows``) and the same view (``_view``) as a read, each
    value as its column gives it back, so a create answers without a second round trip
    (bench/README.md, "OrderDynamics create").
    """
    order = new.order
    row = _as_read(orders, new.row(account_id))
    row |= {"id": order.id, "channel_name": channel_name, "shipping_method": shipping_method}
    lines = []
    for line, written in zip(order.lines, line_rows(account_id, order), strict=True):
        read = _as_read(order_lines, written | {"id": line.id, "returned": line.returned})
        lines.append(OrderLineView(*(read[column.name] for column in LINE_COLUMNS)))
    return _view(row, lines)


@cache
def _scaled_columns(table: Table) -> tuple[str, ...]:
    return tuple(column.name for column in table.c if isinstance(column.type, ScaledDecimal))


def _as_read(table: Table, row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with each value as its column reads it back (a ScaledDecimal to four places).

    Only the scaled columns change; they are listed once per table (a create answers with
    this, and looking every column up cost a quarter of a 5-line create's endpoint time).
    """
    read = dict(row)
    for name in _scaled_columns(table):
        value = read.get(name)
        if value is not None:
            read[name] = as_stored(value)
    return read


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


LINE_COLUMNS = tuple(
    order_lines.c[name]
    for name in (
        "line_no",
        "sku",
        "requested_sku",
        "kit_sku",
        "quantity",
        "allocated",
        "shipped",
        "cancelled",
        "returned",
        "backordered",
        "unit_price",
        "external_id",
        "tax_amount",
        "discount_amount",
        "id",
    )
)
"""The columns of an ``OrderLineView``, in its fields' order: rows are unpacked into it."""


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


def _after_prefix(prefix: str) -> str | None:
    """The least string above every string starting with ``prefix``, compared byte by byte.

    UTF-8 orders as code points, so the last character's successor bounds the prefix (past
    the surrogates, which no text holds); the last code point has none: None.
    """
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000
    return None if last > 0x10FFFF else prefix[:-1] + chr(last)


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
        return _view(dict(zip(statement.columns, rows[0], strict=True)), lines)

    async def page(
        self, where: OrderFilter, page: PageRequest, *, sort: str = "id", descending: bool = True
    ) -> Page[OrderView]:
        """A page of orders matching ``where``, with their lines."""
        conditions = self._conditions(where)
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
        total, exact = await bounded_count(self.conn, matching, page, along=keys)
        lines = await self._lines([row.id for row in rows]) if rows else {}
        views = [_view(row._mapping, lines.get(row.id, [])) for row in rows]
        return Page(views, total, page, count_is_exact=exact)

    def _conditions(self, where: OrderFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if where.hold is not None:
            conditions.append(orders.c.hold == where.hold.value)
        if where.statuses is not None:
            conditions.append(orders.c.status.in_(sorted(s.value for s in where.statuses)))
        if where.created_from is not None:
            conditions.append(orders.c.created_at >= where.created_from)
        if where.created_to is not None:
            conditions.append(orders.c.created_at < where.created_to)
        if where.order_type is not None:
            conditions.append(orders.c.order_type == where.order_type)
        if where.channel_id is not None:
            conditions.append(orders.c.channel_id == where.channel_id)
        if where.channel_name is not None:
            conditions.append(
                orders.c.channel_id.in_(
                    select(channels.c.id).where(
                        channels.c.account_id == self.account_id,
                        channels.c.name == where.channel_name,
                    )
                )
            )
        if where.location_id is not None:
            conditions.append(
                exists().where(
                    allocations.c.account_id == self.account_id,
                    allocations.c.location_id == where.location_id,
                    allocations.c.order_id == orders.c.id,
                )
            )
        if where.linked_to is not None:
            conditions.append(linked_orders(where.linked_to))
        return conditions + self._detail_conditions(where)

    def _detail_conditions(self, where: OrderFilter) -> list[ColumnElement[bool]]:
        """The conditions of OrderDynamics' lists: each an index range leading with account."""
        conditions: list[ColumnElement[bool]] = []
        if where.updated_after is not None:
            conditions.append(orders.c.updated_at > where.updated_after)
        if where.updated_before is not None:
            conditions.append(orders.c.updated_at < where.updated_before)
        if where.ordered_from is not None:
            conditions.append(orders.c.ordered_at >= where.ordered_from)
        if where.ordered_to is not None:
            conditions.append(orders.c.ordered_at < where.ordered_to)
        if where.customer_external_id is not None:
            conditions.append(orders.c.customer_external_id == where.customer_external_id)
        if where.customer_email is not None:
            conditions.append(orders.c.customer_email == where.customer_email)
        return conditions + self._key_conditions(where)

    def _key_conditions(self, where: OrderFilter) -> list[ColumnElement[bool]]:
        """Conditions on the order's own keys and its lines' SKUs (searches)."""
        conditions: list[ColumnElement[bool]] = []
        if where.order_number_prefix is not None:
            conditions += self._prefix_conditions(where.order_number_prefix)
        if where.reference is not None:
            conditions.append(orders.c.reference == where.reference)
        if where.order_id is not None:
            conditions.append(orders.c.id == where.order_id)
        if where.sku is not None:
            conditions.append(
                orders.c.id.in_(
                    select(order_lines.c.order_id).where(
                        order_lines.c.account_id == self.account_id,
                        order_lines.c.sku == where.sku,
                    )
                )
            )
        return conditions

    def _prefix_conditions(self, prefix: str) -> list[ColumnElement[bool]]:
        """Order numbers starting with ``prefix``; on PostgreSQL, also as a range of bytes.

        ``LIKE`` decides; the range (``~>=~``, ``~<~``: ``varchar_pattern_ops``' operators)
        is what ``ix_orders_order_number_prefix`` answers, even in a generic plan, where a
        ``LIKE`` on a parameter has no prefix the planner can see: after five executions of
        the prepared statement a search read the table (bench/README.md, "Console orders
        list").
        """
        conditions = [orders.c.order_number.startswith(prefix, autoescape=True)]
        if self.conn.dialect.name == "postgresql" and prefix:
            conditions.append(orders.c.order_number.op("~>=~")(prefix))
            after = _after_prefix(prefix)
            if after is not None:
                conditions.append(orders.c.order_number.op("~<~")(after))
        return conditions

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
