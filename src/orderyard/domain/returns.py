"""Returns (RMAs): units of shipped order lines coming back, counted good or damaged.

A return reserves what it announces: creating it adds its quantities to the order lines'
``returned`` at once, so two returns together can never exceed what shipped. Cancelling the
return gives the reservation back; committing it keeps only what was actually counted.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.order import Order, OrderLine


class ReturnStatus(StrEnum):
    """Where a return stands."""

    requested = "requested"
    """Announced (the RMA): its quantities are reserved against the order's shipped units."""
    received = "received"
    """Counted at a location, good and damaged units apart; not yet in stock."""
    committed = "committed"
    """Closed: the good units are back in stock at the receiving location."""
    cancelled = "cancelled"
    """Given up before anything was received; the reservation is released."""


class ReturnOutcome(StrEnum):
    """How the count compared with what the return announced."""

    as_expected = "as_expected"
    """Every announced unit arrived, in good condition."""
    discrepancy = "discrepancy"
    """Every announced unit arrived, but some were damaged."""
    incomplete = "incomplete"
    """Fewer units arrived than announced."""


TRANSITIONS: Final[dict[ReturnStatus, frozenset[ReturnStatus]]] = {
    ReturnStatus.requested: frozenset({ReturnStatus.received, ReturnStatus.cancelled}),
    ReturnStatus.received: frozenset({ReturnStatus.committed}),
    ReturnStatus.committed: frozenset(),
    ReturnStatus.cancelled: frozenset(),
}


@dataclass(slots=True)
class ReturnLine:
    """Units of one order line coming back, with the reason and, once received, the count."""

    order_line_id: int
    item_id: int
    sku: str
    quantity: int
    reason: str = ""
    good: int = 0
    damaged: int = 0
    id: int = 0

    @property
    def counted(self) -> int:
        """Units that arrived, whatever their condition."""
        return self.good + self.damaged


@dataclass(slots=True)
class Return:
    """A return as the services load and change it."""

    id: int
    order_id: int
    status: ReturnStatus
    lines: list[ReturnLine] = field(default_factory=list)
    outcome: ReturnOutcome | None = None
    location_id: int | None = None
    created_at: datetime | None = None

    def move_to(self, target: ReturnStatus) -> None:
        """Change the status if the transition is allowed.

        Raises:
            InvalidStateTransitionError: the move is not allowed from the current status.
        """
        if target not in TRANSITIONS[self.status]:
            raise InvalidStateTransitionError(
                f"a {self.status.value} return cannot become {target.value}", field="status"
            )
        self.status = target


@dataclass(frozen=True, slots=True)
class ReturnItem:
    """An announced SKU and quantity, with the customer's reason."""

    sku: str
    quantity: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ReturnCount:
    """What arrived of one SKU: good (resellable) and damaged ("hurt") units."""

    sku: str
    good: int = 0
    damaged: int = 0


def reserve_lines(order: Order, items: Sequence[ReturnItem]) -> list[ReturnLine]:
    """Turn announced items into return lines, reserving them on the order's lines.

    An SKU on several lines (ordered twice) is spread over them in line order. Kits were
    exploded into components when ordered, so their components are what comes back.

    Raises:
        InvalidRequestError: the SKU is not on the order (or is a kit on it), or the quantity
            is not positive or exceeds the units shipped and not yet returned.
    """
    lines: list[ReturnLine] = []
    for index, item in enumerate(items):
        matches = _lines_of(order, item.sku, index)
        _check_quantity(matches, item, index)
        left = item.quantity
        for line in matches:
            take = min(left, line.returnable)
            if take > 0:
                line.returned += take
                lines.append(ReturnLine(line.id, line.item_id, line.sku, take, item.reason))
                left -= take
    return lines


def _lines_of(order: Order, sku: str, index: int) -> list[OrderLine]:
    matches = [
        line
        for line in order.lines
        if line.sku == sku or (line.requested_sku == sku and not line.kit_sku)
    ]
    if matches:
        return matches
    if any(sku in (line.kit_sku, line.requested_sku) for line in order.lines):
        raise InvalidRequestError(
            f"{sku!r} was sold as a kit on this order; return the SKUs of its components",
            field=f"lines[{index}].sku",
        )
    raise InvalidRequestError(
        f"SKU {sku!r} is not on order {order.header.order_number}", field=f"lines[{index}].sku"
    )


def _check_quantity(lines: Sequence[OrderLine], item: ReturnItem, index: int) -> None:
    where = f"lines[{index}].quantity"
    if item.quantity <= 0:
        raise InvalidRequestError("quantity must be a positive integer", field=where)
    returnable = sum(line.returnable for line in lines)
    if item.quantity > returnable:
        shipped = sum(line.shipped for line in lines)
        returned = sum(line.returned for line in lines)
        raise InvalidRequestError(
            f"cannot return {item.quantity} of {item.sku}: {returnable} returnable "
            f"({shipped} shipped, {returned} already returned or announced)",
            field=where,
        )


def record_counts(ret: Return, counts: Sequence[ReturnCount]) -> ReturnOutcome:
    """Store what arrived per SKU on the return's lines and decide the outcome.

    Good units fill the SKU's lines first, in order, then damaged ones. SKUs not counted
    arrived with nothing.

    Raises:
        InvalidRequestError: an SKU not on the return or counted twice, a negative count, or
            more units than the return announced.
    """
    seen: set[str] = set()
    for index, count in enumerate(counts):
        lines = [line for line in ret.lines if line.sku == count.sku]
        if not lines or count.sku in seen:
            problem = "is not on the return" if not lines else "is counted twice"
            raise InvalidRequestError(f"SKU {count.sku!r} {problem}", field=f"counts[{index}].sku")
        seen.add(count.sku)
        _spread(lines, count, index)
    ret.outcome = outcome_of(ret.lines)
    return ret.outcome


def _spread(lines: Sequence[ReturnLine], count: ReturnCount, index: int) -> None:
    if count.good < 0 or count.damaged < 0:
        raise InvalidRequestError("counts must not be negative", field=f"counts[{index}]")
    announced = sum(line.quantity for line in lines)
    if count.good + count.damaged > announced:
        raise InvalidRequestError(
            f"counted {count.good + count.damaged} of {count.sku}, "
            f"but the return announced {announced}",
            field=f"counts[{index}]",
        )
    good, damaged = count.good, count.damaged
    for line in lines:
        line.good = min(good, line.quantity)
        line.damaged = min(damaged, line.quantity - line.good)
        good -= line.good
        damaged -= line.damaged


def outcome_of(lines: Sequence[ReturnLine]) -> ReturnOutcome:
    """Incomplete when units are missing; else a discrepancy when any is damaged."""
    if any(line.counted < line.quantity for line in lines):
        return ReturnOutcome.incomplete
    if any(line.damaged for line in lines):
        return ReturnOutcome.discrepancy
    return ReturnOutcome.as_expected


def replace_lines(order: Order, ret: Return, items: Sequence[ReturnItem]) -> None:
    """Announce new items for an open return: its old reservation is given back first.

    Only a requested return changes: once counted, its lines are facts of the warehouse.

    Raises:
        InvalidStateTransitionError: the return was received, committed or cancelled.
        InvalidRequestError: as ``reserve_lines``.
    """
    if ret.status is not ReturnStatus.requested:
        raise InvalidStateTransitionError(
            f"a {ret.status.value} return cannot be changed", field="status"
        )
    release_reservation(order, ret, keep_counted=False)
    ret.lines = reserve_lines(order, items)


def announced_as_good(ret: Return) -> list[ReturnCount]:
    """The count of a return whose every announced unit arrived resellable."""
    good: dict[str, int] = {}
    for line in ret.lines:
        good[line.sku] = good.get(line.sku, 0) + line.quantity
    return [ReturnCount(sku, good=quantity) for sku, quantity in good.items()]


def recount(ret: Return, counts: Sequence[ReturnCount]) -> ReturnOutcome:
    """Replace a return's count by a new one (SKUs not counted arrived with nothing)."""
    for line in ret.lines:
        line.good = line.damaged = 0
    return record_counts(ret, counts)


def release_reservation(order: Order, ret: Return, *, keep_counted: bool) -> None:
    """Give back reserved units on the order: all of them, or those that never arrived.

    Cancelling a return keeps nothing; committing keeps what was counted (good or damaged:
    a damaged unit came back too, it just cannot be resold).
    """
    by_id = {line.id: line for line in order.lines}
    for ret_line in ret.lines:
        kept = ret_line.counted if keep_counted else 0
        by_id[ret_line.order_line_id].returned -= ret_line.quantity - kept
