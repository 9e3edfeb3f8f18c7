"""Pre-orders: waves, the lines sequenced against them, and how a release serves them.

A **wave** plans ``planned`` units of an item at a location, released on a date. A line of a
new order for an item with an open wave, that finds no available stock, is sequenced against
the earliest open wave (release date, then id) with room for its whole quantity: it takes the
wave's next position (first placed, first served) and ``planned`` is never passed. A line that
finds no room waits as a backorder. A **release** allocates a wave's sequenced lines in
position order while the location's stock allows, and stops at the first line that does not
fit: later lines never jump ahead. A cancelled line frees its units in the wave; positions do
not move. Units sequenced in a wave are held at its location (a reservation under
``hold_reference``), so neither new orders nor backorders take the stock they wait for.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from orderyard.domain.errors import ConflictError, InvalidRequestError

HOLD_PREFIX = "preorder-wave-"
"""Reservations whose reference starts so are a wave's hold; clients cannot set or drop them."""


def hold_reference(wave_id: int) -> str:
    """The reference of the reservation holding a wave's sequenced units at its location."""
    return f"{HOLD_PREFIX}{wave_id}"


class WaveStatus(StrEnum):
    """Whether a wave still takes new lines."""

    open = "open"
    """Takes new pre-order lines while it has room."""
    released = "released"
    """A release ran: no new lines; lines still sequenced wait for the next release."""


class FallbackMode(StrEnum):
    """What deleting a release schedule does to the lines it placed (docs: "Pre-orders")."""

    keep = "Keep"
    """Lines stay where they are sequenced; they release with their wave."""
    backorder = "Backorder"
    """Lines leave their waves (places freed) and wait as ordinary backorders."""


@dataclass(slots=True)
class Wave:
    """A wave as stored."""

    id: int
    item_id: int
    location_id: int
    planned: int
    release_at: datetime
    external_id: str = ""
    sequenced: int = 0
    released: int = 0
    next_position: int = 1
    status: WaveStatus = WaveStatus.open
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def room(self) -> int:
        """Units still free to sequence: planned minus sequenced and released."""
        return self.planned - self.sequenced - self.released


@dataclass(slots=True)
class SequencedLine:
    """An order line's place in a wave."""

    id: int
    wave_id: int
    order_id: int
    order_line_id: int
    position: int
    quantity: int
    released: int = 0
    country: str = ""
    delivery_override_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """When (and, with a location, from where) a country's pre-orders of an item release."""

    id: int
    item_id: int
    country: str
    release_at: datetime
    location_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A new order's line that may be sequenced: which line, which item, how many units."""

    index: int
    item_id: int
    quantity: int


@dataclass(slots=True)
class Placement:
    """Which wave takes each candidate: ``{candidate index: wave id}``."""

    waves: dict[int, int] = field(default_factory=dict)


def sequence(
    candidates: Sequence[Candidate],
    waves: Sequence[Wave],
    *,
    location_of: Mapping[int, int] | None = None,
) -> Placement:
    """Place each candidate in the earliest open wave of its item with room for it all.

    ``waves`` are the open waves (any order); each one chosen has its ``sequenced`` and
    ``next_position`` advanced here. ``location_of`` (item -> location) restricts an item to
    the waves at one location (a release schedule's).
    """
    by_item: dict[int, list[Wave]] = {}
    for wave in sorted(waves, key=lambda w: (w.release_at, w.id)):
        if wave.status is WaveStatus.open:
            by_item.setdefault(wave.item_id, []).append(wave)
    placed = Placement()
    for candidate in candidates:
        where = (location_of or {}).get(candidate.item_id)
        for wave in by_item.get(candidate.item_id, []):
            if where is not None and wave.location_id != where:
                continue
            if wave.room >= candidate.quantity:
                wave.sequenced += candidate.quantity
                placed.waves[candidate.index] = wave.id
                break
    return placed


def releasable(lines: Sequence[SequencedLine], free: int | None) -> list[SequencedLine]:
    """The lines a release allocates, in position order: while ``free`` units allow.

    ``free`` None: without limit (a release that bypasses the inventory requirement). The
    first line that does not fit stops the release, so no later line jumps ahead of it.
    """
    chosen: list[SequencedLine] = []
    left = free
    for line in sorted(lines, key=lambda ln: ln.position):
        if line.quantity == 0:
            continue
        if left is not None:
            if line.quantity > left:
                break
            left -= line.quantity
        chosen.append(line)
    return chosen


def check_planned(planned: int, wave: Wave | None = None) -> int:
    """Refuse a planned quantity below zero, or below what the wave already sequenced.

    Raises:
        InvalidRequestError: the quantity is negative or under sequenced plus released units.
    """
    if planned < 0:
        raise InvalidRequestError("the planned quantity must not be negative", field="planned")
    if wave is not None and planned < wave.sequenced + wave.released:
        raise InvalidRequestError(
            f"the wave already holds {wave.sequenced} sequenced and {wave.released} released "
            f"units: the planned quantity cannot be {planned}",
            field="planned",
        )
    return planned


def check_future(moment: datetime, now: datetime, *, field: str) -> datetime:
    """Refuse a date already past where a plan must lie ahead.

    Raises:
        InvalidRequestError: ``moment`` is before ``now``.
    """
    if moment < now:
        raise InvalidRequestError("the date must not be in the past", field=field)
    return moment


def check_country(country: str) -> str:
    """A country as two letters, upper case.

    Raises:
        InvalidRequestError: not two ASCII letters.
    """
    code = country.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise InvalidRequestError("the country must be a two-letter ISO code", field="country")
    return code


def check_deletable(wave: Wave) -> None:
    """Refuse to delete a wave that has released units (the history of its allocations).

    Raises:
        ConflictError: the wave has released units.
    """
    if wave.released > 0:
        raise ConflictError(
            f"wave {wave.id} has released {wave.released} units and cannot be deleted",
            field="wave",
        )
