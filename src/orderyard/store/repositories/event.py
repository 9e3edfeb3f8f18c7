"""The event log: every state change, who made it, on which record."""

import json
from collections.abc import Mapping

from sqlalchemy import insert, select

from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import events

INSERT_EVENT = insert(events)
"""Built once: every write records events."""


class EventRepository(TenantRepository):
    """Appends to and reads the account's event log."""

    actor: str = "system"

    async def record(
        self, kind: str, record_type: str, record_id: int, data: Mapping[str, object] | None = None
    ) -> None:
        """Append one event in the current transaction."""
        await self.conn.execute(
            INSERT_EVENT,
            {
                "account_id": self.account_id,
                "actor": self.actor,
                "kind": kind,
                "record_type": record_type,
                "record_id": record_id,
                "data": json.dumps(data or {}, default=str),
                "created_at": utcnow(),
            },
        )

    async def of(self, record_type: str, record_id: int) -> list[tuple[str, str]]:
        """``(actor, kind)`` of every event on one record, oldest first."""
        rows = await self.conn.execute(
            select(events.c.actor, events.c.kind)
            .where(
                events.c.account_id == self.account_id,
                events.c.record_type == record_type,
                events.c.record_id == record_id,
            )
            .order_by(events.c.id)
        )
        return list(rows)
