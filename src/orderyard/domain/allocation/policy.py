"""The pure allocation policy: given demand and candidate stock, plan the takes.

The plan is only a proposal made without locks. The store executes each take as one atomic
conditional UPDATE, and a take that loses a race is re-planned against fresh stock (DESIGN.md:
"Allocation never takes more than is available").
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from orderyard.domain.inventory import Movement, MovementReason, StockLevel


class AllocationStrategy(StrEnum):
    """How an account chooses between locations."""

    by_priority = "by_priority"
    """Lowest priority number first, splitting across locations when needed."""
    single_location = "single_location"
    """Only a location that can fill the whole line; otherwise the line waits."""
    most_stock = "most_stock"
    """The location with the most available first."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A location that could ship an item, as seen when planning."""

    stock: StockLevel
    priority: int

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


def _ranked(candidates: Sequence[Candidate], strategy: AllocationStrategy) -> list[Candidate]:
    if strategy is AllocationStrategy.most_stock:
        return sorted(candidates, key=lambda c: (-c.stock.available, c.priority, c.location_id))
    return sorted(candidates, key=lambda c: (c.priority, c.location_id))


def plan_line(
    demand_index: int,
    quantity: int,
    candidates: Sequence[Candidate],
    strategy: AllocationStrategy,
) -> list[Take]:
    """Plan the takes for one demand of ``quantity`` against ``candidates`` of one item.

    Never plans more than a candidate shows available, and never more than ``quantity``.
    """
    ranked = [c for c in _ranked(candidates, strategy) if c.stock.available > 0]
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
    demands: Sequence[tuple[int, int]],
    candidates: dict[int, list[Candidate]],
    strategy: AllocationStrategy,
) -> list[Take]:
    """Plan all demands ``[(item_id, quantity), ...]`` in order, sharing the same stock.

    Earlier demands are served first; the stock they take is not offered to later ones.
    """
    remaining: dict[tuple[int, int], int] = {}
    takes: list[Take] = []
    for index, (item_id, quantity) in enumerate(demands):
        seen = [
            Candidate(_with_available(c.stock, remaining), c.priority)
            for c in candidates.get(item_id, [])
        ]
        line_takes = plan_line(index, quantity, seen, strategy)
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


def reach(demands: Sequence[tuple[int, int]], strategy: AllocationStrategy) -> int | None:
    """How many units deep into each item's ranked locations a plan of ``demands`` can go.

    By priority, a plan stops at the location where the item's demand is covered, so the
    most units any one item asks for bounds the candidates worth reading. Other strategies
    may pick any location (None: every candidate).
    """
    if strategy is not AllocationStrategy.by_priority:
        return None
    per_item: dict[int, int] = {}
    for item, quantity in demands:
        per_item[item] = per_item.get(item, 0) + quantity
    return max(per_item.values(), default=0)
