"""Stock levels, the ledger of movements, and kit availability."""

from dataclasses import dataclass
from enum import StrEnum


class MovementReason(StrEnum):
    """Why a stock level changed; every change appends one movement with its reason."""

    on_hand_set = "on_hand_set"
    """An operator or feed set the counted on-hand quantity."""
    allocated = "allocated"
    """Stock was promised to an order line."""
    released = "released"
    """An allocation was given back (order cancelled, line reduced, order held)."""
    shipped = "shipped"
    """Allocated stock left the building with a shipment."""
    received = "received"
    """A replenishment arrived."""
    returned = "returned"
    """A return was restocked."""
    manufactured = "manufactured"
    """Kits were built from components (components consumed, kits produced)."""


@dataclass(frozen=True, slots=True)
class StockLevel:
    """Quantities of one SKU at one location."""

    location_id: int
    item_id: int
    on_hand: int
    allocated: int = 0
    reserved: int = 0
    safety_stock: int = 0

    @property
    def available(self) -> int:
        """What may still be promised: never negative."""
        return max(0, self.on_hand - self.allocated - self.reserved - self.safety_stock)


@dataclass(frozen=True, slots=True)
class Movement:
    """One ledger entry: the change of on-hand and allocated at a location, and its cause."""

    location_id: int
    item_id: int
    reason: MovementReason
    on_hand_delta: int = 0
    allocated_delta: int = 0
    order_id: int | None = None
    reference: str = ""


def kit_availability(component_needs: dict[int, int], available: dict[int, int]) -> int:
    """Return how many kits the components allow: min over components of available // need."""
    if not component_needs:
        return 0
    return min(available.get(item, 0) // need for item, need in component_needs.items())


def rebuild_levels(movements: list[Movement]) -> dict[tuple[int, int], tuple[int, int]]:
    """Replay movements into ``{(location, item): (on_hand, allocated)}``: the ledger's claim."""
    levels: dict[tuple[int, int], tuple[int, int]] = {}
    for move in movements:
        key = (move.location_id, move.item_id)
        on_hand, allocated = levels.get(key, (0, 0))
        levels[key] = (on_hand + move.on_hand_delta, allocated + move.allocated_delta)
    return levels
