"""Locations: OrderDynamics' bodies <-> the core's Location, field by field."""

from dataclasses import replace
from decimal import Decimal
from typing import Final

from orderyard.dialects.orderdynamics.mappers.address import (
    address_in,
    address_out,
    address_patch,
)
from orderyard.dialects.orderdynamics.schemas.address import AddressIn
from orderyard.dialects.orderdynamics.schemas.location import (
    AddressPatchIn,
    LocationIn,
    LocationOut,
    LocationPatchIn,
    LocationTypeWord,
)
from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.location import Location, LocationPatch, NewLocation
from orderyard.domain.values import Address

KINDS: Final[dict[LocationTypeWord, LocationKind]] = {
    "Warehouse": LocationKind.warehouse,
    "Store": LocationKind.store,
    "ShippingCenter": LocationKind.shipping_center,
}
WORDS: Final[dict[LocationKind, LocationTypeWord]] = {kind: word for word, kind in KINDS.items()}


def create_location(body: LocationIn, kind: LocationKind | None) -> NewLocation:
    """The core command for a create body; ``kind`` when the API implies one."""
    return NewLocation(
        code=body.internal_name,
        name=body.name,
        kind=kind or KINDS[body.location_type or "Warehouse"],
        priority=body.priority,
        address=address(body.address, body.latitude, body.longitude),
        ships_orders=body.ships_orders,
        allows_pickup=body.allows_pickup,
        active=body.is_active,
    )


def patch_location(body: LocationPatchIn) -> LocationPatch:
    """The core's changes for an update body."""
    given = body.address or AddressPatchIn()
    return LocationPatch(
        name=body.name,
        kind=None if body.location_type is None else KINDS[body.location_type],
        priority=body.priority,
        ships_orders=body.ships_orders,
        allows_pickup=body.allows_pickup,
        active=body.is_active,
        address=replace(
            address_patch(given),
            latitude=_one(given.latitude, body.latitude, "Latitude"),
            longitude=_one(given.longitude, body.longitude, "Longitude"),
        ),
    )


def address(wire: AddressIn, latitude: Decimal | None, longitude: Decimal | None) -> Address:
    """The core address of a body's ``Address`` and its location's coordinates."""
    return replace(
        address_in(wire),
        latitude=_one(wire.latitude, latitude, "Latitude"),
        longitude=_one(wire.longitude, longitude, "Longitude"),
    )


def _one(in_address: Decimal | None, on_location: Decimal | None, name: str) -> Decimal | None:
    """A coordinate given in the address, on the location, or both alike."""
    if in_address is not None and on_location is not None and in_address != on_location:
        raise InvalidRequestError(
            f"{name} and Address.{name} differ; give one of them", field=name.lower()
        )
    return on_location if on_location is not None else in_address


def location_out(location: Location) -> LocationOut:
    """The wire form of a location."""
    where = location.address
    return LocationOut(
        internal_name=location.code,
        name=location.name,
        location_type=WORDS[location.kind],
        address=address_out(where),
        latitude=where.latitude,
        longitude=where.longitude,
        priority=location.priority,
        ships_orders=location.ships_orders,
        allows_pickup=location.allows_pickup,
        is_active=location.active,
        created_date_time_utc=location.created_at,
    )
