"""Order import and shipping-address bodies: historical orders, and a new address."""

from typing import Annotated, Literal

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.address import AddressIn
from orderyard.dialects.orderdynamics.schemas.order import (
    OrderDetailIn,
    OrderHeaderIn,
    OrderStatusWord,
)
from orderyard.dialects.orderdynamics.wire import UtcDateTime, WireIn, WireOut
from orderyard.http.wire import Id, Integer

IMPORT_MAX = 100
"""Orders one import request may carry."""
Done = Annotated[Integer, Field(ge=0, le=1_000_000)]
"""Units of a line shipped or cancelled elsewhere: within a line's bound."""
ImportResultWord = Literal["Imported", "AlreadyImported", "Failed"]


class ImportDetailIn(OrderDetailIn):
    """A line of a historical order, with what became of its units."""

    shipped_quantity: Done = 0
    cancelled_quantity: Done = 0


class ImportOrderIn(OrderHeaderIn):
    """A historical order: the create shape, its status, its date and its lines' progress."""

    order_status: OrderStatusWord
    order_date_time_utc: UtcDateTime
    order_details: Annotated[list[ImportDetailIn], Field(min_length=1, max_length=1000)]


ImportIn = Annotated[list[ImportOrderIn], Field(min_length=1, max_length=IMPORT_MAX)]


class ImportResultOut(WireOut):
    """What became of one imported order."""

    external_order_id: str
    internal_order_id: int | None
    result: ImportResultWord
    errors: dict[str, list[str]] = Field(
        description="Failed: per field, as the client named it, its messages."
    )


class ShippingAddressIn(WireIn):
    """The order, by ``InternalOrderId`` or ``ExternalOrderId``, and its new address."""

    internal_order_id: Id | None = None
    external_order_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    shipping_address: AddressIn
    """Only the fields given change; an absent field keeps its value."""
