"""The event log, read: every state change, who made it, on which record, when.

Every write of both dialects and the command line records its events in its own transaction
(``store/repositories/event.py``); this reads them back by initiator and by record.
"""

from orderyard.domain.event_log import EventFilter, LoggedEvent
from orderyard.domain.values import Page, PageRequest
from orderyard.store.uow import ReadUnitOfWork


async def list_events(
    read: ReadUnitOfWork, where: EventFilter, page: PageRequest
) -> Page[LoggedEvent]:
    """One page of the events ``where`` selects, oldest first."""
    async with read:
        return await read.events.page(where, page)
