"""Support tickets: their statuses and the moves between them, and the events of their changes.

A ticket belongs to an account, optionally to one of its customers and to one of its orders.
Four tracked fields change over its life: ``status``, ``priority``, ``queue`` (a queue's
name) and ``assignee`` (a staff member's id). Every change of one of them is a
``TicketChange`` (who, when, before, after); creating a ticket records one change per field
it was created with (from nothing), so that replaying a ticket's changes in order rebuilds
the tracked fields exactly (``replay``).

Statuses: a ticket is created ``open``; ``pending`` waits on the customer; ``resolved`` is
answered and may be reopened; ``closed`` is final (nothing of a closed ticket changes).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from orderyard.domain.errors import ConflictError

SUBJECT_MAX: Final = 200
DESCRIPTION_MAX: Final = 4000
QUEUE_MAX: Final = 100


class TicketStatus(StrEnum):
    """Where a ticket stands."""

    OPEN = "open"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    """How urgent a ticket is."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


MOVES: Final[Mapping[TicketStatus, frozenset[TicketStatus]]] = {
    TicketStatus.OPEN: frozenset(
        {TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED}
    ),
    TicketStatus.PENDING: frozenset(
        {TicketStatus.OPEN, TicketStatus.RESOLVED, TicketStatus.CLOSED}
    ),
    TicketStatus.RESOLVED: frozenset({TicketStatus.OPEN, TicketStatus.CLOSED}),
    TicketStatus.CLOSED: frozenset(),
}
"""The statuses each status may move to (staying put is no move, and always allowed)."""

TRACKED: Final = ("status", "priority", "queue", "assignee")
"""The fields whose every change is a ticket event, in the order a change lists them."""

TrackedState = dict[str, str | None]
"""The tracked fields of a ticket, as their events spell them (``assignee``: the id)."""


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket as read, with the names of what it refers to."""

    id: int
    subject: str
    description: str
    status: TicketStatus
    priority: Priority
    queue: str | None
    assignee_id: int | None
    customer_id: int | None
    customer_external_id: str | None
    order_id: int | None
    order_number: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def tracked(self) -> TrackedState:
        """The tracked fields as their events spell them."""
        return tracked_state(self.status, self.priority, self.queue, self.assignee_id)


def tracked_state(
    status: TicketStatus, priority: Priority, queue: str | None, assignee_id: int | None
) -> TrackedState:
    """The tracked fields of a ticket in their events' spelling."""
    return {
        "status": status.value,
        "priority": priority.value,
        "queue": queue,
        "assignee": None if assignee_id is None else str(assignee_id),
    }


@dataclass(frozen=True, slots=True)
class TicketChange:
    """One tracked field of one ticket changed: from ``before`` to ``after``, by ``actor``."""

    id: int
    ticket_id: int
    field: str
    before: str | None
    after: str | None
    actor: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Queue:
    """A queue tickets are filed in; it exists from the first ticket that names it."""

    id: int
    name: str
    created_at: datetime


def check_move(before: TicketStatus, after: TicketStatus) -> None:
    """Allow a status move ``MOVES`` lists, or staying put.

    Raises:
        ConflictError: a move the ticket's status does not allow.
    """
    if before is not after and after not in MOVES[before]:
        raise ConflictError(f"a {before.value} ticket cannot become {after.value}", field="status")


def check_open_to_change(status: TicketStatus) -> None:
    """Refuse every change to a closed ticket.

    Raises:
        ConflictError: the ticket is closed.
    """
    if status is TicketStatus.CLOSED:
        raise ConflictError("a closed ticket cannot change", field="status")


def differences(
    before: TrackedState, after: TrackedState
) -> list[tuple[str, str | None, str | None]]:
    """``(field, before, after)`` of each tracked field that differs, in ``TRACKED`` order."""
    return [(name, before[name], after[name]) for name in TRACKED if before[name] != after[name]]


def created_changes(state: TrackedState) -> list[tuple[str, str | None, str | None]]:
    """The changes a new ticket records: each field it has, from nothing."""
    return differences(dict.fromkeys(TRACKED), state)


def replay(changes: Iterable[TicketChange]) -> TrackedState:
    """The tracked fields a ticket's changes, oldest first, leave it with.

    Raises:
        ValueError: a change whose ``before`` is not what the changes before it left: the
            events are not one ticket's whole history.
    """
    state: TrackedState = dict.fromkeys(TRACKED)
    for change in changes:
        if state[change.field] != change.before:
            raise ValueError(
                f"event {change.id} changes {change.field} from {change.before!r},"
                f" but it was {state[change.field]!r}"
            )
        state[change.field] = change.after
    return state
