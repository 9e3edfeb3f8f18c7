"""Physical inventory visibility bodies: rows per (SKU, location), totals, on-hand counts."""

from typing import Annotated, Final, Literal

from pydantic import BeforeValidator, Field

from orderyard.dialects.orderdynamics.wire import UtcDateTime, WireIn, WireOut
from orderyard.http.wire import Count

MAX_ON_HAND_ROWS: Final = 10_000
"""Rows one ``PUT /v1/inventory/onhand`` takes; larger feeds go to ``BulkOnhand``."""


def _folded(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


FigureWord = Annotated[
    Literal["onhand", "allocated", "reserved", "safetystock", "available"],
    BeforeValidator(_folded),
]
"""The ``type`` of the overall and totals reads, in any case (``OnHand``, ``onhand``)."""


class LevelOut(WireOut):
    """One figure of one SKU at one location."""

    sku: str
    location_internal_name: str
    quantity: int


class OverallOut(WireOut):
    """Every figure of one SKU at one location."""

    sku: str
    location_internal_name: str
    on_hand: int
    allocated: int
    reserved: int
    safety_stock: int
    available: int


class TotalOut(WireOut):
    """One figure of one SKU over every location."""

    sku: str
    quantity: int


class TotalOverallOut(WireOut):
    """Every figure of one SKU over every location."""

    sku: str
    on_hand: int
    allocated: int
    reserved: int
    safety_stock: int
    available: int


class OnHandItemIn(WireIn):
    """One counted quantity: what is on the shelf now (absolute, not a change)."""

    sku: str = Field(min_length=1, max_length=100)
    location_internal_name: str = Field(min_length=1, max_length=64)
    quantity: Count


class OnHandUpdateIn(WireIn):
    """A set of counts, applied all or nothing."""

    items: list[OnHandItemIn] = Field(min_length=1, max_length=MAX_ON_HAND_ROWS)


class OnHandUpdatedOut(WireOut):
    """What a set of counts changed."""

    rows: int
    changed: int
    """Stock levels whose on-hand the counts changed."""
    orders_allocated: int
    """Waiting orders that received stock afterwards."""
    orders_released: int
    """Orders whose allocation a count below it took back (stock was lost)."""


class ReservedItemIn(WireIn):
    """One reservation to set: the units held at the level under ``Reference`` (absolute)."""

    sku: str = Field(min_length=1, max_length=100)
    location_internal_name: str = Field(min_length=1, max_length=64)
    quantity: Count = Field(description="Units held; 0 removes the reservation.")
    reference: str = Field(
        default="", max_length=100, description="What the units are held for (default empty)."
    )
    expiry_date_time_utc: UtcDateTime | None = Field(
        default=None, description="When the reservation stops counting (default: never)."
    )


class ReservedUpdateIn(WireIn):
    """Reservations to set, all or nothing."""

    items: list[ReservedItemIn] = Field(min_length=1, max_length=MAX_ON_HAND_ROWS)


class ReservedReleaseItemIn(WireIn):
    """A reservation to remove; without ``Reference``, every reservation of the level."""

    sku: str = Field(min_length=1, max_length=100)
    location_internal_name: str = Field(min_length=1, max_length=64)
    reference: str | None = Field(default=None, max_length=100)


class ReservedReleaseIn(WireIn):
    """Reservations to remove, all or nothing."""

    items: list[ReservedReleaseItemIn] = Field(min_length=1, max_length=MAX_ON_HAND_ROWS)


class ReservedUpdatedOut(WireOut):
    """What a set of reservation changes did."""

    rows: int
    orders_allocated: int
    """Waiting orders that received the units given back."""
