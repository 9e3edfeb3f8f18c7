"""Orders: OrderDynamics' bodies and parameters <-> the core's order commands and views."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

from orderyard.dialects.orderdynamics.mappers.address import address_in, address_out
from orderyard.dialects.orderdynamics.mappers.custom_field import text_of
from orderyard.dialects.orderdynamics.mappers.payment import payments_in, payments_out
from orderyard.dialects.orderdynamics.schemas.custom_field import CustomFieldIn, CustomFieldOut
from orderyard.dialects.orderdynamics.schemas.order import (
    CancelIn,
    CustomerIn,
    CustomerOut,
    OrderDetailIn,
    OrderDetailOut,
    OrderIn,
    OrderOut,
    OrderStatusOut,
    OrderStatusWord,
)
from orderyard.dialects.orderdynamics.schemas.order_import import ImportOrderIn
from orderyard.domain.attribute import StoredAttribute
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.order import Customer, HoldState, OrderStatus
from orderyard.services.order import (
    CancelLine,
    CancelOrder,
    LineInput,
    OrderFields,
    OrderLineView,
    OrderRef,
    OrderView,
    PlaceOrder,
)

STATUS_WORDS: Final[dict[OrderStatus, OrderStatusWord]] = {
    OrderStatus.pending: "Pending",
    OrderStatus.backordered: "Backordered",
    OrderStatus.partially_allocated: "PartiallyAllocated",
    OrderStatus.allocated: "Allocated",
    OrderStatus.partially_shipped: "PartiallyShipped",
    OrderStatus.shipped: "Shipped",
    OrderStatus.delivered: "Delivered",
    OrderStatus.cancelled: "Cancelled",
}
"""The core's status in OrderDynamics' words: one word each (a hold shows as ``IsOnHold``)."""


def order_ref(internal_order_id: int | None, external_order_id: str | None) -> OrderRef:
    """How the query names the order: ``InternalOrderId`` first, else ``ExternalOrderId``.

    Raises:
        InvalidRequestError: neither is given.
    """
    if internal_order_id is not None:
        return OrderRef("id", internal_order_id)
    if external_order_id:
        return OrderRef("order_number", external_order_id)
    raise InvalidRequestError(
        "InternalOrderId or ExternalOrderId is required", field="InternalOrderId"
    )


def not_both(internal_order_id: int, external_order_id: str) -> NotFoundError:
    """The error for two ids that do not name the same order: there is no such order."""
    return NotFoundError(
        f"order {internal_order_id} with ExternalOrderId {external_order_id!r} not found",
        field="order",
    )


def _customer(wire: CustomerIn) -> Customer:
    return Customer(
        external_id=wire.external_customer_id,
        email=wire.email,
        first_name=wire.first_name,
        last_name=wire.last_name,
        phone=wire.phone,
    )


def _line(wire: OrderDetailIn) -> LineInput:
    return LineInput(
        wire.sku,
        wire.quantity,
        wire.unit_price,
        external_id=wire.external_order_detail_id,
        tax=wire.tax_amount,
        discount=wire.discount_amount,
        custom_fields=field_values(wire.custom_fields),
    )


def field_values(fields: Sequence[CustomFieldIn]) -> tuple[FieldValue, ...]:
    """The core's values of a body's custom fields (``null`` is None)."""
    return tuple(FieldValue(field.name, text_of(field.value)) for field in fields)


def fields_out(values: Sequence[StoredAttribute] | None) -> list[CustomFieldOut] | None:
    """The wire form of stored values; None where they were not read."""
    if values is None:
        return None
    return [CustomFieldOut(name=value.name, value=value.value) for value in values]


def place_order(wire: OrderIn | ImportOrderIn) -> PlaceOrder:
    """The core command of a create (or import) body; the ``ExternalOrderId`` is the number."""
    details: Sequence[OrderDetailIn] = wire.order_details
    return PlaceOrder(
        order_number=wire.external_order_id,
        lines=tuple(_line(detail) for detail in details),
        shipping_method=wire.shipping_method,
        address=address_in(wire.shipping_address),
        channel_name=wire.channel,
        currency=wire.currency_code.upper(),
        customer=_customer(wire.customer),
        billing_address=address_in(wire.billing_address),
        ordered_at=wire.order_date_time_utc,
        custom_fields=field_values(wire.custom_fields),
        payments=payments_in(wire.payments, wire.currency_code)
        if isinstance(wire, OrderIn)
        else (),
        carries_custom_fields=True,
    )


def detail_out(
    line: OrderLineView, fields: Sequence[StoredAttribute] | None = None
) -> OrderDetailOut:
    """The wire form of one line, with its custom fields when they were read."""
    return OrderDetailOut(
        order_detail_id=line.id,
        external_order_detail_id=line.external_id,
        sku=line.sku,
        requested_sku=line.requested_sku,
        kit_sku=line.kit_sku,
        quantity=line.quantity,
        allocated_quantity=line.allocated,
        shipped_quantity=line.shipped,
        cancelled_quantity=line.cancelled,
        returned_quantity=line.returned,
        backordered_quantity=line.backordered,
        unit_price=line.unit_price,
        tax_amount=line.tax,
        discount_amount=line.discount,
        custom_fields=fields_out(fields),
    )


def order_out(view: OrderView, fields: OrderFields | None = None) -> OrderOut:
    """The wire form of an order, with its and its lines' custom fields when they were read.

    ``OrderTotal`` is the core's total (prices times quantities, plus tax, less discount);
    ``TaxTotal`` and ``DiscountTotal`` add the lines'; ``SubTotal`` is what is left.
    """
    tax = sum((line.tax for line in view.lines), Decimal(0))
    discount = sum((line.discount for line in view.lines), Decimal(0))
    customer = view.customer
    return OrderOut(
        internal_order_id=view.id,
        external_order_id=view.order_number,
        order_status=STATUS_WORDS[view.status],
        is_on_hold=view.hold is not HoldState.none,
        hold_reason=view.hold_reason,
        order_date_time_utc=view.ordered_at or view.created_at,
        created_date_time_utc=view.created_at,
        last_updated_date_time_utc=view.updated_at,
        currency_code=view.currency,
        shipping_method=view.shipping_method,
        channel=view.channel_name,
        customer=CustomerOut(
            external_customer_id=customer.external_id,
            email=customer.email,
            first_name=customer.first_name,
            last_name=customer.last_name,
            phone=customer.phone,
        ),
        shipping_address=address_out(view.address),
        billing_address=address_out(view.billing_address),
        sub_total=view.total - tax + discount,
        tax_total=tax,
        discount_total=discount,
        order_total=view.total,
        order_details=[
            detail_out(line, None if fields is None else fields.lines.get(line.id, []))
            for line in view.lines
        ],
        custom_fields=fields_out(None if fields is None else fields.order),
        payments=None if fields is None else payments_out(fields.payments, fields.payment_fields),
    )


def status_out(view: OrderView) -> OrderStatusOut:
    """The wire form of an order's status."""
    return OrderStatusOut(
        internal_order_id=view.id,
        external_order_id=view.order_number,
        order_status=STATUS_WORDS[view.status],
        is_on_hold=view.hold is not HoldState.none,
        hold_reason=view.hold_reason,
        last_updated_date_time_utc=view.updated_at,
    )


def cancel_order(ref: OrderRef, reason: str, body: CancelIn | None) -> CancelOrder:
    """The core command of a cancel: the whole order, or the lines the body names."""
    details = body.order_details if body is not None else []
    return CancelOrder(
        ref,
        reason,
        tuple(
            CancelLine(d.order_detail_id, d.external_order_detail_id, d.quantity) for d in details
        ),
    )
