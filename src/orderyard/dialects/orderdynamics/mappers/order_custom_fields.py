"""Custom-field bodies of orders, their lines and their payments <-> the core's commands."""

from orderyard.dialects.orderdynamics.mappers.order import field_values, order_ref
from orderyard.dialects.orderdynamics.schemas.order_custom_fields import (
    LineItemsCustomFieldsIn,
    OrderNamedIn,
    PaymentsCustomFieldsIn,
)
from orderyard.services.order import LineFields, OrderRef, PaymentFields


def ref_of(body: OrderNamedIn) -> OrderRef:
    """The order a body names (``InternalOrderId`` first)."""
    return order_ref(body.internal_order_id, body.external_order_id)


def line_fields(body: LineItemsCustomFieldsIn) -> list[LineFields]:
    """The core's per-line changes of a line custom-field body."""
    return [
        LineFields(
            field_values(line.custom_fields), line.order_detail_id, line.external_order_detail_id
        )
        for line in body.line_items
    ]


def payment_fields(body: PaymentsCustomFieldsIn) -> list[PaymentFields]:
    """The core's per-payment changes of a payment custom-field body."""
    return [
        PaymentFields(payment.payment_id, field_values(payment.custom_fields))
        for payment in body.payments
    ]
