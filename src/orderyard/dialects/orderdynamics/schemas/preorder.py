"""Pre-order waves, release schedules, releases and pre-order inventory (OrderDynamics bodies).

The seed names ``itemId`` and ``inventoryLocationId`` but this dialect shows no numeric item
or location id anywhere: ``ItemId`` is the item's Sku and ``InventoryLocationId`` the
location's InternalName (docs/dialects/orderdynamics.md, "Pre-orders").
"""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import UtcDateTime, WireIn, WireOut
from orderyard.http.wire import Count, Id

Sku = Annotated[str, Field(min_length=1, max_length=100, description="The item's Sku.")]
LocationName = Annotated[
    str, Field(min_length=1, max_length=64, description="The location's InternalName.")
]
ExternalId = Annotated[str, Field(max_length=100, description="The client's id of the wave.")]
Country = Annotated[
    str, Field(min_length=2, max_length=2, description="ISO 3166 two-letter country code.")
]


class WaveIn(WireIn):
    """A wave to plan."""

    external_id: ExternalId = ""
    item_id: Sku
    inventory_location_id: LocationName
    planned_quantity: Count
    release_date_time_utc: UtcDateTime = Field(description="Not in the past.")


class WavePatchIn(WireIn):
    """Changes to a wave: absent or null fields stay."""

    external_id: ExternalId | None = None
    planned_quantity: Count | None = Field(
        default=None, description="Not below the wave's sequenced plus released units."
    )
    release_date_time_utc: UtcDateTime | None = Field(default=None, description="Not past.")


class WaveOut(WireOut):
    """A wave and where it stands."""

    wave_id: int
    external_id: str
    item_id: str
    inventory_location_id: str
    planned_quantity: int
    sequenced_quantity: int
    released_quantity: int
    available_quantity: int
    status: str
    release_date_time_utc: datetime
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime


class ReleaseScheduleIn(WireIn):
    """A release schedule to create."""

    item_id: Sku
    country_id: Country
    inventory_location_id: LocationName | None = None
    release_date_time_utc: UtcDateTime = Field(description="Not in the past.")


class ReleaseSchedulePatchIn(WireIn):
    """Changes to a schedule: absent or null fields stay."""

    inventory_location_id: LocationName | None = None
    release_date_time_utc: UtcDateTime | None = Field(default=None, description="Not past.")


class ReleaseScheduleOut(WireOut):
    """A release schedule."""

    release_schedule_id: int
    item_id: str
    country_id: str
    inventory_location_id: str | None
    release_date_time_utc: datetime
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime


class ReleaseItemIn(WireIn):
    """Which item's pre-orders to release (at one location, if given)."""

    item_id: Sku
    inventory_location_id: LocationName | None = None


class ReleasePreordersIn(WireIn):
    """Which waves to release; none: every line whose release date has come."""

    wave_ids: list[Id] = Field(default_factory=list, max_length=1000)


class ReleasedWaveOut(WireOut):
    """What a release did to one wave."""

    wave_id: int
    released_quantity: int
    released_order_details: int
    sequenced_quantity: int
    status: str


class ReleaseOut(WireOut):
    """What a release did."""

    released_quantity: int
    released_order_details: int
    waves: list[ReleasedWaveOut]


class ReleaseDatesOut(WireOut):
    """When a pre-ordered order detail is released, and the dates behind it."""

    order_detail_id: int
    internal_order_id: int
    sku: str
    wave_id: int
    sequence_number: int
    sequenced_quantity: int
    released_quantity: int
    wave_release_date_time_utc: datetime
    scheduled_release_date_time_utc: datetime | None
    release_date_time_utc: datetime
    delivery_date_override_utc: datetime | None


class PreorderWaveInventoryOut(WireOut):
    """One wave's pre-order quantities."""

    wave_id: int
    inventory_location_id: str
    planned_quantity: int
    sequenced_quantity: int
    released_quantity: int
    available_quantity: int
    status: str
    release_date_time_utc: datetime


class PreorderInventoryOut(WireOut):
    """An item's pre-order quantities, in all and per wave (earliest release first)."""

    sku: str
    planned_quantity: int
    sequenced_quantity: int
    released_quantity: int
    available_quantity: int
    waves: list[PreorderWaveInventoryOut]
