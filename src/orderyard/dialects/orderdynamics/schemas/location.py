"""Locations: inventory locations, store locations and shipping centers (one core record)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.address import (
    AddressIn,
    AddressOut,
    Latitude,
    Longitude,
)
from orderyard.dialects.orderdynamics.wire import Number, WireIn, WireOut
from orderyard.domain.values import COUNT_MAX
from orderyard.http.wire import Integer

InternalName = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
LocationTypeWord = Literal["Warehouse", "Store", "ShippingCenter"]
Priority = Annotated[
    Integer, Field(ge=0, le=COUNT_MAX, description="Allocation tries lower numbers first.")
]


class LocationIn(WireIn):
    """A location to create. ``LocationType`` is implied by the store and shipping-center APIs."""

    internal_name: InternalName = Field(description="Unique in the account; never changes.")
    name: Name
    location_type: LocationTypeWord | None = Field(
        default=None, description="Warehouse (default), Store or ShippingCenter."
    )
    address: AddressIn = Field(default_factory=AddressIn)
    latitude: Latitude | None = Field(
        default=None, description="The same as Address.Latitude; give either."
    )
    longitude: Longitude | None = Field(
        default=None, description="The same as Address.Longitude; give either."
    )
    priority: Priority = 100
    ships_orders: bool = True
    allows_pickup: bool = False
    is_active: bool = True


class AddressPatchIn(WireIn):
    """Address fields to change; absent or null ones stay, an empty string clears."""

    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    zip_code: str | None = None
    country_code: str | None = None
    address_nickname: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    phone: str | None = None
    email: str | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class LocationPatchIn(WireIn):
    """A location's changes: absent or null fields stay as they are.

    ``InternalName`` cannot change (the query names the location); ``LocationType`` can.
    """

    name: Name | None = None
    location_type: LocationTypeWord | None = None
    address: AddressPatchIn | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    priority: Priority | None = None
    ships_orders: bool | None = None
    allows_pickup: bool | None = None
    is_active: bool | None = None


class LocationOut(WireOut):
    """A location as Orderyard answers it."""

    internal_name: str
    name: str
    location_type: LocationTypeWord
    address: AddressOut
    latitude: Number | None
    longitude: Number | None
    priority: int
    ships_orders: bool
    allows_pickup: bool
    is_active: bool
    created_date_time_utc: datetime
