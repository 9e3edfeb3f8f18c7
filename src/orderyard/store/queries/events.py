"""The event log, read by initiator and by record (OrderDynamics' ``FlexibleEvents``).

A filter by record goes along ``(account_id, record_id)`` (or with its type,
``(account_id, record_type, record_id)``); by one initiator, along ``(account_id, actor, id)``;
by the kind of initiator, a prefix of the actor. Pages are oldest first, by id.
"""

import json
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, not_, or_, select

from orderyard.domain.event_log import ACTOR_PREFIXES, EventFilter, Initiator, LoggedEvent
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.scope import TenantScoped
from orderyard.store.tables import events


def _by_initiator(kind: Initiator) -> ColumnElement[bool]:
    if kind is Initiator.SYSTEM:
        return and_(*(not_(events.c.actor.startswith(p)) for p in ACTOR_PREFIXES.values()))
    return or_(events.c.actor.startswith(ACTOR_PREFIXES[kind]))


class EventQueries(TenantScoped):
    """Pages of the account's event log."""

    def _filtered(self, where: EventFilter) -> Select[Any]:
        conditions: list[ColumnElement[bool]] = [events.c.account_id == self.account_id]
        if where.record_id is not None:
            conditions.append(events.c.record_id == where.record_id)
        if where.record_type is not None:
            conditions.append(events.c.record_type == where.record_type)
        if where.actor is not None:
            conditions.append(events.c.actor == where.actor)
        if where.initiator is not None:
            conditions.append(_by_initiator(where.initiator))
        return select(events).where(*conditions)

    async def page(self, where: EventFilter, page: PageRequest) -> Page[LoggedEvent]:
        """One page of the events ``where`` selects, oldest first."""
        filtered = self._filtered(where)
        rows = await self.conn.execute(
            filtered.order_by(events.c.id).limit(page.per_page).offset(page.offset)
        )
        found = [
            LoggedEvent(
                id=row.id,
                kind=row.kind,
                record_type=row.record_type,
                record_id=row.record_id,
                actor=row.actor,
                data=json.loads(row.data),
                created_at=row.created_at,
            )
            for row in rows
        ]
        total, exact = await bounded_count(self.conn, filtered, page)
        return Page(found, total, page, count_is_exact=exact)
