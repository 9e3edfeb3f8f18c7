"""Bodies of the custom-field paths of orders and of their lines (the seed gives paths only)."""

from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
)
from orderyard.dialects.orderdynamics.wire import WireIn
from orderyard.domain.payment import PAYMENTS_MAX
from orderyard.http.wire import Id
from orderyard.services.order.custom_fields import LINES_MAX

ExternalId = Annotated[str, Field(min_length=1, max_length=100)]


class OrderNamedIn(WireIn):
    """The order, by ``InternalOrderId`` or ``ExternalOrderId`` (both: the same order)."""

    internal_order_id: Id | None = None
    external_order_id: ExternalId | None = None


class OrderCustomFieldsIn(OrderNamedIn):
    """Custom field values to set on an order; null clears one."""

    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class LineItemFieldsIn(WireIn):
    """Custom field values of one line, by ``OrderDetailId`` or ``ExternalOrderDetailId``.

    A client's line id names every line that carries it (a kit's components).
    """

    order_detail_id: Id | None = None
    external_order_detail_id: ExternalId | None = None
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class LineItemsCustomFieldsIn(OrderNamedIn):
    """Custom field values of lines of one order: all applied, or none."""

    line_items: list[LineItemFieldsIn] = Field(max_length=LINES_MAX)


class PaymentFieldsIn(WireIn):
    """Custom field values of one payment of the order, by its ``PaymentId``."""

    payment_id: Id
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class PaymentsCustomFieldsIn(OrderNamedIn):
    """Custom field values of payments of one order: all applied, or none."""

    payments: list[PaymentFieldsIn] = Field(min_length=1, max_length=PAYMENTS_MAX)
