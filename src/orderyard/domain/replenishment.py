"""Replenishments: inbound stock for one location, expected by an ETA, received over time.

Receiving is cumulative: each line records how many units have arrived so far, a figure that
only grows. Every increase raises on-hand at the location by the difference. A line may
receive more than was expected (over-deliveries happen, and stock must show what is there).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError


class ReplenishmentStatus(StrEnum):
    """Where a replenishment stands: derived from its lines, except ``cancelled``."""

    pending = "pending"
    """Nothing has arrived yet."""
    receiving = "receiving"
    """Some units arrived; some lines still expect more."""
    received = "received"
    """Every line received at least its expected quantity."""
    cancelled = "cancelled"
    """Closed by the client; what already arrived stays in stock, nothing more is received."""


@dataclass(slots=True)
class ReplenishmentLine:
    """One SKU expected, and how many units of it arrived so far."""

    item_id: int
    sku: str
    quantity: int
    received: int = 0
    id: int = 0

    def receive_up_to(self, received: int, *, where: str) -> int:
        """Set the cumulative received count; return the increase (0 when unchanged).

        Raises:
            InvalidRequestError: the count is negative or lower than already received.
        """
        if received < 0:
            raise InvalidRequestError("received must not be negative", field=where)
        if received < self.received:
            raise InvalidRequestError(
                f"received cannot go down: {self.received} of {self.sku} already received",
                field=where,
            )
        increase = received - self.received
        self.received = received
        return increase


@dataclass(slots=True)
class Replenishment:
    """A replenishment as the services load and change it."""

    id: int
    location_id: int
    status: ReplenishmentStatus
    eta: date | None = None
    reference: str = ""
    lines: list[ReplenishmentLine] = field(default_factory=list)
    created_at: datetime | None = None

    def check_open(self) -> None:
        """Refuse changes to a cancelled replenishment.

        Raises:
            InvalidStateTransitionError: the replenishment is cancelled.
        """
        if self.status is ReplenishmentStatus.cancelled:
            raise InvalidStateTransitionError(
                "a cancelled replenishment cannot be changed", field="status"
            )

    def move_to(self, location_id: int) -> None:
        """Send the replenishment to another location, if nothing has arrived yet.

        Raises:
            InvalidStateTransitionError: units already arrived at the current location.
        """
        if location_id != self.location_id and any(line.received for line in self.lines):
            raise InvalidStateTransitionError(
                "the location cannot change once units were received",
                field="location",
            )
        self.location_id = location_id

    def cancel(self) -> None:
        """Close the replenishment; what arrived stays, nothing more will.

        Raises:
            InvalidStateTransitionError: it is already cancelled or fully received.
        """
        if self.status in (ReplenishmentStatus.cancelled, ReplenishmentStatus.received):
            raise InvalidStateTransitionError(
                f"a {self.status.value} replenishment cannot be cancelled", field="status"
            )
        self.status = ReplenishmentStatus.cancelled

    def refresh_status(self) -> ReplenishmentStatus:
        """Re-derive the status from the lines (a cancelled one stays cancelled)."""
        if self.status is not ReplenishmentStatus.cancelled:
            self.status = derive_status(self.lines)
        return self.status


def derive_status(lines: list[ReplenishmentLine]) -> ReplenishmentStatus:
    """Pending until something arrives; received once every line has its quantity."""
    if all(line.received >= line.quantity for line in lines):
        return ReplenishmentStatus.received
    if any(line.received for line in lines):
        return ReplenishmentStatus.receiving
    return ReplenishmentStatus.pending


@dataclass(frozen=True, slots=True)
class ReplenishmentItem:
    """A requested change to one SKU's line: expected quantity and/or cumulative received.

    ``None`` leaves the value as it is; a new SKU needs a quantity.
    """

    sku: str
    quantity: int | None = None
    received: int | None = None


def apply_items(
    replenishment: Replenishment,
    items: Sequence[ReplenishmentItem],
    item_ids: Mapping[str, int],
) -> dict[int, int]:
    """Add or change lines; return the increase of received units per item id.

    Raises:
        InvalidRequestError: an unknown or repeated SKU, a new SKU without a positive
            quantity, or a received count that is negative or lower than before.
    """
    increases: dict[int, int] = {}
    seen: set[int] = set()
    for index, wanted in enumerate(items):
        where = f"lines[{index}]"
        item_id = item_ids.get(wanted.sku)
        if item_id is None or item_id in seen:
            problem = f"unknown SKU {wanted.sku!r}" if item_id is None else "SKU is repeated"
            raise InvalidRequestError(problem, field=f"{where}.sku")
        seen.add(item_id)
        line = _line_for(replenishment, item_id, wanted, where)
        if wanted.received is not None:
            increase = line.receive_up_to(wanted.received, where=f"{where}.received")
            if increase:
                increases[item_id] = increase
    return increases


def _line_for(
    replenishment: Replenishment, item_id: int, wanted: ReplenishmentItem, where: str
) -> ReplenishmentLine:
    if wanted.quantity is not None and wanted.quantity <= 0:
        raise InvalidRequestError("quantity must be a positive integer", field=f"{where}.quantity")
    line = next((ln for ln in replenishment.lines if ln.item_id == item_id), None)
    if line is None:
        if wanted.quantity is None:
            raise InvalidRequestError(
                f"quantity is required for SKU {wanted.sku!r}, new on this replenishment",
                field=f"{where}.quantity",
            )
        line = ReplenishmentLine(item_id, wanted.sku, wanted.quantity)
        replenishment.lines.append(line)
    elif wanted.quantity is not None:
        line.quantity = wanted.quantity
    return line
