"""The event log as it is read: who initiated each change, of which kind, on which record.

An event's ``actor`` says who made the change: ``api:<account>`` (a request made with the
account's API key, in either dialect), ``staff:<id>`` (a request made with a staff member's
token), and anything else is the system's own doing (``cli``, ``job:<id>`` for a bulk job's
worker, ``system``).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Initiator(StrEnum):
    """Who initiated a change, in three kinds."""

    KEY = "key"
    STAFF = "staff"
    SYSTEM = "system"


ACTOR_PREFIXES = {Initiator.KEY: "api:", Initiator.STAFF: "staff:"}
"""The prefix of the actors of each kind; SYSTEM is every actor with neither."""


def staff_actor(staff_id: int) -> str:
    """The actor recorded for a change made with a staff member's token."""
    return f"{ACTOR_PREFIXES[Initiator.STAFF]}{staff_id}"


def key_actor(account_id: int) -> str:
    """The actor recorded for a change made with the account's API key."""
    return f"{ACTOR_PREFIXES[Initiator.KEY]}{account_id}"


def initiator_of(actor: str) -> tuple[Initiator, int | None]:
    """The kind of an actor, and the id it names (the account's or the staff member's)."""
    for kind, prefix in ACTOR_PREFIXES.items():
        if actor.startswith(prefix):
            tail = actor.removeprefix(prefix)
            return kind, int(tail) if tail.isdigit() else None
    return Initiator.SYSTEM, None


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to list; every part is optional."""

    initiator: Initiator | None = None
    actor: str | None = None
    """One initiator exactly (``staff:7``)."""
    record_id: int | None = None
    record_type: str | None = None


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One entry of the event log."""

    id: int
    kind: str
    record_type: str
    record_id: int
    actor: str
    data: dict[str, Any]
    created_at: datetime

    @property
    def initiator(self) -> tuple[Initiator, int | None]:
        """Who made the change (``initiator_of`` the actor)."""
        return initiator_of(self.actor)
