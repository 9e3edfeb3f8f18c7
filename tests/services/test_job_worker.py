"""The worker's loop: woken by a job queued in its process, and operations that deadlock."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from orderyard.domain.jobs import Job, JobStatus
from orderyard.domain.values import PageRequest
from orderyard.services import inventory as inventory_service
from orderyard.services import jobs as jobs_service
from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.tables import jobs
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger

SetOnHand = Callable[..., Awaitable[Any]]


class Deadlocked(Exception):  # noqa: N818 - the driver's error, as PostgreSQL names it
    sqlstate = "40P01"


def deadlocking(real: SetOnHand, times: int) -> tuple[SetOnHand, list[int]]:
    """``set_on_hand`` aborted by PostgreSQL's deadlock detector its first ``times`` calls."""
    calls: list[int] = []

    async def set_on_hand(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) <= times:
            raise DBAPIError("UPDATE stock_levels ...", {}, Deadlocked("deadlock detected"))
        return await real(*args, **kwargs)

    return set_on_hand, calls


async def stocked(make: Factory, count: int) -> list[tuple[str, str, int]]:
    await make.location("WH1")
    for n in range(count):
        await make.item(f"SKU-{n}")
    return [(f"SKU-{n}", "WH1", 10 + n) for n in range(count)]


async def job_of(engines: Engines, account: NewAccount, job: Job) -> Job:
    read = ReadUnitOfWork(engines.read, account.account_id)
    found, _ = await jobs_service.get_job(read, job.id, job.submitted_at, PageRequest())
    return found


async def retries_of(make: Factory, job: Job) -> tuple[int, int]:
    async with make.uow() as uow:
        row = (
            await uow.conn.execute(
                select(jobs.c.attempts, jobs.c.retries).where(jobs.c.id == job.id)
            )
        ).one()
    return row.attempts, row.retries


class TestDeadlocks:
    async def test_an_operation_rolled_back_by_a_deadlock_is_tried_again_and_counts_no_retry(
        self,
        make: Factory,
        uow: UnitOfWork,
        engines: Engines,
        account: NewAccount,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        rows = await stocked(make, 3)
        job = await jobs_service.submit_on_hand(uow, rows, chunk_rows=2)
        patched, calls = deadlocking(inventory_service.set_on_hand, times=2)
        monkeypatch.setattr(worker_service, "set_on_hand", patched)
        monkeypatch.setattr(worker_service, "DEADLOCK_PAUSE_S", 0)

        assert await worker_service.run_pending(engines, worker="w1") == 1

        done = await job_of(engines, account, job)
        assert (done.status, done.applied_rows, done.operations_done) == (
            JobStatus.completed,
            3,
            2,
        )
        assert len(calls) == 4  # operation 1 three times, operation 2 once
        assert await retries_of(make, job) == (1, 0)
        assert [m.on_hand_delta for m in await ledger(make)] == [10, 11, 12]
        await assert_ledger_balances(make)

    async def test_an_operation_that_keeps_deadlocking_fails_the_run_and_applies_nothing(
        self,
        make: Factory,
        uow: UnitOfWork,
        engines: Engines,
        account: NewAccount,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        rows = await stocked(make, 1)
        job = await jobs_service.submit_on_hand(uow, rows)
        patched, calls = deadlocking(
            inventory_service.set_on_hand, times=worker_service.DEADLOCK_TRIES
        )
        monkeypatch.setattr(worker_service, "set_on_hand", patched)
        monkeypatch.setattr(worker_service, "DEADLOCK_PAUSE_S", 0)
        claimed = await worker_service.claim(engines, "w1", lease=worker_service.DEFAULT_LEASE)
        assert claimed is not None

        await worker_service._run_safely(
            engines, claimed, lease=worker_service.DEFAULT_LEASE, stop=None
        )

        assert len(calls) == worker_service.DEADLOCK_TRIES
        queued = await job_of(engines, account, job)
        assert (queued.status, queued.operations_done, queued.applied_rows) == (
            JobStatus.in_progress,
            0,
            0,
        )
        assert queued.error is not None
        assert "deadlock detected" in queued.error
        assert await retries_of(make, job) == (1, 1)
        assert await ledger(make) == []


class TestDoorbell:
    async def test_a_job_queued_in_the_process_wakes_its_idle_worker_before_its_poll(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 2)
        stop = asyncio.Event()
        working = asyncio.create_task(worker_service.work(engines, stop=stop, poll_seconds=60))
        await asyncio.sleep(0.2)  # it found nothing and sleeps until its next poll
        started = time.monotonic()

        job = await jobs_service.submit_on_hand(uow, rows)
        while (await job_of(engines, account, job)).status is not JobStatus.completed:
            assert time.monotonic() - started < 10, "the worker was not woken"
            await asyncio.sleep(0.02)

        stop.set()
        await asyncio.wait_for(working, timeout=5)
        assert [m.on_hand_delta for m in await ledger(make)] == [10, 11]

    async def test_a_ring_with_no_worker_listening_does_nothing(self) -> None:
        bell = jobs_service.Doorbell()
        bell.ring()
        with bell.listening() as rung:
            assert not rung.is_set()
            bell.ring()
            await asyncio.sleep(0)
            assert rung.is_set()
