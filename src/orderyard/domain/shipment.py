"""Shipments: the part of an order that one location fulfils, and how it moves along.

A shipment claims allocated units of its order at one location. Shipping it moves those units
out of stock; cancelling it gives the claim back (the units stay allocated to the order, so a
new shipment can take them). Units already claimed by an open shipment cannot be claimed twice.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.order import Allocation, Order, OrderLine


class ShipmentStatus(StrEnum):
    """Where a shipment stands. The warehouse steps may be skipped but never reversed."""

    created = "created"
    """Planned: claims allocated units at its location."""
    released = "released"
    """Handed to the location for picking."""
    picked = "picked"
    """Taken from the shelves."""
    packed = "packed"
    """Boxed and labelled."""
    shipped = "shipped"
    """Left the building: stock moved out, the order advanced."""
    delivered = "delivered"
    """The carrier confirmed delivery."""
    cancelled = "cancelled"
    """Given up before shipping; its units are free to ship in another shipment."""


FLOW: Final[tuple[ShipmentStatus, ...]] = (
    ShipmentStatus.created,
    ShipmentStatus.released,
    ShipmentStatus.picked,
    ShipmentStatus.packed,
    ShipmentStatus.shipped,
    ShipmentStatus.delivered,
)
OPEN: Final = frozenset(FLOW[:4])
"""Statuses in which a shipment still claims allocated units."""


def check_transition(current: ShipmentStatus, target: ShipmentStatus) -> None:
    """Allow only forward moves along ``FLOW``, and cancelling while still open.

    A location without a pick-and-pack workflow may skip steps (created straight to shipped),
    but nothing moves backwards, and a shipped shipment can no longer be cancelled.

    Raises:
        InvalidStateTransitionError: the move is not allowed from ``current``.
    """
    if target is ShipmentStatus.cancelled:
        allowed = current in OPEN
    elif current is ShipmentStatus.cancelled:
        allowed = False
    else:
        allowed = FLOW.index(target) > FLOW.index(current)
    if not allowed:
        raise InvalidStateTransitionError(
            f"a {current.value} shipment cannot become {target.value}", field="status"
        )


@dataclass(slots=True)
class ShipmentLine:
    """Units of one order line in a shipment."""

    order_line_id: int
    line_no: int
    item_id: int
    sku: str
    quantity: int
    id: int = 0


@dataclass(slots=True)
class Shipment:
    """A shipment as the services load and change it."""

    id: int
    order_id: int
    location_id: int
    status: ShipmentStatus
    lines: list[ShipmentLine] = field(default_factory=list)
    carrier: str = ""
    tracking_number: str = ""
    created_at: datetime | None = None
    shipped_at: datetime | None = None

    def move_to(self, target: ShipmentStatus) -> None:
        """Change the status if the transition is allowed.

        Raises:
            InvalidStateTransitionError: the move is not allowed from the current status.
        """
        check_transition(self.status, target)
        self.status = target


def plan_lines(
    order: Order,
    shippable: Mapping[int, int],
    wanted: Sequence[tuple[int, int]] | None = None,
) -> list[ShipmentLine]:
    """Choose the shipment's lines from what the location can still ship of the order.

    ``shippable`` maps order line ids to units allocated at the location and not claimed by
    another open shipment. Without ``wanted``, every such unit is taken; otherwise
    ``wanted`` lists ``(line_no, quantity)`` pairs, each within what is shippable.

    Raises:
        InvalidRequestError: an unknown or repeated line number, or a quantity that is not
            positive or exceeds what the location can ship.
        InvalidStateTransitionError: nothing would be shipped.
    """
    if wanted is None:
        lines = [_line(ln, shippable.get(ln.id, 0)) for ln in order.lines]
        lines = [line for line in lines if line.quantity > 0]
    else:
        lines = _wanted_lines(order, shippable, wanted)
    if not lines:
        raise InvalidStateTransitionError(
            "nothing of the order is allocated at this location and free to ship",
            field="location",
        )
    return lines


def _wanted_lines(
    order: Order, shippable: Mapping[int, int], wanted: Sequence[tuple[int, int]]
) -> list[ShipmentLine]:
    by_no = {line.line_no: line for line in order.lines}
    seen: set[int] = set()
    lines: list[ShipmentLine] = []
    for index, (line_no, quantity) in enumerate(wanted):
        line = by_no.get(line_no)
        if line is None or line_no in seen:
            problem = "is not a line of the order" if line is None else "is repeated"
            raise InvalidRequestError(f"line {line_no} {problem}", field=f"lines[{index}].line_no")
        seen.add(line_no)
        free = shippable.get(line.id, 0)
        if quantity <= 0 or quantity > free:
            raise InvalidRequestError(
                f"cannot ship {quantity} of {line.sku} (line {line_no}): "
                f"{free} allocated at this location and not in another shipment",
                field=f"lines[{index}].quantity",
            )
        lines.append(_line(line, quantity))
    return lines


def _line(line: OrderLine, quantity: int) -> ShipmentLine:
    return ShipmentLine(line.id, line.line_no, line.item_id, line.sku, quantity)


def apply_shipping(
    order: Order, shipment: Shipment, allocations: Sequence[Allocation]
) -> list[tuple[Allocation, int]]:
    """Move the shipment's units from allocated to shipped on the order's lines.

    Returns the allocations to reduce and by how much. Checked against the allocations as
    they are now, because the order may have been held, changed or cancelled since the
    shipment was created.

    Raises:
        InvalidStateTransitionError: a line has fewer units allocated at the shipment's
            location than the shipment carries.
    """
    held = {(a.order_line_id, a.location_id): a for a in allocations}
    lines = {line.id: line for line in order.lines}
    used: list[tuple[Allocation, int]] = []
    for ship_line in shipment.lines:
        allocation = held.get((ship_line.order_line_id, shipment.location_id))
        available = 0 if allocation is None else allocation.quantity
        if allocation is None or ship_line.quantity > available:
            raise InvalidStateTransitionError(
                f"cannot ship {ship_line.quantity} of {ship_line.sku} (line "
                f"{ship_line.line_no}): only {available} allocated at the location",
                field="lines",
            )
        line = lines[ship_line.order_line_id]
        line.allocated -= ship_line.quantity
        line.shipped += ship_line.quantity
        used.append((allocation, ship_line.quantity))
    return used
