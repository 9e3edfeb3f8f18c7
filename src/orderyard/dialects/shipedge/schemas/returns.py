"""Return (RMA) wire models: the seed's create body, and what Orderyard answers.

The seed shows only the create body; a return answers with the same names plus its status and
counts. Returned units are counted ``good`` or ``hurt`` (damaged), ShipEdge's words.
"""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.http.wire import Id, Integer

Sku = Annotated[str, Field(min_length=1, max_length=100)]


class ReturnItemIn(WireModel):
    """A returned SKU of the order, how many units, and why."""

    sku: Sku
    quantity: Annotated[Integer, Field(gt=0, le=1_000_000)]
    reason: Annotated[str, Field(max_length=200)] = ""


class ReturnIn(WireModel):
    """One return of ``POST /inventory/returns``."""

    order_id: Annotated[Id, Field(description="The order the units shipped with.")]
    items: Annotated[list[ReturnItemIn], Field(min_length=1, max_length=1000)]


class ReturnsIn(WireModel):
    """The body of ``POST /inventory/returns``: one or more returns."""

    data: Annotated[list[ReturnIn], Field(min_length=1, max_length=100)]


class ReturnItemOut(BaseModel):
    """A returned line: announced quantity, reason and, once received, the count."""

    sku: str
    quantity: int
    reason: str
    good: int = Field(description="Units received in resellable condition.")
    hurt: int = Field(description="Units received damaged; never restocked.")


class ReturnOut(BaseModel):
    """A return as Orderyard answers it."""

    return_id: int
    order_id: int
    order_number: str
    status: str
    distribution_center: str | None = Field(description="Where it was received, once it was.")
    items: list[ReturnItemOut]
    created_at: datetime
    updated_at: datetime


class ReturnResultOut(BaseModel):
    """The outcome of one return of a bulk call."""

    order_id: int
    return_id: int | None = None
    status: str | None = None
    success: bool
    message: str | None = None
    field: str | None = None
