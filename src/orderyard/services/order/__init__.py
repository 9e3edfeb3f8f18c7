"""Order use cases: place, update, hold and release, cancel, sub-status, read and list."""

from orderyard.domain.values import PageRequest
from orderyard.services.order.change import (
    cancel_order,
    cancel_orders,
    set_sub_status,
    update_orders,
)
from orderyard.services.order.commands import (
    CancelLine,
    CancelOrder,
    CancelOutcome,
    LineInput,
    OrderOutcome,
    OrderRef,
    PlaceOrder,
    UpdateOrder,
)
from orderyard.services.order.custom_fields import (
    LineFields,
    OrderFields,
    custom_fields_of,
    get_order_with_fields,
    set_line_custom_fields,
    set_order_custom_fields,
)
from orderyard.services.order.place import build_lines, place_orders
from orderyard.services.order.read import (
    OrderStatistics,
    Tally,
    cancelled_lines,
    get_order,
    list_orders,
    order_statistics,
    search_orders,
)
from orderyard.store.queries.order import OrderFilter, OrderLineView, OrderView

__all__ = [
    "CancelLine",
    "CancelOrder",
    "CancelOutcome",
    "LineFields",
    "LineInput",
    "OrderFields",
    "OrderFilter",
    "OrderLineView",
    "OrderOutcome",
    "OrderRef",
    "OrderStatistics",
    "OrderView",
    "PageRequest",
    "PlaceOrder",
    "Tally",
    "UpdateOrder",
    "build_lines",
    "cancel_order",
    "cancel_orders",
    "cancelled_lines",
    "custom_fields_of",
    "get_order",
    "get_order_with_fields",
    "list_orders",
    "order_statistics",
    "place_orders",
    "search_orders",
    "set_line_custom_fields",
    "set_order_custom_fields",
    "set_sub_status",
    "update_orders",
]
