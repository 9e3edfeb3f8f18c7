"""Bulk jobs: an account's jobs (``JobRepository``) and the queue workers claim from (``JobQueue``).

The queue is a table. A worker claims the oldest runnable job (queued, or in progress with an
expired lease) with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two processes never claim one
job; on SQLite the write transaction holds the database lock (``BEGIN IMMEDIATE``) and the
clause renders as nothing. Each operation commits with ``record_operation``, which is fenced by
the claim's attempt number and the operation's number: a worker that lost its lease, or an
operation already committed, writes nothing and its whole transaction rolls back.
"""

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.jobs import (
    MAX_ATTEMPTS,
    ClaimedJob,
    Job,
    JobKind,
    JobOperation,
    JobStatus,
    LeaseLostError,
    RowFailure,
    outcome,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import events, job_failures, job_operations, job_payloads, jobs

RUNNABLE = (JobStatus.queued.value, JobStatus.in_progress.value)
JOB_COLUMNS = [
    c for c in jobs.c if c.name not in ("claimed_by", "lease_until", "attempts", "retries")
]


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        kind=JobKind(row.kind),
        status=JobStatus(row.status),
        submitted_at=row.submitted_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        total_rows=row.total_rows,
        chunk_rows=row.chunk_rows,
        operations_done=row.operations_done,
        applied_rows=row.applied_rows,
        failed_rows=row.failed_rows,
        error=row.error,
    )


def _operation(row: Any) -> JobOperation:
    return JobOperation(
        operation_id=row.operation_id,
        first_row=row.first_row,
        row_count=row.row_count,
        applied=row.applied,
        failed=row.failed,
        finished_at=row.finished_at,
    )


class JobRepository(TenantRepository):
    """One account's jobs: submit, read, and commit an operation of a claimed job."""

    async def add(
        self, kind: JobKind, rows: str, *, total_rows: int, chunk_rows: int, now: datetime
    ) -> Job:
        """Queue a job with its rows (a JSON array)."""
        job_id = (
            await self.conn.execute(
                insert(jobs)
                .values(
                    account_id=self.account_id,
                    kind=kind.value,
                    status=JobStatus.queued.value,
                    submitted_at=now,
                    total_rows=total_rows,
                    chunk_rows=chunk_rows,
                )
                .returning(jobs.c.id)
            )
        ).scalar_one()
        await self.conn.execute(
            insert(job_payloads).values(job_id=job_id, account_id=self.account_id, rows=rows)
        )
        found = await self.get(job_id)
        assert found is not None  # noqa: S101 - inserted just above
        return found

    async def get(self, job_id: int) -> Job | None:
        """The account's job, or None (another account's too)."""
        row = (
            await self.conn.execute(
                select(*JOB_COLUMNS).where(
                    jobs.c.account_id == self.account_id, jobs.c.id == job_id
                )
            )
        ).first()
        return None if row is None else _job(row)

    async def page(self, page: PageRequest, *, status: JobStatus | None = None) -> Page[Job]:
        """The account's jobs, newest first; of one status when given.

        Along ``(account_id, id)``: an account's jobs are its bulk uploads, a few a day, so a
        status is a filter of that range rather than an index of its own.
        """
        where = jobs.c.account_id == self.account_id
        if status is not None:
            where = and_(where, jobs.c.status == status.value)
        rows = await self.conn.execute(
            select(*JOB_COLUMNS)
            .where(where)
            .order_by(jobs.c.id.desc())
            .limit(page.per_page)
            .offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, select(jobs.c.id).where(where), page)
        return Page([_job(row) for row in rows], total, page, count_is_exact=exact)

    async def operations(
        self, job_id: int, page: PageRequest, *, status: JobStatus | None = None
    ) -> Page[JobOperation]:
        """A page of a job's finished operations, in order; of one status when given."""
        where = [job_operations.c.account_id == self.account_id, job_operations.c.job_id == job_id]
        if status is not None:
            where.append(_operation_status_is(status))
        rows = await self.conn.execute(
            select(job_operations)
            .where(*where)
            .order_by(job_operations.c.operation_id)
            .limit(page.per_page)
            .offset(page.offset)
        )
        counted = select(job_operations.c.operation_id).where(*where)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page([_operation(row) for row in rows], total, page, count_is_exact=exact)

    async def operation(self, job_id: int, operation_id: int) -> JobOperation | None:
        """One finished operation of the account's job."""
        row = (
            await self.conn.execute(
                select(job_operations).where(
                    job_operations.c.account_id == self.account_id,
                    job_operations.c.job_id == job_id,
                    job_operations.c.operation_id == operation_id,
                )
            )
        ).first()
        return None if row is None else _operation(row)

    async def failures(self, job_id: int, operation_id: int) -> list[RowFailure]:
        """The rows of one operation that were not applied, in row order."""
        rows = await self.conn.execute(
            select(job_failures.c.row_number, job_failures.c.field, job_failures.c.message)
            .where(
                job_failures.c.account_id == self.account_id,
                job_failures.c.job_id == job_id,
                job_failures.c.operation_id == operation_id,
            )
            .order_by(job_failures.c.row_number, job_failures.c.id)
        )
        return [RowFailure(row.row_number, row.field, row.message) for row in rows]

    async def job_failures(self, job_id: int, *, limit: int) -> list[RowFailure]:
        """The first ``limit`` rows of a job that were not applied, in row order.

        Operations cover consecutive rows, so the index's order (operation, then row) is the
        rows' order.
        """
        rows = await self.conn.execute(
            select(job_failures.c.row_number, job_failures.c.field, job_failures.c.message)
            .where(job_failures.c.account_id == self.account_id, job_failures.c.job_id == job_id)
            .order_by(job_failures.c.operation_id, job_failures.c.row_number, job_failures.c.id)
            .limit(limit)
        )
        return [RowFailure(row.row_number, row.field, row.message) for row in rows]

    async def record_operation(
        self,
        claimed: ClaimedJob,
        operation: JobOperation,
        failures: Sequence[RowFailure],
        *,
        lease_until: datetime,
    ) -> None:
        """Record a finished operation in the transaction that applied it; renew the lease.

        Raises:
            LeaseLostError: the claim is no longer this worker's, or the operation is not the
                job's next one: the caller's transaction must roll back.
        """
        moved = await self.conn.execute(
            update(jobs)
            .where(
                jobs.c.id == claimed.id,
                jobs.c.account_id == self.account_id,
                jobs.c.attempts == claimed.attempt,
                jobs.c.operations_done == operation.operation_id - 1,
                jobs.c.status == JobStatus.in_progress.value,
            )
            .values(
                operations_done=operation.operation_id,
                applied_rows=jobs.c.applied_rows + operation.applied,
                failed_rows=jobs.c.failed_rows + operation.failed,
                lease_until=lease_until,
            )
        )
        if moved.rowcount != 1:
            raise LeaseLostError(f"job {claimed.id}: operation {operation.operation_id} not ours")
        await self.conn.execute(
            insert(job_operations).values(
                account_id=self.account_id,
                job_id=claimed.id,
                operation_id=operation.operation_id,
                first_row=operation.first_row,
                row_count=operation.row_count,
                applied=operation.applied,
                failed=operation.failed,
                finished_at=operation.finished_at,
            )
        )
        if failures:
            await self.conn.execute(
                insert(job_failures),
                [
                    {
                        "account_id": self.account_id,
                        "job_id": claimed.id,
                        "operation_id": operation.operation_id,
                        "row_number": failure.row,
                        "field": failure.field[:64],
                        "message": failure.message[:500],
                    }
                    for failure in failures
                ],
            )


def _operation_status_is(status: JobStatus) -> Any:
    applied, failed = job_operations.c.applied, job_operations.c.failed
    if status is JobStatus.completed:
        return failed == 0
    if status is JobStatus.completed_with_errors:
        return and_(failed > 0, applied > 0)
    if status is JobStatus.failed:
        return and_(failed > 0, applied == 0)
    return False  # queued or in progress: an operation is listed once it has finished


class JobQueue:
    """The queue across accounts: claim, read a claimed job's rows, finish or give it up."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def claim(self, worker: str, *, now: datetime, lease: timedelta) -> ClaimedJob | None:
        """Lease the oldest runnable job to ``worker``, or None when there is none.

        A job whose previous worker neither finished nor released it (its lease expired)
        counts a retry; one that reaches ``MAX_ATTEMPTS`` retries fails instead of running.
        """
        while True:
            runnable = (
                select(jobs.c.id, jobs.c.retries, jobs.c.claimed_by)
                .where(
                    jobs.c.status.in_(RUNNABLE),
                    or_(jobs.c.lease_until.is_(None), jobs.c.lease_until < now),
                )
                .order_by(jobs.c.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            found = (await self.conn.execute(runnable)).first()
            if found is None:
                return None
            retries = found.retries + (found.claimed_by is not None)
            if retries < MAX_ATTEMPTS:
                return await self._lease(found.id, worker, retries, now=now, lease=lease)
            await self.conn.execute(
                update(jobs)
                .where(jobs.c.id == found.id)
                .values(
                    status=JobStatus.failed.value,
                    finished_at=now,
                    retries=retries,
                    claimed_by=None,
                    lease_until=None,
                    error=func.coalesce(jobs.c.error, f"abandoned {retries} times"),
                )
            )

    async def _lease(
        self, job_id: int, worker: str, retries: int, *, now: datetime, lease: timedelta
    ) -> ClaimedJob:
        row = (
            await self.conn.execute(
                update(jobs)
                .where(jobs.c.id == job_id)
                .values(
                    status=JobStatus.in_progress.value,
                    claimed_by=worker,
                    lease_until=now + lease,
                    attempts=jobs.c.attempts + 1,
                    retries=retries,
                    started_at=func.coalesce(
                        jobs.c.started_at, literal(now, jobs.c.started_at.type)
                    ),
                )
                .returning(
                    jobs.c.id,
                    jobs.c.account_id,
                    jobs.c.kind,
                    jobs.c.attempts,
                    jobs.c.chunk_rows,
                    jobs.c.total_rows,
                    jobs.c.operations_done,
                )
            )
        ).one()
        return ClaimedJob(
            id=row.id,
            account_id=row.account_id,
            kind=JobKind(row.kind),
            attempt=row.attempts,
            chunk_rows=row.chunk_rows,
            total_rows=row.total_rows,
            operations_done=row.operations_done,
        )

    async def rows(self, job_id: int) -> str:
        """A job's rows, as submitted (a JSON array)."""
        return str(
            (
                await self.conn.execute(
                    select(job_payloads.c.rows).where(job_payloads.c.job_id == job_id)
                )
            ).scalar_one()
        )

    async def finish(self, claimed: ClaimedJob, *, now: datetime) -> JobStatus | None:
        """Close a job whose operations are all committed; None if the claim was lost."""
        counts = (
            await self.conn.execute(
                select(jobs.c.applied_rows, jobs.c.failed_rows).where(
                    jobs.c.id == claimed.id, jobs.c.attempts == claimed.attempt
                )
            )
        ).first()
        if counts is None:
            return None
        status = outcome(counts.applied_rows, counts.failed_rows)
        done = await self.conn.execute(self._closing(claimed, status, now, error=None))
        if done.rowcount != 1:
            return None
        await self.conn.execute(
            insert(events).values(
                account_id=claimed.account_id,
                actor=f"job:{claimed.id}",
                kind="job_finished",
                record_type="job",
                record_id=claimed.id,
                data=json.dumps({"status": status.value}),
                created_at=now,
            )
        )
        return status

    async def give_up(self, claimed: ClaimedJob, error: str, *, now: datetime) -> None:
        """After an unexpected error: count a retry and leave the job to the next claim."""
        await self.conn.execute(
            update(jobs)
            .where(jobs.c.id == claimed.id, jobs.c.attempts == claimed.attempt)
            .values(
                lease_until=now, claimed_by=None, retries=jobs.c.retries + 1, error=error[:2000]
            )
        )

    async def release(self, claimed: ClaimedJob, *, now: datetime) -> None:
        """End this worker's lease now, so that another claims the job at once."""
        await self.conn.execute(
            update(jobs)
            .where(jobs.c.id == claimed.id, jobs.c.attempts == claimed.attempt)
            .values(lease_until=now, claimed_by=None)
        )

    @staticmethod
    def _closing(
        claimed: ClaimedJob, status: JobStatus, now: datetime, *, error: str | None
    ) -> Any:
        return (
            update(jobs)
            .where(
                jobs.c.id == claimed.id,
                jobs.c.attempts == claimed.attempt,
                jobs.c.status == JobStatus.in_progress.value,
            )
            .values(
                status=status.value,
                finished_at=now,
                claimed_by=None,
                lease_until=None,
                error=None if error is None else error[:2000],
            )
        )
