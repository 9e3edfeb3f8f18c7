"""Locations: any place that holds or ships stock (distribution centers, stores, ...)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from orderyard.domain.catalog import LocationKind
from orderyard.domain.values import Address


@dataclass(frozen=True, slots=True)
class Location:
    """A location of one account. ``code`` is unique in the account and never reused."""

    id: int
    code: str
    name: str
    kind: LocationKind
    priority: int
    ships_orders: bool
    active: bool
    address: Address
    created_at: datetime
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True, slots=True)
class NamedRecord:
    """An entry of a per-account registry (supplier, package type, shipping method, channel)."""

    id: int
    name: str
    created_at: datetime
