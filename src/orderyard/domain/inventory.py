"""Stock levels, the ledger of movements, and kit availability."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from orderyard.domain.errors import ConflictError, InvalidRequestError


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
    bypassed: int = 0
    """Units a pre-order release that bypassed the inventory requirement allocated beyond
    on-hand, not yet settled by a receipt (the shortfall, ``store/stock_figures.py``)."""

    @property
    def available(self) -> int:
        """What may still be promised; a shortfall shows as its negative.

        Never negative without a shortfall; with one, ``-bypassed`` (then ``allocated`` is
        ``on_hand + bypassed``, and nothing can be promised until receipts pay it off). The
        same rule as ``store/stock_figures.py``.
        """
        free = self.on_hand + self.bypassed - self.allocated - self.reserved - self.safety_stock
        return max(0, free) - self.bypassed

    @property
    def promisable(self) -> int:
        """What may still be promised, never negative (a shortfall promises nothing)."""
        return max(0, self.available)


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


@dataclass(frozen=True, slots=True)
class CountChanges:
    """What setting counted on-hand quantities changed: levels moved and items raised."""

    changed: int = 0
    raised_items: frozenset[int] = frozenset()

    def __add__(self, other: "CountChanges") -> "CountChanges":
        return CountChanges(self.changed + other.changed, self.raised_items | other.raised_items)

    @classmethod
    def of(cls, movements: Iterable[Movement]) -> "CountChanges":
        """The changes the movements of one count make."""
        moved = list(movements)
        raised = frozenset(m.item_id for m in moved if m.on_hand_delta > 0)
        return cls(len(moved), raised)


def kit_availability(component_needs: dict[int, int], available: dict[int, int]) -> int:
    """Return how many kits the components allow: min over components of available // need."""
    if not component_needs:
        return 0
    return min(available.get(item, 0) // need for item, need in component_needs.items())


class BelowAllocatedError(InvalidRequestError):
    """A counted on-hand quantity is below the units already promised to orders there.

    It carries the level's ids so that the use case, which knows the rows it was given,
    can name them the way its caller wrote them (a feed's line, location code and SKU).
    """

    def __init__(self, location_id: int, item_id: int, on_hand: int, allocated: int) -> None:
        super().__init__(
            f"on_hand {on_hand} is below the {allocated} units already allocated",
            field="on_hand",
        )
        self.location_id = location_id
        self.item_id = item_id
        self.on_hand = on_hand
        self.allocated = allocated


class NotOnHandError(ConflictError):
    """Units to ship are allocated but not on hand: nothing can leave.

    A bypass release allocated them ahead of their stock, and no receipt has brought them.
    """

    def __init__(self, sku: str, location: str, quantity: int, on_hand: int) -> None:
        super().__init__(
            f"{quantity} units of {sku} to ship from {location}, but {on_hand} on hand: "
            f"{quantity - on_hand} were allocated ahead of their stock and not received yet",
            field="sku",
        )


@dataclass(frozen=True, slots=True)
class StockFigures:
    """The quantities a client is shown for one SKU, at one location or in total."""

    on_hand: int = 0
    allocated: int = 0
    reserved: int = 0
    safety_stock: int = 0
    available: int = 0

    @classmethod
    def of(cls, level: StockLevel) -> "StockFigures":
        """The figures of one stock level."""
        return cls(
            level.on_hand, level.allocated, level.reserved, level.safety_stock, level.available
        )

    def __add__(self, other: "StockFigures") -> "StockFigures":
        return StockFigures(
            self.on_hand + other.on_hand,
            self.allocated + other.allocated,
            self.reserved + other.reserved,
            self.safety_stock + other.safety_stock,
            self.available + other.available,
        )


def item_figures(levels: Iterable[StockLevel]) -> tuple[dict[int, StockFigures], StockFigures]:
    """Figures of one item per location, and their sum.

    A location with a shortfall shows a negative available; the total available adds each
    location's available counting a shortfall as zero, so one location's shortfall does not
    hide another's stock.
    """
    per_location = {level.location_id: StockFigures.of(level) for level in levels}
    total = sum(per_location.values(), StockFigures())
    shortfall = sum(min(0, figures.available) for figures in per_location.values())
    return per_location, replace(total, available=total.available - shortfall)


def kit_figures(
    needs: Mapping[int, int], levels: Iterable[StockLevel]
) -> tuple[dict[int, StockFigures], StockFigures]:
    """Figures of a kit per location and in total, derived from its components' ``levels``.

    A kit holds no stock of its own (orders explode it into its components), so it shows
    how many kits its components allow: ``on_hand`` from their on-hand, ``available`` from
    their available (a component's shortfall counting as none available: the shortfall is
    the component's, shown at its own level), and nothing allocated or reserved. The total
    is computed from the
    components' totals, not by adding the locations: an order's component lines are allocated
    independently, so one kit may draw its parts from different locations.
    """
    on_hand: dict[int, dict[int, int]] = {}
    available: dict[int, dict[int, int]] = {}
    for level in levels:
        on_hand.setdefault(level.location_id, {})[level.item_id] = level.on_hand
        available.setdefault(level.location_id, {})[level.item_id] = level.promisable
    needs = dict(needs)
    per_location = {
        location: StockFigures(
            on_hand=kit_availability(needs, on_hand[location]),
            available=kit_availability(needs, available[location]),
        )
        for location in on_hand
    }
    total = StockFigures(
        on_hand=kit_availability(needs, _summed(on_hand.values())),
        available=kit_availability(needs, _summed(available.values())),
    )
    return per_location, total


def _summed(per_location: Iterable[dict[int, int]]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for quantities in per_location:
        for item, quantity in quantities.items():
            totals[item] = totals.get(item, 0) + quantity
    return totals


def rebuild_levels(movements: list[Movement]) -> dict[tuple[int, int], tuple[int, int]]:
    """Replay movements into ``{(location, item): (on_hand, allocated)}``: the ledger's claim."""
    levels: dict[tuple[int, int], tuple[int, int]] = {}
    for move in movements:
        key = (move.location_id, move.item_id)
        on_hand, allocated = levels.get(key, (0, 0))
        levels[key] = (on_hand + move.on_hand_delta, allocated + move.allocated_delta)
    return levels
