"""The event log, read by initiator and by record (OrderDynamics' ``FlexibleEvents``).

A filter by record goes along ``(account_id, record_id)`` (or with its type,
``(account_id, record_type, record_id)``); by one initiator, along ``(account_id, actor, id)``;
by the kind of initiator, a prefix of the actor. Pages are oldest first, by id.
"""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, not_, or_, select

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
        found = [_logged(row) for row in rows]
        total, exact = await bounded_count(self.conn, filtered, page)
        return Page(found, total, page, count_is_exact=exact)

    async def of_records(
        self, record_type: str, record_ids: Sequence[int], *, limit: int
    ) -> list[LoggedEvent]:
        """The latest ``limit`` events on some records of one type, oldest first.

        One range of ``(account_id, record_type, record_id)`` per record, in one statement
        (an order's timeline: the order, or its shipments).
        """
        if not record_ids:
            return []
        rows = await self.conn.execute(
            select(events)
            .where(
                events.c.account_id == self.account_id,
                events.c.record_type == record_type,
                events.c.record_id.in_(sorted(set(record_ids))),
            )
            .order_by(events.c.id.desc())
            .limit(limit)
        )
        return [_logged(row) for row in reversed(rows.all())]


def _logged(row: Row[Any]) -> LoggedEvent:
    return LoggedEvent(
        id=row.id,
        kind=row.kind,
        record_type=row.record_type,
        record_id=row.record_id,
        actor=row.actor,
        data=json.loads(row.data),
        created_at=row.created_at,
    )
