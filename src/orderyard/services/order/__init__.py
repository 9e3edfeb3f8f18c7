"""Order use cases: place, import, update, readdress, hold and release, cancel, read, list."""

from orderyard.domain.values import PageRequest
from orderyard.services.order.address import change_shipping_address
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
    ImportOrder,
    ImportOutcome,
    LineInput,
    LineProgress,
    OrderOutcome,
    OrderRef,
    PlaceOrder,
    UpdateOrder,
)
from orderyard.services.order.custom_fields import (
    LineFields,
    OrderFields,
    PaymentFields,
    custom_fields_of,
    get_order_with_fields,
    set_line_custom_fields,
    set_order_custom_fields,
    set_payment_custom_fields,
)
from orderyard.services.order.import_ import import_orders
from orderyard.services.order.place import build_lines, place_order, place_orders
from orderyard.services.order.read import (
    OrderStatistics,
    Tally,
    cancelled_lines,
    get_order,
    list_orders,
    order_statistics,
    search_orders,
)
from orderyard.store.queries.order_filters import OrderFilter
from orderyard.store.queries.order_views import OrderLineView, OrderView

__all__ = [
    "CancelLine",
    "CancelOrder",
    "CancelOutcome",
    "ImportOrder",
    "ImportOutcome",
    "LineFields",
    "LineInput",
    "LineProgress",
    "OrderFields",
    "OrderFilter",
    "OrderLineView",
    "OrderOutcome",
    "OrderRef",
    "OrderStatistics",
    "OrderView",
    "PageRequest",
    "PaymentFields",
    "PlaceOrder",
    "Tally",
    "UpdateOrder",
    "build_lines",
    "cancel_order",
    "cancel_orders",
    "cancelled_lines",
    "change_shipping_address",
    "custom_fields_of",
    "get_order",
    "get_order_with_fields",
    "import_orders",
    "list_orders",
    "order_statistics",
    "place_order",
    "place_orders",
    "search_orders",
    "set_line_custom_fields",
    "set_order_custom_fields",
    "set_payment_custom_fields",
    "set_sub_status",
    "update_orders",
]
