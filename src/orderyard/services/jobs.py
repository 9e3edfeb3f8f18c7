"""Bulk jobs: submit one, and answer where it stands.

A job is submitted in one short transaction (its rows as one JSON array) and answered at
once; workers (``services/worker.py``) run it later, one operation of ``chunk_rows`` rows at a
time. What a job did is read back per operation: its counts and the rows that failed and why.
"""

import asyncio
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime

from orderyard.domain.errors import NotFoundError
from orderyard.domain.jobs import Job, JobKind, JobOperation, JobStatus, RowFailure
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

OnHandLine = tuple[str, str, int]
"""One row of an on-hand job: ``(sku, location code, counted on-hand)``."""
UploadedLine = tuple[str, str, int | str]
"""A row of an uploaded file, queued as read: a quantity that is not a whole number stays
its text, and the job refuses that row alone (``domain.jobs.on_hand_row_fault``)."""
FAILURES_SHOWN = 500
"""The most failed rows a job's report lists (its counts always cover them all)."""

CHUNK_ROWS = 10_000
"""Rows per operation: each is one transaction of ``inventory.set_on_hand`` (on PostgreSQL,
one pass of its set-based statements, ``stock.SET_TOGETHER_CHUNK`` rows) holding its levels'
locks for about half a second; 10 operations per 100,000 rows. Each operation costs about
40 ms beyond its rows (its commit, lookups, allocation pass and bookkeeping): at 5,000 rows
the 100,000-row job took 6.4 s in-process against 6.0 s at 10,000 and 5.6 s for the same
rows in one ``set_on_hand`` (bench/README.md, "BulkOnhand")."""


class Doorbell:
    """Wakes this process's idle workers when a job is queued here, instead of at their poll.

    A server process that takes a ``BulkOnhand`` request usually runs its job too (its
    ``BackgroundWorker``): ringing saves the wait for the next poll, half of
    ``ORDERYARD_JOB_POLL_SECONDS`` on average (0.5 s of a 100,000-row job's 5-7 s in
    bench/README.md). Workers of other processes still find the job at their next poll.
    Each listener keeps its event loop, so a ring from another loop or thread is safe.
    """

    def __init__(self) -> None:
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def ring(self) -> None:
        """Wake every listening worker of this process."""
        for loop, event in list(self._listeners):
            with suppress(RuntimeError):  # its loop closed without leaving
                loop.call_soon_threadsafe(event.set)

    @contextmanager
    def listening(self) -> Iterator[asyncio.Event]:
        """An event that the next ring sets, for as long as the block runs."""
        listener = (asyncio.get_running_loop(), asyncio.Event())
        self._listeners.add(listener)
        try:
            yield listener[1]
        finally:
            self._listeners.discard(listener)


QUEUED = Doorbell()
"""Rung by every job submitted in this process, after its commit."""


@dataclass(frozen=True, slots=True)
class OperationDetails:
    """One finished operation of a job and the rows of it that were not applied."""

    job: Job
    operation: JobOperation
    failures: list[RowFailure]


async def submit_on_hand(
    uow: UnitOfWork, rows: Sequence[OnHandLine | UploadedLine], *, chunk_rows: int = CHUNK_ROWS
) -> Job:
    """Queue a job that sets counted on-hand quantities, as ``inventory.set_on_hand`` does.

    The rows are checked by the job, row by row: a malformed row, an unknown SKU or location
    fails that row only, and is reported with the job.
    """
    payload = json.dumps(list(rows), separators=(",", ":"), ensure_ascii=False)
    async with uow:
        job = await uow.jobs.add(
            JobKind.on_hand, payload, total_rows=len(rows), chunk_rows=chunk_rows, now=utcnow()
        )
        await uow.events.record("job_submitted", "job", job.id, {"rows": len(rows)})
        await uow.commit()
    QUEUED.ring()
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


async def list_jobs(
    uow: ReadUnitOfWork, page: PageRequest, *, status: JobStatus | None = None
) -> Page[Job]:
    """A page of the account's jobs, newest first (of one status when given)."""
    async with uow.tolerating_lag() as uow:
        return await uow.jobs.page(page, status=status)


@dataclass(frozen=True, slots=True)
class JobReport:
    """A job as it stands and its first failed rows (``FAILURES_SHOWN`` at most)."""

    job: Job
    failures: list[RowFailure]

    @property
    def more_failures(self) -> int:
        """How many failed rows the report leaves out."""
        return self.job.failed_rows - len(self.failures)


async def job_report(
    uow: ReadUnitOfWork, job_id: int, *, failures: int = FAILURES_SHOWN
) -> JobReport:
    """A job of the account by id alone (the console's key to it) and its failed rows.

    Two statements: the job, and its first failures in row order.

    Raises:
        NotFoundError: no such job in the account.
    """
    async with uow:
        job = await uow.jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"job {job_id} not found", field="job")
        found = await uow.jobs.job_failures(job_id, limit=failures) if job.failed_rows else []
    return JobReport(job, found)
