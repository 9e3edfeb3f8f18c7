"""Orders and their lines as rows: the columns a new order is written to and read back from.

One mapping each way, shared by the order repository, the placement (one statement on
PostgreSQL) and the order queries.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError

from orderyard.domain.errors import DuplicateError
from orderyard.domain.order import Customer, HoldState, Order, OrderLine
from orderyard.domain.values import Address
from orderyard.store.addresses import BILLING_ADDRESS, ORDER_ADDRESS
from orderyard.store.repositories.base import violates


def line_from_row(row: Row[Any]) -> OrderLine:
    """The order line an ``order_lines`` row holds."""
    m = row._mapping
    return OrderLine(
        id=m["id"],
        line_no=m["line_no"],
        item_id=m["item_id"],
        sku=m["sku"],
        quantity=m["quantity"],
        unit_price=m["unit_price"],
        requested_sku=m["requested_sku"],
        kit_sku=m["kit_sku"],
        allocated=m["allocated"],
        shipped=m["shipped"],
        cancelled=m["cancelled"],
        returned=m["returned"],
        external_id=m["external_id"],
        tax=m["tax_amount"],
        discount=m["discount_amount"],
        preordered=m["preordered"],
    )


CUSTOMER_COLUMNS = {
    "external_id": "customer_external_id",
    "email": "customer_email",
    "first_name": "customer_first_name",
    "last_name": "customer_last_name",
    "phone": "customer_phone",
}
"""Where ``orders`` keeps each field of the order's customer."""


def customer_values(customer: Customer) -> dict[str, str]:
    """The ``orders`` columns of a customer."""
    return {column: getattr(customer, name) for name, column in CUSTOMER_COLUMNS.items()}


def read_customer(row: Any) -> Customer:
    """The customer an ``orders`` row (a mapping) holds."""
    return Customer(**{name: row[column] for name, column in CUSTOMER_COLUMNS.items()})


def backordered(line: OrderLine, hold: HoldState) -> int:
    """The units of the line waiting for stock (none while the order is held, none in a wave)."""
    return line.waiting if hold is HoldState.none else 0


def order_row(
    account_id: int,
    order: Order,
    address: Address,
    *,
    total: Decimal,
    now: datetime,
    payment_count: int = 0,
    has_custom_fields: bool = False,
) -> dict[str, Any]:
    """The ``orders`` row of a new order, by column."""
    header = order.header
    return {
        "account_id": account_id,
        "order_number": header.order_number,
        "reference": header.reference,
        "channel_id": header.channel_id,
        "shipping_method_id": header.shipping_method_id,
        "order_type": header.order_type,
        "notes": header.notes,
        "currency": header.currency,
        "status": order.status.value,
        "hold": order.hold.value,
        "hold_reason": order.hold_reason,
        "sub_status": order.sub_status,
        "total": total,
        "created_at": now,
        "updated_at": now,
        "ordered_at": header.ordered_at or now,
        "payment_count": payment_count,
        "has_custom_fields": has_custom_fields,
        **customer_values(header.customer),
        **ORDER_ADDRESS.values(address),
        **BILLING_ADDRESS.values(header.billing_address),
    }


def line_rows(account_id: int, order: Order) -> list[dict[str, Any]]:
    """The ``order_lines`` rows of a new order's lines, by column."""
    return [
        {
            "account_id": account_id,
            "order_id": order.id,
            "line_no": line.line_no,
            "item_id": line.item_id,
            "sku": line.sku,
            "requested_sku": line.requested_sku,
            "kit_sku": line.kit_sku,
            "quantity": line.quantity,
            "allocated": line.allocated,
            "shipped": line.shipped,
            "cancelled": line.cancelled,
            "backordered": backordered(line, order.hold),
            "unit_price": line.unit_price,
            "external_id": line.external_id,
            "tax_amount": line.tax,
            "discount_amount": line.discount,
        }
        for line in order.lines
    ]


def raise_if_duplicate(error: IntegrityError, order: Order) -> None:
    """Raise DuplicateError if ``error`` is the account's order number used twice."""
    if violates(error, "orders", "account_id", "order_number"):
        raise DuplicateError(
            f"order number {order.header.order_number!r} already exists", field="order_number"
        ) from error
