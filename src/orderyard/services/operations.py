"""What operators ask a running server: is its database ready, how long are its queues."""

from dataclasses import dataclass
from datetime import datetime

from orderyard.kit.clock import utcnow
from orderyard.store.queries.operations import Queue
from orderyard.store.uow import SystemUnitOfWork


@dataclass(frozen=True, slots=True)
class QueueFigures:
    """Depth and age (seconds, 0 when empty) of the job and webhook queues, read now."""

    jobs_queued: int
    jobs_oldest_seconds: float
    deliveries_pending: int
    deliveries_oldest_seconds: float


def _age(queue: Queue, now: datetime) -> float:
    return 0.0 if queue.oldest is None else max(0.0, (now - queue.oldest).total_seconds())


async def queue_figures(uow: SystemUnitOfWork) -> QueueFigures:
    """The queues as they stand: two indexed aggregates, one transaction."""
    async with uow:
        jobs = await uow.operations.jobs_queued()
        deliveries = await uow.operations.deliveries_pending()
    now = utcnow()
    return QueueFigures(jobs.depth, _age(jobs, now), deliveries.depth, _age(deliveries, now))


async def schema_revision(uow: SystemUnitOfWork) -> str | None:
    """The database's migration revision (reaching it proves it answers).

    Raises:
        Exception: whatever the driver raises when the database cannot be reached.
    """
    async with uow:
        return await uow.operations.schema_revision()
