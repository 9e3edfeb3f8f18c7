"""Order wire models: the seed's create body, and what Orderyard answers."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.domain.values import COUNT_MAX
from orderyard.http.wire import Id, IdOrZero, Integer

Text = Annotated[str, Field(max_length=200)]
Required = Annotated[str, Field(min_length=1, max_length=200)]
HoldWord = Literal["Hold", "Stand By", "Pending"]


class CartIn(WireModel):
    """The sales channel (store). ``id`` 0, as in the seed's example, means "not given"."""

    store_name: Text | None = None
    id: IdOrZero | None = None


class CustomerIn(WireModel):
    """The ship-to customer. Required fields are the seed's."""

    email: Text = ""
    phone: Text = ""
    firstname: Required
    lastname: Text = ""
    company: Text = ""
    address1: Required
    address2: Text = ""
    city: Required
    state: Required
    zip: Annotated[str, Field(min_length=1, max_length=32)]
    country: Annotated[str, Field(min_length=1, max_length=64)]


class CustomerPatch(WireModel):
    """Customer fields on update: all optional; given ones replace the stored address."""

    email: Text | None = None
    phone: Text | None = None
    firstname: Text | None = None
    lastname: Text | None = None
    company: Text | None = None
    address1: Text | None = None
    address2: Text | None = None
    city: Text | None = None
    state: Text | None = None
    zip: Text | None = None
    country: Text | None = None


class ItemIn(WireModel):
    """An order line: a SKU (an alias or a synset kit also work) and a quantity."""

    sku: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[Integer, Field(gt=0, le=1_000_000)]
    sold_price: Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4)] = Decimal(0)


class OrderIn(WireModel):
    """One order of ``POST /orders``."""

    order_number: Annotated[str, Field(min_length=1, max_length=100)]
    order_reference: Annotated[str, Field(max_length=100)] = ""
    shipping_method: Annotated[str, Field(min_length=1, max_length=200)]
    cart: CartIn | None = None
    customer: CustomerIn
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=1000)]
    order_type_id: Annotated[Integer, Field(ge=1, le=COUNT_MAX)] = 1
    notes: Annotated[str, Field(max_length=4000)] = ""
    status: HoldWord | None = Field(
        default=None, description="Create the order held (`Hold`) or parked (`Stand By`)."
    )
    hold_reason: Text = ""


class OrdersIn(WireModel):
    """The body of ``POST /orders``: one or more orders."""

    data: Annotated[list[OrderIn], Field(min_length=1, max_length=100)]


class OrderPatch(WireModel):
    """One order of ``PUT /orders``: an identifier plus the fields to change."""

    order_id: Id | None = None
    order_number: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    order_reference: Annotated[str | None, Field(max_length=100)] = None
    shipping_method: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    cart: CartIn | None = None
    customer: CustomerPatch | None = None
    items: Annotated[list[ItemIn] | None, Field(min_length=1, max_length=1000)] = None
    notes: Annotated[str | None, Field(max_length=4000)] = None
    status: HoldWord | None = Field(
        default=None, description="`Hold` or `Stand By` pause the order; `Pending` resumes it."
    )
    hold_reason: Text = ""


class OrdersPatch(WireModel):
    """The body of ``PUT /orders``."""

    data: Annotated[list[OrderPatch], Field(min_length=1, max_length=100)]


class CancelIn(WireModel):
    """The body of ``POST /orders/cancel``."""

    order_id: Id


class CancelBulkIn(WireModel):
    """The body of ``POST /orders/cancel-bulk``."""

    order_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]


class SubStatusIn(WireModel):
    """The body of ``POST /orders/sub_status``."""

    order_id: Id
    sub_status: Annotated[str, Field(max_length=100)]


class CartOut(BaseModel):
    """The order's sales channel."""

    store_name: str
    id: int | None


class CustomerOut(BaseModel):
    """The ship-to customer."""

    email: str
    phone: str
    firstname: str
    lastname: str
    company: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str
    country: str


class ItemOut(BaseModel):
    """A line and its quantities."""

    sku: str
    requested_sku: str = Field(description="The alias or kit SKU the client sent, if different.")
    synset: str = Field(description="The kit this component line came from, if any.")
    quantity: int
    allocated: int
    backordered: int
    shipped: int
    cancelled: int
    returned: int
    sold_price: Decimal


class OrderOut(BaseModel):
    """An order as Orderyard answers it."""

    order_id: int
    order_number: str
    order_reference: str
    status: str
    status_id: int
    sub_status: str
    hold_reason: str
    order_type_id: int
    shipping_method: str
    cart: CartOut
    customer: CustomerOut
    items: list[ItemOut]
    total: Decimal
    currency: str
    notes: str
    created_at: datetime
    updated_at: datetime


class OrderResultOut(BaseModel):
    """The outcome of one order of a bulk call."""

    order_number: str | None = None
    order_id: int | None = None
    status: str | None = None
    status_id: int | None = None
    success: bool
    message: str | None = None
    field: str | None = None
