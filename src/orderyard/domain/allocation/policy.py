"""The pure allocation policy: given demand and candidate stock, plan the takes.

The plan is only a proposal made without locks. The store executes each take as one atomic
conditional UPDATE, and a take that loses a race is re-planned against fresh stock (DESIGN.md:
"Allocation never takes more than is available").

Each strategy ranks one line's candidate locations; the plan then walks the ranking:

- ``by_priority``, ``nearest`` and ``most_stock`` take what the first location has, then the
  next, until the line is covered (they split a line across locations rather than leave a
  part waiting that stock elsewhere could ship);
- ``single_location`` takes the whole line from the first location that can ship all of it,
  or nothing (the line waits as a backorder rather than split). Different lines of one order
  may still come from different locations, each whole.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, NamedTuple

from orderyard.domain.allocation.geo import Point, great_circle_metres
from orderyard.domain.inventory import Movement, MovementReason, StockLevel


class AllocationStrategy(StrEnum):
    """How an account chooses between locations."""

    by_priority = "by_priority"
    """Lowest priority number first, splitting across locations when needed."""
    single_location = "single_location"
    """Only a location that can fill the whole line; otherwise the line waits."""
    nearest = "nearest"
    """The location nearest the shipping address first, splitting like by priority."""
    most_stock = "most_stock"
    """The location with the most available first."""


DESCRIPTIONS: Final[dict[AllocationStrategy, str]] = {
    AllocationStrategy.by_priority: (
        "Locations in priority order (lowest number first, then oldest); a line the first"
        " cannot fill takes the rest from the next."
    ),
    AllocationStrategy.single_location: (
        "Each line from one location that can ship all of it, the first in priority order;"
        " a line no location can fill waits as a backorder rather than split."
    ),
    AllocationStrategy.nearest: (
        "Locations nearest the shipping address first (great-circle distance), splitting"
        " like priority; locations without coordinates come last, and an address without"
        " coordinates is allocated by priority."
    ),
    AllocationStrategy.most_stock: (
        "The location with the most available first (ties by priority); a line it cannot"
        " fill takes the rest from the next fullest."
    ),
}
"""What each strategy does, in the words the APIs and the CLI show."""


class Demand(NamedTuple):
    """Units of one item wanted by one order line, and where they ship to."""

    item_id: int
    quantity: int
    destination: Point = None
    """The shipping address's coordinates (the nearest strategy ranks by them)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A location that could ship an item, as seen when planning."""

    stock: StockLevel
    priority: int
    position: Point = None
    """The location's coordinates, when known."""

    @property
    def location_id(self) -> int:
        """The candidate location."""
        return self.stock.location_id


@dataclass(frozen=True, slots=True)
class Take:
    """Take ``quantity`` of ``item_id`` at ``location_id`` for demand number ``demand_index``."""

    demand_index: int
    location_id: int
    item_id: int
    quantity: int

    def movement(self, order_id: int) -> Movement:
        """The ledger entry of this take, made for the order ``order_id``."""
        return Movement(
            self.location_id,
            self.item_id,
            MovementReason.allocated,
            allocated_delta=self.quantity,
            order_id=order_id,
        )


def _by_priority(candidate: Candidate) -> tuple[int, int]:
    return (candidate.priority, candidate.location_id)


def _ranked(
    candidates: Sequence[Candidate], strategy: AllocationStrategy, destination: Point
) -> list[Candidate]:
    if strategy is AllocationStrategy.most_stock:
        return sorted(candidates, key=lambda c: (-c.stock.available, c.priority, c.location_id))
    if strategy is AllocationStrategy.nearest:
        return nearest_first(candidates, destination)
    return sorted(candidates, key=_by_priority)


def nearest_first(candidates: Sequence[Candidate], destination: Point) -> list[Candidate]:
    """The candidates nearest ``destination`` first, compared in whole metres.

    Equal distances go by priority, then location id. Locations without coordinates come
    after every located one, by priority; without a ``destination`` it is priority order.
    """
    if destination is None:
        return sorted(candidates, key=_by_priority)
    located: list[tuple[tuple[int, int, int], Candidate]] = []
    unlocated: list[Candidate] = []
    for c in candidates:
        if c.position is None:
            unlocated.append(c)
        else:
            metres = great_circle_metres(c.position, destination)
            located.append(((metres, c.priority, c.location_id), c))
    located.sort(key=lambda ranked: ranked[0])
    return [c for _, c in located] + sorted(unlocated, key=_by_priority)


def plan_line(
    demand_index: int,
    quantity: int,
    candidates: Sequence[Candidate],
    strategy: AllocationStrategy,
    *,
    destination: Point = None,
) -> list[Take]:
    """Plan the takes for one demand of ``quantity`` against ``candidates`` of one item.

    Never plans more than a candidate shows available, and never more than ``quantity``.
    """
    ranked = [c for c in _ranked(candidates, strategy, destination) if c.stock.available > 0]
    if strategy is AllocationStrategy.single_location:
        whole = next((c for c in ranked if c.stock.available >= quantity), None)
        if whole is None:
            return []
        return [Take(demand_index, whole.location_id, whole.stock.item_id, quantity)]
    takes: list[Take] = []
    remaining = quantity
    for candidate in ranked:
        if remaining == 0:
            break
        quantity_here = min(remaining, candidate.stock.available)
        takes.append(
            Take(demand_index, candidate.location_id, candidate.stock.item_id, quantity_here)
        )
        remaining -= quantity_here
    return takes


def plan(
    demands: Sequence[Demand],
    candidates: dict[int, list[Candidate]],
    strategy: AllocationStrategy,
) -> list[Take]:
    """Plan all demands in order, sharing the same stock.

    Earlier demands are served first; the stock they take is not offered to later ones.
    """
    remaining: dict[tuple[int, int], int] = {}
    takes: list[Take] = []
    for index, (item_id, quantity, destination) in enumerate(demands):
        seen = [
            Candidate(_with_available(c.stock, remaining), c.priority, c.position)
            for c in candidates.get(item_id, [])
        ]
        line_takes = plan_line(index, quantity, seen, strategy, destination=destination)
        for take in line_takes:
            key = (take.location_id, take.item_id)
            left = remaining.get(key, _available(candidates, key))
            remaining[key] = left - take.quantity
        takes.extend(line_takes)
    return takes


def _available(candidates: dict[int, list[Candidate]], key: tuple[int, int]) -> int:
    location_id, item_id = key
    return next(c.stock.available for c in candidates[item_id] if c.location_id == location_id)


def _with_available(stock: StockLevel, remaining: dict[tuple[int, int], int]) -> StockLevel:
    left = remaining.get((stock.location_id, stock.item_id))
    if left is None:
        return stock
    return StockLevel(
        stock.location_id, stock.item_id, on_hand=left, allocated=0, reserved=0, safety_stock=0
    )


def reach(demands: Sequence[Demand], strategy: AllocationStrategy) -> int | None:
    """How many units deep into each item's ranked locations a plan of ``demands`` can go.

    By priority, a plan stops at the location where the item's demand is covered, so the
    most units any one item asks for bounds the candidates worth reading. So does nearest
    when no demand has a destination (it is priority order then). Other strategies may pick
    any location (None: every candidate).
    """
    by_priority = strategy is AllocationStrategy.by_priority or (
        strategy is AllocationStrategy.nearest and all(d.destination is None for d in demands)
    )
    if not by_priority:
        return None
    per_item: dict[int, int] = {}
    for demand in demands:
        per_item[demand.item_id] = per_item.get(demand.item_id, 0) + demand.quantity
    return max(per_item.values(), default=0)
