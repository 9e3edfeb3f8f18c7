"""Replenishment wire models: the seed's create body, the update body, and the answers.

The seed's update is "same structure as create"; Orderyard adds ``replenishment_id`` to name the
replenishment, ``items[].received`` to receive units, and ``status: "Cancelled"`` to close it.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.http.wire import Id, Integer

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` strings (pydantic alone would also take timestamps)."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value.strip()


Sku = Annotated[str, Field(min_length=1, max_length=100)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
Quantity = Annotated[Integer, Field(gt=0, le=10_000_000)]
Received = Annotated[
    Integer,
    Field(ge=0, le=10_000_000, description="Units arrived so far (cumulative, never lower)."),
]
Eta = Annotated[date, BeforeValidator(_iso_date)]
Reference = Annotated[str, Field(max_length=100)]


class ReplenishmentItemIn(WireModel):
    """An expected SKU and how many units; ``received`` if some already arrived."""

    sku: Sku
    quantity: Quantity
    received: Received | None = None


class ReplenishmentIn(WireModel):
    """One replenishment of ``POST /inventory/replenishments``."""

    items: Annotated[list[ReplenishmentItemIn], Field(min_length=1, max_length=1000)]
    distribution_center: Code = Field(description="A registered distribution center code.")
    eta: Eta | None = None
    reference: Reference = ""


class ReplenishmentsIn(WireModel):
    """The body of ``POST /inventory/replenishments``."""

    data: Annotated[list[ReplenishmentIn], Field(min_length=1, max_length=100)]


class ReplenishmentItemPatch(WireModel):
    """A line to change or add: its SKU, then the expected quantity and/or units received."""

    sku: Sku
    quantity: Quantity | None = Field(default=None, description="Required for a new SKU.")
    received: Received | None = None


class ReplenishmentPatch(WireModel):
    """One replenishment of ``PATCH /inventory/replenishments``; absent fields stay."""

    replenishment_id: Id
    items: Annotated[list[ReplenishmentItemPatch], Field(max_length=1000, default_factory=list)]
    distribution_center: Code | None = None
    eta: Eta | None = None
    reference: Reference | None = None
    status: Literal["Cancelled"] | None = Field(
        default=None, description="`Cancelled` closes the replenishment."
    )


class ReplenishmentsPatch(WireModel):
    """The body of ``PATCH /inventory/replenishments``."""

    data: Annotated[list[ReplenishmentPatch], Field(min_length=1, max_length=100)]


class ReplenishmentItemOut(BaseModel):
    """An expected SKU and what arrived of it."""

    sku: str
    quantity: int
    received: int


class ReplenishmentOut(BaseModel):
    """A replenishment as Orderyard answers it."""

    replenishment_id: int
    distribution_center: str
    status: str
    eta: date | None
    reference: str
    items: list[ReplenishmentItemOut]
    created_at: datetime
    updated_at: datetime


class ReplenishmentResultOut(BaseModel):
    """The outcome of one replenishment of a bulk call."""

    replenishment_id: int | None = None
    status: str | None = None
    success: bool
    message: str | None = None
    field: str | None = None
