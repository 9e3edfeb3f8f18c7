"""The event log, read: every state change, who made it, on which record, when.

Every write of both dialects and the command line records its events in its own transaction
(``store/repositories/event.py``); this reads them back by initiator and by record.
"""

from dataclasses import dataclass

from orderyard.domain.event_log import EventFilter, Initiator, LoggedEvent
from orderyard.domain.values import Page, PageRequest
from orderyard.store.uow import ReadUnitOfWork

TIMELINE_LIMIT = 200
"""The latest events a timeline shows (a record changed more often shows its latest)."""


@dataclass(frozen=True, slots=True)
class Timeline:
    """Events of some records, oldest first, with the e-mail of each staff member among them."""

    events: list[LoggedEvent]
    staff_emails: dict[int, str]

    def who(self, event: LoggedEvent) -> str:
        """Who made the change, in words: a staff member's e-mail, the API key, the system."""
        kind, named = event.initiator
        if kind is Initiator.STAFF and named is not None:
            return self.staff_emails.get(named, f"staff member {named}")
        if kind is Initiator.KEY:
            return "the API key"
        return event.actor


async def list_events(
    read: ReadUnitOfWork, where: EventFilter, page: PageRequest
) -> Page[LoggedEvent]:
    """One page of the events ``where`` selects, oldest first."""
    async with read.tolerating_lag() as read:
        return await read.events.page(where, page)
