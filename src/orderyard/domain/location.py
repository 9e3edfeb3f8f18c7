"""Locations: any place that holds or ships stock (distribution centers, stores, ...)."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TypeVar

from orderyard.domain.catalog import LocationKind
from orderyard.domain.values import Address, AddressPatch

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Location:
    """A location of one account. ``code`` is unique in the account and never reused.

    Its coordinates, when known, are its address's ``latitude`` and ``longitude``.
    """

    id: int
    code: str
    name: str
    kind: LocationKind
    priority: int
    ships_orders: bool
    active: bool
    address: Address
    created_at: datetime
    allows_pickup: bool = False


@dataclass(frozen=True, slots=True)
class NamedRecord:
    """An entry of a per-account registry (supplier, package type, shipping method, channel)."""

    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewLocation:
    """A location to register."""

    code: str
    name: str
    kind: LocationKind = LocationKind.warehouse
    priority: int = 100
    address: Address = field(default_factory=Address)
    ships_orders: bool = True
    allows_pickup: bool = False
    active: bool = True


@dataclass(frozen=True, slots=True)
class LocationPatch:
    """Changes to a location: ``None`` keeps a field (the code never changes)."""

    name: str | None = None
    kind: LocationKind | None = None
    priority: int | None = None
    ships_orders: bool | None = None
    allows_pickup: bool | None = None
    active: bool | None = None
    address: AddressPatch = field(default_factory=AddressPatch)

    def apply(self, location: Location) -> Location:
        """``location`` with this patch's given fields replacing its own."""
        return replace(
            location,
            name=_kept(self.name, location.name),
            kind=_kept(self.kind, location.kind),
            priority=_kept(self.priority, location.priority),
            ships_orders=_kept(self.ships_orders, location.ships_orders),
            allows_pickup=_kept(self.allows_pickup, location.allows_pickup),
            active=_kept(self.active, location.active),
            address=self.address.apply(location.address),
        )


def _kept(new: T | None, old: T) -> T:
    return old if new is None else new


@dataclass(frozen=True, slots=True)
class Holdings:
    """What a location still holds: stock counted there and orders promised from it."""

    on_hand: int
    allocated: int
    reserved: int
    open_orders: int

    @property
    def empty(self) -> bool:
        """Whether nothing is left there (a location is deleted only then)."""
        return not (self.on_hand or self.allocated or self.reserved or self.open_orders)

    def describe(self) -> str:
        """What is held, in words: ``5 on hand, 2 allocated to 1 open order``."""
        parts = [
            f"{count} {what}"
            for count, what in ((self.on_hand, "on hand"), (self.reserved, "reserved"))
            if count
        ]
        if self.allocated or self.open_orders:
            orders = "order" if self.open_orders == 1 else "orders"
            parts.append(f"{self.allocated} allocated to {self.open_orders} open {orders}")
        return ", ".join(parts)
