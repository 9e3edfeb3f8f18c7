"""Custom-field bodies of orders and of their lines <-> the core's commands."""

from orderyard.dialects.orderdynamics.mappers.order import field_values, order_ref
from orderyard.dialects.orderdynamics.schemas.order_custom_fields import (
    LineItemsCustomFieldsIn,
    OrderNamedIn,
)
from orderyard.services.order import LineFields, OrderRef


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
