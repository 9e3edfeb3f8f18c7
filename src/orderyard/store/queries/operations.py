"""What the operators' endpoints read: queue depths and ages, the schema's revision.

Both queue queries go along the queues' own ``(status, ...)`` indexes, so a scrape reads the
waiting rows only, never the finished ones.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.jobs import JobStatus
from orderyard.domain.webhooks import DeliveryStatus
from orderyard.store.tables import jobs, webhook_deliveries

ALEMBIC_VERSION = table("alembic_version", column("version_num", String))

_JOBS_QUEUED = select(func.count(), func.min(jobs.c.submitted_at)).where(
    jobs.c.status == JobStatus.queued.value
)
_DELIVERIES_PENDING = select(func.count(), func.min(webhook_deliveries.c.created_at)).where(
    webhook_deliveries.c.status == DeliveryStatus.pending.value
)
_REVISION = select(ALEMBIC_VERSION.c.version_num)


@dataclass(frozen=True, slots=True)
class Queue:
    """How many rows wait in a queue, and since when the oldest has."""

    depth: int
    oldest: datetime | None


class OperationsQueries:
    """Reads across every account, for ``/metrics`` and ``/readyz`` only."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def jobs_queued(self) -> Queue:
        """Bulk jobs waiting for a worker."""
        return await self._queue(_JOBS_QUEUED)

    async def deliveries_pending(self) -> Queue:
        """Webhook deliveries not yet delivered nor given up."""
        return await self._queue(_DELIVERIES_PENDING)

    async def _queue(self, statement: Select[int, Any]) -> Queue:
        row = (await self.conn.execute(statement)).one()
        return Queue(int(row[0]), row[1])

    async def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None: never migrated)."""
        return (await self.conn.execute(_REVISION)).scalar_one_or_none()
