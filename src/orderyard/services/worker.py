"""The worker: claim a job, run its remaining operations, close it; then the next one.

Each operation is one transaction of ``inventory.set_on_hand`` that also records the
operation (``JobRepository.record_operation``, fenced by the claim): the rows it applied,
the rows that failed and why, and the job's progress. A worker that dies loses at most the
operation it was in, which rolls back; when its lease expires another worker claims the job
and resumes after the last committed operation, so no row is applied twice. Rows that name
an unknown SKU or location (or repeat a pair set earlier in the job) fail alone; the names
are looked up once per run, and ``set_on_hand`` checks them again in each operation. An
operation that PostgreSQL rolls back to break a deadlock is tried again (``DEADLOCK_TRIES``).

A worker holds a connection only while it claims or runs: idle, it sleeps between polls.
"""

import asyncio
import json
import logging
import os
import random
import re
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.jobs import (
    ClaimedJob,
    JobOperation,
    JobStatus,
    LeaseLostError,
    RowFailure,
    on_hand_row_fault,
)
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.services.email_delivery import EmailSender, send_pending
from orderyard.services.idempotency import purge_expired
from orderyard.services.inventory import OnHandRow, set_on_hand
from orderyard.services.jobs import QUEUED
from orderyard.services.webhook_delivery import WebhookSender, deliver_due
from orderyard.store.contention import gave_up_on_locks
from orderyard.store.engine import Engines
from orderyard.store.repositories.jobs import JobRepository
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

log = logging.getLogger(__name__)
LINE_PREFIX = re.compile(r"^line (\d+): ")
"""How ``inventory.set_on_hand`` names the row it refuses (its ``OnHandRow.line``)."""
DEFAULT_LEASE = timedelta(seconds=60)
DEADLOCK_TRIES = 5
"""Times an operation is tried when PostgreSQL aborts it to break a deadlock, before the
error counts as a failed run of the job (``_run_safely``)."""
DEADLOCK_PAUSE_S = 0.1
"""The longest pause before the first try again (a random part of it; twice it before the
second...), so that the two operations that deadlocked do not meet again at once."""
KEYS_PURGE_SECONDS = 600.0
"""How often a worker deletes expired idempotency keys (``services.idempotency``)."""


def worker_name() -> str:
    """This process, as the jobs it claims name it."""
    return f"{socket.gethostname()}:{os.getpid()}"


class _OperationUnitOfWork(UnitOfWork):
    """A unit of work that records the job's operation in its own transaction, then commits."""

    def __init__(
        self,
        engines: Engines,
        claimed: ClaimedJob,
        record: Callable[[JobRepository], Awaitable[None]],
    ) -> None:
        super().__init__(engines.write, AccountId(claimed.account_id), actor=f"job:{claimed.id}")
        self._record = record

    async def commit(self) -> None:
        """Record the operation (or roll back if the claim was lost), then commit both."""
        await self._record(self.jobs)
        await super().commit()


async def claim(engines: Engines, worker: str, *, lease: timedelta) -> ClaimedJob | None:
    """Lease the oldest runnable job to ``worker``."""
    async with SystemUnitOfWork(engines.write) as system:
        claimed = await system.job_queue.claim(worker, now=utcnow(), lease=lease)
        await system.commit()
    return claimed


async def run_job(
    engines: Engines,
    claimed: ClaimedJob,
    *,
    lease: timedelta = DEFAULT_LEASE,
    stop: asyncio.Event | None = None,
) -> JobStatus | None:
    """Run a claimed job's remaining operations and close it.

    Returns its final status; None when the claim was lost or ``stop`` was set first (the
    job is then left for another worker, at once).
    """
    async with SystemUnitOfWork(engines.read) as system:
        rows: list[list[Any]] = json.loads(await system.job_queue.rows(claimed.id))
    unknown = await _unknown_rows(engines, claimed, rows)
    operations = -(-claimed.total_rows // claimed.chunk_rows)
    for number in range(claimed.operations_done + 1, operations + 1):
        if stop is not None and stop.is_set():
            await _release(engines, claimed)
            return None
        await _run_operation(engines, claimed, number, rows, unknown, lease=lease)
    async with SystemUnitOfWork(engines.write) as system:
        status = await system.job_queue.finish(claimed, now=utcnow())
        await system.commit()
    return status


async def _run_operation(
    engines: Engines,
    claimed: ClaimedJob,
    number: int,
    rows: Sequence[Sequence[Any]],
    unknown: dict[int, RowFailure],
    *,
    lease: timedelta,
) -> None:
    start = (number - 1) * claimed.chunk_rows
    part = rows[start : start + claimed.chunk_rows]
    failures = {row: unknown[row] for row in range(start, start + len(part)) if row in unknown}
    deadlocks = 0
    while True:
        valid = [
            OnHandRow(start + i, location, sku, count)
            for i, (sku, location, count) in enumerate(part)
            if start + i not in failures
        ]
        operation = JobOperation(number, start, len(part), len(valid), len(failures), utcnow())
        found = sorted(failures.values(), key=lambda failure: failure.row)
        uow = _OperationUnitOfWork(engines, claimed, _recorder(claimed, operation, found, lease))
        try:
            await _apply(uow, valid, claimed)
            return
        except InvalidRequestError as refused:
            failures.update(_refused(refused, valid))
        except Exception as error:
            deadlocks += 1
            if not gave_up_on_locks(error) or deadlocks >= DEADLOCK_TRIES:
                raise
            log.warning("job %s: operation %s rolled back by a deadlock, again", claimed.id, number)
            await asyncio.sleep(random.uniform(0, DEADLOCK_PAUSE_S) * deadlocks)  # noqa: S311


async def _apply(
    uow: _OperationUnitOfWork, valid: Sequence[OnHandRow], claimed: ClaimedJob
) -> None:
    """Apply an operation's valid rows; with none, commit only its record."""
    if not valid:
        async with uow:
            await uow.commit()
        return
    await set_on_hand(uow, valid, reference=f"bulk job {claimed.id}")


def _recorder(
    claimed: ClaimedJob, operation: JobOperation, failures: list[RowFailure], lease: timedelta
) -> Callable[[JobRepository], Awaitable[None]]:
    async def record(jobs: JobRepository) -> None:
        await jobs.record_operation(claimed, operation, failures, lease_until=utcnow() + lease)

    return record


def _refused(refused: InvalidRequestError, valid: Sequence[OnHandRow]) -> dict[int, RowFailure]:
    """The row ``set_on_hand`` refused; every row of the operation if it names none."""
    match = LINE_PREFIX.match(refused.message)
    field = refused.field or "on_hand"
    if match is not None and any(row.line == int(match[1]) for row in valid):
        row = int(match[1])
        return {row: RowFailure(row, field, refused.message[match.end() :])}
    return {row.line: RowFailure(row.line, field, refused.message) for row in valid}


async def _unknown_rows(
    engines: Engines, claimed: ClaimedJob, rows: Sequence[Sequence[Any]]
) -> dict[int, RowFailure]:
    """The rows that cannot be applied: malformed, naming an unknown name, or repeated.

    A malformed row is an uploaded file's (the API checks its rows before queuing them).
    Names are looked up once for the whole job when its run starts (two statements, whatever
    the number of operations). ``set_on_hand`` looks the names up again in each operation's
    transaction, which is what decides: a location deleted since fails its rows there.
    """
    failures = _malformed(rows)
    named = [r for i, r in enumerate(rows) if i not in failures] if failures else rows
    async with UnitOfWork(engines.read, AccountId(claimed.account_id)) as uow:
        locations = await uow.locations.ids_by_code({row[1] for row in named})
        items = await uow.catalog.item_ids({row[0] for row in named})
    first: dict[tuple[str, str], int] = {}
    for row, (sku, location, _) in enumerate(rows):
        if row in failures:
            continue
        if location not in locations:
            failures[row] = RowFailure(row, "location", f"unknown location {location!r}")
        elif sku not in items:
            failures[row] = RowFailure(row, "sku", f"unknown SKU {sku!r}")
        else:
            earlier = first.setdefault((location, sku), row)
            if earlier != row:
                message = f"{location}/{sku} already set by row {earlier} of this job"
                failures[row] = RowFailure(row, "sku", message)
    return failures


def _malformed(rows: Sequence[Sequence[Any]]) -> dict[int, RowFailure]:
    """The rows whose cells are not a SKU, a location code and a count."""
    failures: dict[int, RowFailure] = {}
    for row, (sku, location, count) in enumerate(rows):
        fault = on_hand_row_fault(row, sku, location, count)
        if fault is not None:
            failures[row] = fault
    return failures


async def _release(engines: Engines, claimed: ClaimedJob) -> None:
    """Leave a job to the next worker at once (this one is stopping)."""
    async with SystemUnitOfWork(engines.write) as system:
        await system.job_queue.release(claimed, now=utcnow())
        await system.commit()


async def run_pending(
    engines: Engines,
    *,
    worker: str | None = None,
    lease: timedelta = DEFAULT_LEASE,
    stop: asyncio.Event | None = None,
) -> int:
    """Claim and run jobs until none is runnable (or ``stop`` is set); how many ran."""
    name = worker or worker_name()
    ran = 0
    while stop is None or not stop.is_set():
        claimed = await claim(engines, name, lease=lease)
        if claimed is None:
            break
        ran += 1
        await _run_safely(engines, claimed, lease=lease, stop=stop)
    return ran


async def _run_safely(
    engines: Engines, claimed: ClaimedJob, *, lease: timedelta, stop: asyncio.Event | None
) -> None:
    """Run a job; an unexpected error leaves it to a retry, or fails it at its last attempt."""
    try:
        status = await run_job(engines, claimed, lease=lease, stop=stop)
        log.info("job %s: %s", claimed.id, status or "left to another worker")
    except LeaseLostError:
        log.warning("job %s: lease lost to another worker", claimed.id)
    except Exception as error:
        log.exception("job %s failed (attempt %s)", claimed.id, claimed.attempt)
        async with SystemUnitOfWork(engines.write) as system:
            reason = f"{type(error).__name__}: {error}"
            await system.job_queue.give_up(claimed, reason, now=utcnow())
            await system.commit()


async def work(
    engines: Engines,
    *,
    stop: asyncio.Event,
    poll_seconds: float = 1.0,
    lease: timedelta = DEFAULT_LEASE,
    worker: str | None = None,
    webhooks: WebhookSender | None = None,
    emails: EmailSender | None = None,
) -> None:
    """Run jobs until ``stop`` is set, polling the queue every ``poll_seconds`` when idle.

    A job submitted in this process wakes it at once (``jobs.QUEUED``). With ``webhooks``,
    each pass also sends the due webhook deliveries (``webhook_delivery.deliver_due``); with
    ``emails`` (SMTP configured), the due e-mails (``email_delivery.send_pending``).
    """
    name = worker or worker_name()
    purged_at = -KEYS_PURGE_SECONDS
    with QUEUED.listening() as queued:
        try:
            while not stop.is_set():
                queued.clear()
                try:
                    await run_pending(engines, worker=name, lease=lease, stop=stop)
                    purged_at = await purge_keys_when_due(engines, purged_at)
                    if webhooks is not None and await deliver_due(engines, webhooks) == (
                        webhooks.batch
                    ):
                        continue  # a full batch: more are due at once
                    if emails is not None and await send_pending(engines, emails) == emails.batch:
                        continue
                except Exception:  # the database is unreachable: try again after the pause
                    log.exception("worker %s: cannot reach the job queue", name)
                await _first_of(stop, queued, timeout=poll_seconds)
        finally:
            if webhooks is not None:
                await webhooks.aclose()


async def purge_keys_when_due(engines: Engines, purged_at: float) -> float:
    """Purge expired idempotency keys if the last purge (monotonic time) is old enough."""
    now = time.monotonic()
    if now - purged_at < KEYS_PURGE_SECONDS:
        return purged_at
    await purge_expired(SystemUnitOfWork(engines.write))
    return now


async def _first_of(*events: asyncio.Event, timeout: float) -> None:
    """Wait until any of ``events`` is set, or ``timeout`` seconds."""
    waiting = [asyncio.create_task(event.wait()) for event in events]
    try:
        await asyncio.wait(waiting, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiting:
            task.cancel()


class BackgroundWorker:
    """A worker task inside a server process, started and stopped by its lifespan."""

    def __init__(
        self,
        engines: Engines,
        *,
        poll_seconds: float,
        lease: timedelta,
        webhooks: WebhookSender | None = None,
        emails: EmailSender | None = None,
    ) -> None:
        self._engines = engines
        self._webhooks = webhooks
        self._emails = emails
        self._poll_seconds = poll_seconds
        self._lease = lease
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start polling the queue in the background."""
        self._task = asyncio.create_task(
            work(
                self._engines,
                stop=self._stop,
                poll_seconds=self._poll_seconds,
                lease=self._lease,
                webhooks=self._webhooks,
                emails=self._emails,
            )
        )

    async def stop(self, *, grace_seconds: float = 30.0) -> None:
        """Stop after the current operation (its job is left to the next worker at once)."""
        self._stop.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, timeout=grace_seconds)
        except TimeoutError:
            log.warning("worker did not stop within %s s: cancelled", grace_seconds)
