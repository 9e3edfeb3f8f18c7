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


class TestUploadedRows:
    async def test_malformed_rows_of_a_file_fail_alone_and_the_others_are_applied(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows: list[jobs_service.UploadedLine] = list(await stocked(make, 2))
        rows += [("SKU-0", "WH1", "ten"), ("", "WH1", 1), ("SKU-1", "", 1), ("S" * 101, "WH1", 1)]
        rows += [("SKU-1", "WH1", 2**31)]
        job = await jobs_service.submit_on_hand(uow, rows, chunk_rows=3)

        await worker_service.run_pending(engines, worker="w1")

        report = await jobs_service.job_report(
            ReadUnitOfWork(engines.read, account.account_id), job.id
        )
        assert (report.job.status, report.job.applied_rows, report.job.failed_rows) == (
            JobStatus.completed_with_errors,
            2,
            5,
        )
        assert [(f.row, f.field, f.message) for f in report.failures] == [
            (2, "quantity", "the quantity must be a whole number from 0 to 2147483647, not 'ten'"),
            (3, "sku", "the SKU must be 1 to 100 characters"),
            (4, "location", "the location must be 1 to 64 characters"),
            (5, "sku", "the SKU must be 1 to 100 characters"),
            (
                6,
                "quantity",
                "the quantity must be a whole number from 0 to 2147483647, not 2147483648",
            ),
        ]
        assert report.more_failures == 0
        assert await level(make, "WH1", "SKU-0") == (10, 0)
        assert await level(make, "WH1", "SKU-1") == (11, 0)
        await assert_ledger_balances(make)


class TestReport:
    async def test_a_report_lists_the_first_failures_of_every_operation_in_row_order(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 1)
        rows += [(f"NOPE-{n}", "WH1", 1) for n in range(5)]
        job = await jobs_service.submit_on_hand(uow, rows, chunk_rows=2)
        await worker_service.run_pending(engines, worker="w1")
        read = ReadUnitOfWork(engines.read, account.account_id)

        report = await jobs_service.job_report(read, job.id, failures=3)

        assert report.job.failed_rows == 5
        assert [(f.row, f.message) for f in report.failures] == [
            (1, "unknown SKU 'NOPE-0'"),
            (2, "unknown SKU 'NOPE-1'"),
            (3, "unknown SKU 'NOPE-2'"),
        ]
        assert report.more_failures == 2

    async def test_a_queued_job_reports_no_failure_and_no_progress(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        job = await jobs_service.submit_on_hand(uow, await stocked(make, 2))

        report = await jobs_service.job_report(
            ReadUnitOfWork(engines.read, account.account_id), job.id
        )

        assert (report.job.status, report.job.applied_rows, report.failures) == (
            JobStatus.queued,
            0,
            [],
        )

    async def test_another_accounts_job_has_no_report(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        job = await jobs_service.submit_on_hand(uow, await stocked(make, 1))
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError) as missing:
            await jobs_service.job_report(
                ReadUnitOfWork(engines.read, AccountId(other.account_id)), job.id
            )

        assert (missing.value.field, missing.value.message) == ("job", f"job {job.id} not found")

    async def test_jobs_are_listed_by_status_newest_first(
        self, make: Factory, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        rows = await stocked(make, 1)
        first = await jobs_service.submit_on_hand(uow, rows)
        await worker_service.run_pending(engines, worker="w1")
        second = await jobs_service.submit_on_hand(make.uow(), [("NOPE", "WH1", 1)])
        third = await jobs_service.submit_on_hand(make.uow(), rows)
        read = ReadUnitOfWork(engines.read, account.account_id)

        every = await jobs_service.list_jobs(read, PageRequest())
        queued = await jobs_service.list_jobs(read, PageRequest(), status=JobStatus.queued)
        done = await jobs_service.list_jobs(read, PageRequest(), status=JobStatus.completed)

        assert [job.id for job in every.items] == [third.id, second.id, first.id]
        assert [job.id for job in queued.items] == [third.id, second.id]
        assert ([job.id for job in done.items], done.total) == ([first.id], 1)
