"""Bulk jobs: submit, claim, run in operations, resume after a dead worker, report failures."""

from datetime import timedelta

import pytest

from orderyard.domain.errors import NotFoundError
from orderyard.domain.jobs import Job, JobStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services import account as account_service
from orderyard.services import jobs as jobs_service
from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level

LEASE = timedelta(seconds=60)


async def stocked(make: Factory, count: int) -> list[tuple[str, str, int]]:
    await make.location("WH1")
    rows = []
    for n in range(count):
        await make.item(f"SKU-{n}")
        rows.append((f"SKU-{n}", "WH1", 10 + n))
    return rows


async def job_of(engines: Engines, account: NewAccount, job_id: int) -> Job:
    read = ReadUnitOfWork(engines.read, account.account_id)
    job, _ = await jobs_service.get_job(read, job_id, utcnow(), PageRequest(1, 50))
    return job


class TestSubmitAndRun:
    async def test_a_job_applies_every_row_in_operations_and_completes(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 5)
        job = await jobs_service.submit_on_hand(uow, rows, chunk_rows=2)
        assert job.status is JobStatus.queued

        ran = await worker_service.run_pending(engines, worker="w1")

        assert ran == 1
        done = await job_of(engines, account, job.id)
        assert (done.status, done.operations_done, done.applied_rows, done.failed_rows) == (
            JobStatus.completed,
            3,
            5,
            0,
        )
        assert await level(make, "WH1", "SKU-4") == (14, 0)
        await assert_ledger_balances(make)

    async def test_unknown_skus_locations_and_repeats_fail_alone(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 2)
        rows += [("NOPE", "WH1", 1), ("SKU-0", "NOWHERE", 1), ("SKU-0", "WH1", 99)]
        job = await jobs_service.submit_on_hand(uow, rows, chunk_rows=3)

        await worker_service.run_pending(engines, worker="w1")

        done = await job_of(engines, account, job.id)
        assert (done.status, done.applied_rows, done.failed_rows) == (
            JobStatus.completed_with_errors,
            2,
            3,
        )
        read = ReadUnitOfWork(engines.read, account.account_id)
        details = await jobs_service.get_operation(read, job.id, 2, utcnow())
        assert [(f.row, f.field, f.message) for f in details.failures] == [
            (3, "location", "unknown location 'NOWHERE'"),
            (4, "sku", "WH1/SKU-0 already set by row 0 of this job"),
        ]
        first = await jobs_service.get_operation(read, job.id, 1, utcnow())
        assert [(f.row, f.field) for f in first.failures] == [(2, "sku")]
        assert await level(make, "WH1", "SKU-0") == (10, 0)

    async def test_a_job_of_only_bad_rows_fails(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        await make.location("WH1")
        job = await jobs_service.submit_on_hand(uow, [("NOPE", "WH1", 1)])

        await worker_service.run_pending(engines, worker="w1")

        assert (await job_of(engines, account, job.id)).status is JobStatus.failed
        assert await ledger(make) == []


class TestClaims:
    async def test_a_job_is_claimed_once(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        rows = await stocked(make, 1)
        await jobs_service.submit_on_hand(uow, rows)

        first = await worker_service.claim(engines, "w1", lease=LEASE)
        second = await worker_service.claim(engines, "w2", lease=LEASE)

        assert first is not None
        assert second is None

    async def test_an_expired_lease_is_claimed_again_and_the_old_worker_writes_nothing(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 2)
        job = await jobs_service.submit_on_hand(uow, rows)
        dead = await worker_service.claim(engines, "dead", lease=timedelta(seconds=-1))
        assert dead is not None

        alive = await worker_service.claim(engines, "alive", lease=LEASE)

        assert alive is not None
        assert (alive.id, alive.attempt) == (job.id, 2)
        assert await worker_service.run_job(engines, alive) is JobStatus.completed
        await worker_service.run_pending(engines, worker="again")
        movements = await ledger(make)
        assert [m.on_hand_delta for m in movements] == [10, 11]

    async def test_a_resumed_job_applies_no_row_twice(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        """Given a worker that committed one operation and died, the next one resumes after it."""
        rows = await stocked(make, 4)
        job = await jobs_service.submit_on_hand(uow, rows, chunk_rows=2)
        dead = await worker_service.claim(engines, "dead", lease=timedelta(seconds=-1))
        assert dead is not None
        await worker_service._run_operation(
            engines, dead, 1, [list(r) for r in rows], {}, lease=timedelta(seconds=-1)
        )
        # Stock moved meanwhile: re-applying row 0 would record a second movement.
        await make.stock("WH1", "SKU-0", 3)

        ran = await worker_service.run_pending(engines, worker="alive")

        assert ran == 1
        done = await job_of(engines, account, job.id)
        assert (done.status, done.applied_rows) == (JobStatus.completed, 4)
        assert await level(make, "WH1", "SKU-0") == (3, 0)
        assert await level(make, "WH1", "SKU-3") == (13, 0)
        assert [m.on_hand_delta for m in await ledger(make)] == [10, 11, -7, 12, 13]
        await assert_ledger_balances(make)

    async def test_a_job_abandoned_too_often_fails(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 1)
        job = await jobs_service.submit_on_hand(uow, rows)
        for n in range(5):
            assert await worker_service.claim(engines, f"d{n}", lease=timedelta(seconds=-1))

        assert await worker_service.claim(engines, "late", lease=LEASE) is None

        done = await job_of(engines, account, job.id)
        assert (done.status, done.error) == (JobStatus.failed, "abandoned 5 times")
        assert await ledger(make) == []


class TestTenancy:
    async def test_another_accounts_job_is_not_found(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        rows = await stocked(make, 1)
        job = await jobs_service.submit_on_hand(uow, rows)
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        read = ReadUnitOfWork(engines.read, AccountId(other.account_id))
        page = await jobs_service.list_jobs(read, PageRequest())
        assert page.items == []
        with pytest.raises(NotFoundError) as missing:
            await jobs_service.get_job(read, job.id, utcnow(), PageRequest())
        assert missing.value.field == "JobId"
