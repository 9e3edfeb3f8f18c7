"""The server's own worker: started by the app's lifespan, it runs queued jobs; stopped by it,
it leaves the job it was running to the next worker at once, between two operations."""

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from orderyard.app import create_app
from orderyard.domain.jobs import JobStatus
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.services import jobs as jobs_service
from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, Settings
from orderyard.store.engine import Engines
from orderyard.store.tables import inventory_movements, jobs
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory

POLL = 60.0
"""Far longer than any test: a job runs at once only because its submission woke the worker."""


def app_for(db_url: str, *, worker_in_server: bool = True) -> FastAPI:
    return create_app(
        Settings(
            database=DatabaseSettings(url=db_url, pool_size=5),
            worker_in_server=worker_in_server,
            job_poll_seconds=POLL,
        )
    )


@asynccontextmanager
async def served(app: FastAPI, key: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, as uvicorn serves it, and a client of it."""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://orderyard.test",
            headers={"Ocp-Apim-Subscription-Key": key},
        ) as client,
    ):
        yield client


async def job_row(make: Factory, job_id: int) -> dict[str, object]:
    """The job's row, read beside the worker (on SQLite, without waiting for its writes)."""
    async with ReadUnitOfWork(make.engines.read, AccountId(make.account_id)) as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == job_id))).one()
    return dict(row._mapping)


async def stocked(make: Factory, count: int) -> list[tuple[str, str, int]]:
    await make.location("WH1")
    for n in range(count):
        await make.item(f"SKU-{n}")
    return [(f"SKU-{n}", "WH1", n + 1) for n in range(count)]


async def test_the_served_app_runs_a_job_it_was_sent(
    make: Factory, account: NewAccount, db_url: str
) -> None:
    await stocked(make, 2)
    body = {
        "Items": [{"Sku": f"SKU-{n}", "LocationInternalName": "WH1", "Quantity": 7} for n in (0, 1)]
    }

    async with served(app_for(db_url), account.key) as client:
        answer = await client.put("/v1/inventory/BulkOnhand", json=body)
        assert answer.status_code == 202
        submitted = answer.json()
        path = f"/v1/StatusManagement/{submitted['JobId']}"
        params = {"DateSubmittedUTC": submitted["DateSubmittedUTC"]}
        deadline = time.monotonic() + 10
        while (job := (await client.get(path, params=params)).json())["JobStatus"] != "Completed":
            assert time.monotonic() < deadline, f"the server's worker did not run the job: {job}"
            await asyncio.sleep(0.02)

    assert (job["SucceededRowCount"], job["CompletedOperationCount"]) == (2, 1)


async def test_without_its_worker_the_server_leaves_jobs_queued(
    make: Factory, account: NewAccount, db_url: str
) -> None:
    rows = await stocked(make, 1)

    async with served(app_for(db_url, worker_in_server=False), account.key):
        job = await jobs_service.submit_on_hand(make.uow(), rows)
        await asyncio.sleep(0.3)

    assert (await job_row(make, job.id))["status"] == JobStatus.queued.value


async def test_shutdown_releases_the_running_job_between_operations_for_the_next_worker(
    make: Factory, account: NewAccount, db_url: str, engines: Engines
) -> None:
    rows = await stocked(make, 300)

    async with served(app_for(db_url), account.key):
        job = await jobs_service.submit_on_hand(make.uow(), rows, chunk_rows=1)
        deadline = time.monotonic() + 20
        while (await job_row(make, job.id))["operations_done"] < 3:  # type: ignore[operator]
            assert time.monotonic() < deadline, "the server's worker never started the job"
            await asyncio.sleep(0.005)

    left = await job_row(make, job.id)
    assert left["status"] == JobStatus.in_progress.value
    assert 3 <= left["operations_done"] < 300  # type: ignore[operator]
    assert (left["claimed_by"], left["retries"]) == (None, 0)
    assert left["lease_until"] <= utcnow()  # type: ignore[operator]

    assert await worker_service.run_pending(engines, worker="next") == 1

    async with make.uow() as uow:
        levels = await uow.conn.execute(
            select(inventory_movements.c.item_id).where(
                inventory_movements.c.account_id == make.account_id
            )
        )
        per_level = Counter(levels.scalars())
    assert (len(per_level), set(per_level.values())) == (300, {1})
    assert (await job_row(make, job.id))["status"] == JobStatus.completed.value
