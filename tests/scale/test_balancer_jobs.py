"""A node behind the balancer killed with ``kill -9`` while it runs a bulk job: another node
takes the job over once its lease ends and finishes it, each row applied once.

The job is queued with small operations (5 rows each) so that it runs long enough to be
caught mid-way; the node running it is the one whose worker name (``host:pid``) the job's
claim holds. Afterwards the job is completed by a surviving node's worker, every one of its
rows applied by exactly one movement, and the dead node's claim counted as a retry.
"""

import asyncio
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from orderyard.domain.jobs import JobStatus
from orderyard.services import jobs as jobs_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.tables import inventory_movements, jobs
from tests.factories import Factory
from tests.http.servers import ServerProcess
from tests.scale import tools
from tests.scale.balancer import Cluster, balanced

pytestmark = [pytest.mark.postgres, pytest.mark.scale, pytest.mark.concurrency]
ROWS = 600
CHUNK_ROWS = 5
"""120 operations: a node is caught between two of them."""
TIME_LIMIT = 120.0


async def test_a_node_killed_mid_job_leaves_the_job_to_another_node_each_row_once(
    make: Factory, engines: Engines, account: NewAccount, db_url: str, tmp_path: Path
) -> None:
    program = tools.require("haproxy")["haproxy"]
    rows = await make.catalog("WH1", ROWS)
    async with asyncio.timeout(TIME_LIMIT):
        with balanced(program, db_url, tmp_path) as cluster:
            job = await jobs_service.submit_on_hand(make.uow(), rows, chunk_rows=CHUNK_ROWS)
            runner, done_before = await running_node(cluster, engines, job.id)
            await asyncio.to_thread(runner.kill_9)
            await asyncio.to_thread(cluster.wait_until_down, runner)
            finished = await until_completed(engines, job.id)

    survivors = {node.pid for node in cluster.nodes if node is not runner}
    assert 1 <= done_before < ROWS // CHUNK_ROWS, "the node was not killed mid-job"
    assert finished["status"] == JobStatus.completed.value
    assert finished["applied_rows"] == ROWS
    assert finished["retries"] >= 1  # the dead node's claim, taken over
    assert worker_pid(finished["claimed_by"]) in survivors | {None}
    per_level = await movements_per_level(engines, account)
    assert len(per_level) == ROWS
    assert set(per_level.values()) == {1}


def worker_pid(claimed_by: str | None) -> int | None:
    """The process id in a worker's name (``host:pid``), or None once the job is released."""
    return None if claimed_by is None else int(claimed_by.rpartition(":")[2])


async def job_row(engines: Engines, job_id: int) -> dict[str, object]:
    async with engines.write.connect() as conn:
        found = await conn.execute(
            select(
                jobs.c.status,
                jobs.c.operations_done,
                jobs.c.applied_rows,
                jobs.c.retries,
                jobs.c.claimed_by,
            ).where(jobs.c.id == job_id)
        )
        return dict(found.one()._mapping)


async def running_node(
    cluster: Cluster, engines: Engines, job_id: int
) -> tuple[ServerProcess, int]:
    """The node whose worker has claimed the job and done at least one operation of it."""
    by_pid = {node.pid: node for node in cluster.nodes}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        row = await job_row(engines, job_id)
        pid = worker_pid(row["claimed_by"])  # type: ignore[arg-type]
        done = int(row["operations_done"])  # type: ignore[call-overload]
        if pid in by_pid and done >= 1:
            return by_pid[pid], done
        await asyncio.sleep(0.005)
    raise AssertionError("no node started the job")


async def until_completed(engines: Engines, job_id: int) -> dict[str, object]:
    """The job's row once it is completed (its lease is 2 s: a survivor takes it then)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = await job_row(engines, job_id)
        if row["status"] == JobStatus.completed.value:
            return row
        await asyncio.sleep(0.1)
    raise AssertionError(f"the job was not finished by another node: {row}")


async def movements_per_level(engines: Engines, account: NewAccount) -> Counter[tuple[int, int]]:
    async with engines.write.connect() as conn:
        found = await conn.execute(
            select(inventory_movements.c.location_id, inventory_movements.c.item_id).where(
                inventory_movements.c.account_id == account.account_id
            )
        )
        return Counter((row.location_id, row.item_id) for row in found)
