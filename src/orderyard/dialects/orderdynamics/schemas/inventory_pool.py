"""Inventory pools, pool groups and virtual inventory rows (Orderyard's additions but the read)."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.domain.virtual_inventory import (
    DISPLAY_NAME_MAX,
    FULL,
    GROUP_POOLS_MAX,
    NAME_MAX,
    POOL_LOCATIONS_MAX,
)
from orderyard.http.wire import Count, Integer

InternalName = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
LocationName = Annotated[str, Field(min_length=1, max_length=64)]
DisplayName = Annotated[str, Field(max_length=DISPLAY_NAME_MAX)]
Percentage = Annotated[
    Integer,
    Field(ge=0, le=FULL, description="The share of the summed available kept, rounded down."),
]
Buffer = Annotated[Count, Field(description="Units held back after the percentage.")]
LocationNames = Annotated[
    list[LocationName],
    Field(
        min_length=1,
        max_length=POOL_LOCATIONS_MAX,
        description="The InternalNames of the locations the pool combines (distinct).",
    ),
]
PoolNames = Annotated[
    list[InternalName],
    Field(
        min_length=1,
        max_length=GROUP_POOLS_MAX,
        description="The InternalNames of the group's pools (distinct).",
    ),
]


class InventoryPoolIn(WireIn):
    """An inventory pool to define."""

    internal_name: InternalName = Field(description="Unique among the account's pools.")
    display_name: DisplayName = Field(default="", description="Defaults to the InternalName.")
    location_internal_names: LocationNames
    percentage: Percentage = FULL
    buffer: Buffer = 0


class InventoryPoolPatchIn(WireIn):
    """Changes to a pool: absent or null fields stay; locations are replaced as a whole."""

    display_name: DisplayName | None = Field(default=None, description="Blank: the InternalName.")
    location_internal_names: LocationNames | None = None
    percentage: Percentage | None = None
    buffer: Buffer | None = None


class InventoryPoolOut(WireOut):
    """An inventory pool: its locations (by InternalName) and its calculation."""

    internal_name: str
    display_name: str
    location_internal_names: list[str]
    percentage: int
    buffer: int
    created_date_time_utc: datetime


class InventoryPoolGroupIn(WireIn):
    """An inventory pool group to define."""

    internal_name: InternalName = Field(description="Unique among the account's groups.")
    display_name: DisplayName = Field(default="", description="Defaults to the InternalName.")
    inventory_pool_names: PoolNames


class InventoryPoolGroupPatchIn(WireIn):
    """Changes to a group: absent or null fields stay; pools are replaced as a whole."""

    display_name: DisplayName | None = Field(default=None, description="Blank: the InternalName.")
    inventory_pool_names: PoolNames | None = None


class InventoryPoolGroupOut(WireOut):
    """An inventory pool group and its pools (by InternalName)."""

    internal_name: str
    display_name: str
    inventory_pool_names: list[str]
    created_date_time_utc: datetime


class VirtualInventoryOut(WireOut):
    """What one pool of one group shows for one SKU."""

    inventory_pool_group_name: str
    inventory_pool_name: str
    sku: str
    quantity: int
