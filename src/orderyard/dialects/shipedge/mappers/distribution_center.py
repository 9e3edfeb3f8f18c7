"""Locations to ShipEdge distribution centers."""

from orderyard.dialects.shipedge.schemas.distribution_center import (
    DistributionCenterAddressOut,
    DistributionCenterOut,
)
from orderyard.domain.location import Location


def distribution_center_out(location: Location) -> DistributionCenterOut:
    """The wire form of a location."""
    address = location.address
    return DistributionCenterOut(
        distribution_center_id=location.id,
        code=location.code,
        name=location.name,
        type=location.kind.value,
        priority=location.priority,
        ships_orders=location.ships_orders,
        active=location.active,
        address=DistributionCenterAddressOut(
            address1=address.line1,
            city=address.city,
            state=address.region,
            zip=address.postal_code,
            country=address.country_code,
        ),
        latitude=address.latitude,
        longitude=address.longitude,
        created_at=location.created_at,
    )
