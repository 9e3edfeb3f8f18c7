"""Order orchestration bodies: an order as clients send it and as Orderyard answers it."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.address import AddressIn, AddressOut
from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
    CustomFieldOut,
)
from orderyard.dialects.orderdynamics.schemas.payment import PaymentIn, PaymentOut
from orderyard.dialects.orderdynamics.wire import Number, UtcDateTime, WireIn, WireOut
from orderyard.domain.payment import PAYMENTS_MAX
from orderyard.http.wire import Id, Integer

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4, allow_inf_nan=False)]
"""An amount a line carries: never negative, four decimal places at most (as ShipEdge's)."""
Quantity = Annotated[Integer, Field(ge=1, le=1_000_000)]
"""Units of a line: the bound of ShipEdge's lines, so that totals stay within the store's."""
OrderStatusWord = Literal[
    "Pending",
    "Backordered",
    "PartiallyAllocated",
    "Allocated",
    "PartiallyShipped",
    "Shipped",
    "Delivered",
    "Cancelled",
]


class CustomerIn(WireIn):
    """Who places the order."""

    external_customer_id: Annotated[str, Field(max_length=100)] = ""
    email: Annotated[str, Field(max_length=200)] = ""
    first_name: Annotated[str, Field(max_length=100)] = ""
    last_name: Annotated[str, Field(max_length=100)] = ""
    phone: Annotated[str, Field(max_length=64)] = ""


class OrderDetailIn(WireIn):
    """One line of a new order: a SKU (or an alias, or a kit) and how many."""

    external_order_detail_id: Annotated[str, Field(max_length=100)] = ""
    sku: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Quantity
    unit_price: Money = Decimal(0)
    tax_amount: Money = Decimal(0)
    discount_amount: Money = Decimal(0)
    custom_fields: list[CustomFieldIn] = Field(
        default_factory=list,
        max_length=CUSTOM_FIELDS_MAX,
        description="Values of fields defined for OrderLineItem; a kit's go to each component.",
    )


class OrderHeaderIn(WireIn):
    """What a new order says of itself, before its lines (shared by create and import)."""

    external_order_id: Annotated[str, Field(min_length=1, max_length=100)]
    order_date_time_utc: UtcDateTime | None = None
    currency_code: Annotated[str, Field(pattern="^[A-Za-z]{3}$")] = "USD"
    shipping_method: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    channel: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    customer: CustomerIn = Field(default_factory=CustomerIn)
    shipping_address: AddressIn = Field(default_factory=AddressIn)
    billing_address: AddressIn = Field(default_factory=AddressIn)
    custom_fields: list[CustomFieldIn] = Field(
        default_factory=list,
        max_length=CUSTOM_FIELDS_MAX,
        description="Values of fields defined for Order.",
    )


class OrderIn(OrderHeaderIn):
    """A new order."""

    order_details: Annotated[list[OrderDetailIn], Field(min_length=1, max_length=1000)]
    payments: list[PaymentIn] = Field(
        default_factory=list,
        max_length=PAYMENTS_MAX,
        description="How it is paid: each payment's authorization, a card only as its token.",
    )


class CustomerOut(WireOut):
    """Who placed the order."""

    external_customer_id: str
    email: str
    first_name: str
    last_name: str
    phone: str


class OrderDetailOut(WireOut):
    """One line and what became of its units."""

    order_detail_id: int
    external_order_detail_id: str
    sku: str
    requested_sku: str
    kit_sku: str
    quantity: int
    allocated_quantity: int
    shipped_quantity: int
    cancelled_quantity: int
    returned_quantity: int
    backordered_quantity: int
    unit_price: Number
    tax_amount: Number
    discount_amount: Number
    custom_fields: list[CustomFieldOut] | None = Field(
        default=None, description="By name; null where not read (lists of orders and lines)."
    )


class OrderOut(WireOut):
    """An order as Orderyard answers it."""

    internal_order_id: int
    external_order_id: str
    order_status: OrderStatusWord
    is_on_hold: bool
    hold_reason: str
    order_date_time_utc: datetime
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime
    currency_code: str
    shipping_method: str
    channel: str
    customer: CustomerOut
    shipping_address: AddressOut
    billing_address: AddressOut
    sub_total: Number
    tax_total: Number
    discount_total: Number
    order_total: Number
    order_details: list[OrderDetailOut]
    custom_fields: list[CustomFieldOut] | None = Field(
        default=None, description="By name; null where not read (lists of orders)."
    )
    payments: list[PaymentOut] | None = Field(
        default=None, description="Oldest first; null where not read (lists of orders)."
    )


class OrderStatusOut(WireOut):
    """Where an order stands."""

    internal_order_id: int
    external_order_id: str
    order_status: OrderStatusWord
    is_on_hold: bool
    hold_reason: str
    last_updated_date_time_utc: datetime


class CancelDetailIn(WireIn):
    """Units of one line to cancel: the line by ``OrderDetailId`` or ``ExternalOrderDetailId``."""

    order_detail_id: Id | None = None
    external_order_detail_id: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    quantity: Quantity | None = None
    """Absent: every open unit of the line."""


class CancelIn(WireIn):
    """What to cancel; absent (or no ``OrderDetails``): every open unit of the order."""

    order_details: Annotated[list[CancelDetailIn], Field(max_length=1000)] = Field(
        default_factory=list
    )
