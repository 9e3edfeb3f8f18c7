"""Bulk jobs: submit one, and answer where it stands.

A job is submitted in one short transaction (its rows as one JSON array) and answered at
once; workers (``services/worker.py``) run it later, one operation of ``chunk_rows`` rows at a
time. What a job did is read back per operation: its counts and the rows that failed and why.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from orderyard.domain.errors import NotFoundError
from orderyard.domain.jobs import Job, JobKind, JobOperation, JobStatus, RowFailure
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

OnHandLine = tuple[str, str, int]
"""One row of an on-hand job: ``(sku, location code, counted on-hand)``."""

CHUNK_ROWS = 5_000
"""Rows per operation: each is one transaction of ``inventory.set_on_hand`` (a few set-based
statements on PostgreSQL) and a few seconds of locks at most; 20 operations per 100,000 rows."""


@dataclass(frozen=True, slots=True)
class OperationDetails:
    """One finished operation of a job and the rows of it that were not applied."""

    job: Job
    operation: JobOperation
    failures: list[RowFailure]


async def submit_on_hand(
    uow: UnitOfWork, rows: Sequence[OnHandLine], *, chunk_rows: int = CHUNK_ROWS
) -> Job:
    """Queue a job that sets counted on-hand quantities, as ``inventory.set_on_hand`` does.

    The rows are checked by the job, row by row: an unknown SKU or location fails that row
    only, and is reported with the job.
    """
    payload = json.dumps(list(rows), separators=(",", ":"), ensure_ascii=False)
    async with uow:
        job = await uow.jobs.add(
            JobKind.on_hand, payload, total_rows=len(rows), chunk_rows=chunk_rows, now=utcnow()
        )
        await uow.events.record("job_submitted", "job", job.id, {"rows": len(rows)})
        await uow.commit()
    return job


def _submitted_on(job: Job | None, job_id: int, submitted: datetime) -> Job:
    """The job, if it was submitted on ``submitted``'s UTC day (the vendor's key to it)."""
    if job is None or job.submitted_at.date() != submitted.date():
        raise NotFoundError(f"job {job_id} not found", field="JobId")
    return job


async def get_job(
    uow: ReadUnitOfWork,
    job_id: int,
    submitted: datetime,
    page: PageRequest,
    *,
    status: JobStatus | None = None,
) -> tuple[Job, Page[JobOperation]]:
    """A job and a page of its finished operations (of ``status`` when given).

    Raises:
        NotFoundError: no such job in the account submitted that day.
    """
    async with uow:
        job = _submitted_on(await uow.jobs.get(job_id), job_id, submitted)
        return job, await uow.jobs.operations(job_id, page, status=status)


async def get_operation(
    uow: ReadUnitOfWork, job_id: int, operation_id: int, submitted: datetime
) -> OperationDetails:
    """One finished operation of a job and its failed rows.

    Raises:
        NotFoundError: no such job in the account submitted that day, or the operation has
            not finished (or does not exist).
    """
    async with uow:
        job = _submitted_on(await uow.jobs.get(job_id), job_id, submitted)
        operation = await uow.jobs.operation(job_id, operation_id)
        if operation is None:
            raise NotFoundError(
                f"job {job_id} has no finished operation {operation_id}", field="OperationId"
            )
        return OperationDetails(job, operation, await uow.jobs.failures(job_id, operation_id))


async def list_jobs(uow: ReadUnitOfWork, page: PageRequest) -> Page[Job]:
    """A page of the account's jobs, newest first."""
    async with uow:
        return await uow.jobs.page(page)
