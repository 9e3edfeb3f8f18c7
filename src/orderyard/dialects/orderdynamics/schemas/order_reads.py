"""Bodies of the order reads: the search filters, an order's statistics."""

from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.order import OrderStatusWord
from orderyard.dialects.orderdynamics.wire import Number, UtcDateTime, WireIn, WireOut


class SearchIn(WireIn):
    """Which orders a search returns: every filter given must hold (none: every order)."""

    order_statuses: Annotated[list[OrderStatusWord], Field(max_length=8)] = Field(
        default_factory=list
    )
    order_date_time_utc_from: UtcDateTime | None = None
    order_date_time_utc_to: UtcDateTime | None = None
    external_customer_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    customer_email: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    channel: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    sku: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    location_internal_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class FigureOut(WireOut):
    """Lines with units in one state, those units, and their amount at the unit price."""

    line_count: int
    unit_count: int
    amount: Number


class OrderStatisticsOut(WireOut):
    """What became of an order's units, state by state."""

    internal_order_id: int
    external_order_id: str
    currency_code: str
    ordered: FigureOut
    allocated: FigureOut
    shipped: FigureOut
    cancelled: FigureOut
    returned: FigureOut
    invoiced: FigureOut
    number_of_shipments: int
