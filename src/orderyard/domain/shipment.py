"""Shipments: the part of an order that one location fulfils, and how it moves along.

A shipment claims allocated units of its order at one location. Shipping it moves those units
out of stock; cancelling it gives the claim back (the units stay allocated to the order, so a
new shipment can take them); rejecting it gives the units back to stock and lets the account's
strategy find them elsewhere. Units already claimed by an open shipment cannot be claimed twice.
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
    rejected = "rejected"
    """The location cannot fulfil it: its units were released there and sourced elsewhere."""


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


CLOSING: Final = frozenset({ShipmentStatus.cancelled, ShipmentStatus.rejected})
"""Ways out of ``OPEN`` that give the units up instead of shipping them."""


def check_transition(current: ShipmentStatus, target: ShipmentStatus) -> None:
    """Allow forward moves along ``FLOW``, and cancelling or rejecting while still open.

    A location without a pick-and-pack workflow may skip warehouse steps (created straight
    to shipped), but nothing moves backwards, only a shipped shipment is delivered, and a
    shipped, cancelled or rejected one can no longer be cancelled or rejected.

    Raises:
        InvalidStateTransitionError: the move is not allowed from ``current``; the message
            names both statuses.
    """
    if target in CLOSING:
        allowed = current in OPEN
    elif current in CLOSING:
        allowed = False
    elif target is ShipmentStatus.delivered:
        allowed = current is ShipmentStatus.shipped
    else:
        allowed = FLOW.index(target) > FLOW.index(current)
    if not allowed:
        raise InvalidStateTransitionError(
            f"cannot move a shipment from {current.value!r} to {target.value!r}", field="status"
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
    delivered_at: datetime | None = None

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


@dataclass(frozen=True, slots=True)
class TrackingNumber:
    """One parcel of a shipment as the carrier knows it."""

    number: str
    carrier: str = ""
    url: str = ""


def shippable_by_location(
    allocations: Sequence[Allocation], claimed: Mapping[tuple[int, int], int]
) -> dict[int, dict[int, int]]:
    """``{location_id: {order_line_id: units}}`` allocated there and claimed by no open shipment.

    ``claimed`` maps ``(order_line_id, location_id)`` to the units open shipments hold.
    """
    free: dict[int, dict[int, int]] = {}
    for allocation in allocations:
        key = (allocation.order_line_id, allocation.location_id)
        units = allocation.quantity - claimed.get(key, 0)
        if units > 0:
            free.setdefault(allocation.location_id, {})[allocation.order_line_id] = units
    return free


def plan_every_location(order: Order, shippable: Mapping[int, Mapping[int, int]]) -> list[Shipment]:
    """One created shipment per location for every unit it can ship of the order.

    Locations come in id order, lines in line order. Empty when nothing is free to ship.
    """
    return [
        Shipment(0, order.id, location_id, ShipmentStatus.created, plan_lines(order, free))
        for location_id, free in sorted(shippable.items())
        if any(units > 0 for units in free.values())
    ]


def split_lines(
    shipment: Shipment,
    *,
    order_line_ids: Sequence[int] = (),
    skus: Sequence[str] = (),
) -> list[ShipmentLine]:
    """The lines of ``shipment`` that a split moves out: those of the named lines or SKUs.

    Raises:
        InvalidRequestError: nothing is named, or a named line or SKU is not in the shipment.
        InvalidStateTransitionError: the shipment is no longer open, or the split would
            take every line (nothing would stay behind).
    """
    if shipment.status not in OPEN:
        raise InvalidStateTransitionError(
            f"a {shipment.status.value!r} shipment cannot be split", field="status"
        )
    if not order_line_ids and not skus:
        raise InvalidRequestError(
            "name the order lines or SKUs to split off", field="order_line_ids"
        )
    ids = {line.order_line_id for line in shipment.lines}
    held = {line.sku for line in shipment.lines}
    for index, line_id in enumerate(order_line_ids):
        if line_id not in ids:
            raise InvalidRequestError(
                f"order line {line_id} is not in shipment {shipment.id}",
                field=f"order_line_ids[{index}]",
            )
    for index, sku in enumerate(skus):
        if sku not in held:
            raise InvalidRequestError(
                f"SKU {sku!r} is not in shipment {shipment.id}", field=f"skus[{index}]"
            )
    moving = [
        line
        for line in shipment.lines
        if line.order_line_id in set(order_line_ids) or line.sku in set(skus)
    ]
    if len(moving) == len(shipment.lines):
        raise InvalidStateTransitionError(
            f"splitting off every line would leave shipment {shipment.id} empty",
            field="order_line_ids" if order_line_ids else "skus",
        )
    return moving
