"""What a read of an order gives: the views, and how a row becomes one.

Apart from the queries (``order.py``) because a placement answers with the same view made from
what it wrote (``view_as_written``), without reading it back: both go through ``order_view``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Table

from orderyard.domain.order import Customer, HoldState, OrderStatus
from orderyard.domain.values import Address
from orderyard.store.addresses import BILLING_ADDRESS, ORDER_ADDRESS
from orderyard.store.repositories.order_rows import line_rows, read_customer
from orderyard.store.repositories.placement import NewOrder
from orderyard.store.tables import order_lines, orders
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


def order_view(m: Mapping[str, Any], lines: Sequence[OrderLineView]) -> OrderView:
    """The view of an order's row (with its channel and shipping method names) and lines."""
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

    The same row mappings (``order_rows``) and the same view (``order_view``) as a read, each
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
    return order_view(row, lines)


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
