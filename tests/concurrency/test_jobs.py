"""Bulk jobs on PostgreSQL: workers racing on one queue, and a worker killed mid-job."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import select

from orderyard.domain.jobs import JobStatus
from orderyard.domain.values import PageRequest
from orderyard.services import jobs as jobs_service
from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines, create_engines
from orderyard.store.tables import inventory_movements, jobs
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory

pytestmark = [pytest.mark.concurrency, pytest.mark.postgres]


async def movements_per_level(make: Factory) -> Counter[tuple[int, int]]:
    async with make.uow() as uow:
        rows = await uow.conn.execute(
            select(inventory_movements.c.location_id, inventory_movements.c.item_id).where(
                inventory_movements.c.account_id == make.account_id
            )
        )
        return Counter((row.location_id, row.item_id) for row in rows)


async def test_two_workers_racing_never_run_one_job_twice(
    make: Factory, engines: Engines, db_url: str, account: NewAccount
) -> None:
    rows = await make.catalog("WH1", 40)
    for n in range(10):
        await jobs_service.submit_on_hand(make.uow(), rows[n * 4 : n * 4 + 4], chunk_rows=1)
    second = create_engines(db_url, pool_size=2)
    try:
        ran = await asyncio.gather(
            worker_service.run_pending(engines, worker="a"),
            worker_service.run_pending(second, worker="b"),
        )
    finally:
        await second.dispose()

    assert sum(ran) == 10
    assert set((await movements_per_level(make)).values()) == {1}
    listed = await jobs_service.list_jobs(
        ReadUnitOfWork(engines.read, account.account_id), PageRequest(1, 50)
    )
    assert {(j.status, j.applied_rows) for j in listed.items} == {(JobStatus.completed, 4)}
    async with make.uow() as uow:
        attempts = (await uow.conn.execute(select(jobs.c.attempts))).scalars().all()
    assert set(attempts) == {1}


async def test_a_worker_killed_mid_job_leaves_it_to_another_that_applies_each_row_once(
    make: Factory, engines: Engines, db_url: str, account: NewAccount
) -> None:
    rows = await make.catalog("WH1", 600)
    job = await jobs_service.submit_on_hand(make.uow(), rows, chunk_rows=5)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("ORDERYARD_")},
        "ORDERYARD_DATABASE__URL": db_url,
        "ORDERYARD_JOB_LEASE_SECONDS": "1",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from orderyard.cli import main; main()", "worker"], env=env
    )
    try:
        done = await wait_for_operations(make, job.id, at_least=3)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert 3 <= done < 120, "the worker was not killed mid-job"
    await asyncio.sleep(1.2)  # its lease expires

    assert await worker_service.run_pending(engines, worker="survivor") == 1

    read = ReadUnitOfWork(engines.read, account.account_id)
    finished, _ = await jobs_service.get_job(read, job.id, job.submitted_at, PageRequest())
    assert (finished.status, finished.applied_rows, finished.operations_done) == (
        JobStatus.completed,
        600,
        120,
    )
    per_level = await movements_per_level(make)
    assert len(per_level) == 600
    assert set(per_level.values()) == {1}


async def wait_for_operations(make: Factory, job_id: int, *, at_least: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with make.uow() as uow:
            done = (
                await uow.conn.execute(select(jobs.c.operations_done).where(jobs.c.id == job_id))
            ).scalar_one()
        if done >= at_least:
            return int(done)
        await asyncio.sleep(0.005)
    raise AssertionError("the worker never started the job")
