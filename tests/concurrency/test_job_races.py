"""Two ``BulkOnhand`` jobs on the same levels, run by two workers while orders are placed.

What "lose no update" means for two absolute counts of one level: each job's count is
applied exactly once, as its own ledger movement, and the level ends at the count applied
last (the operations lock the level, so they apply one after the other; the later one in
the ledger is the later one applied). Orders placed meanwhile never take more than the level
holds, and a count below what orders hold releases the difference (the lines wait again).
"""

import asyncio
from collections import defaultdict

import pytest

from orderyard.domain.inventory import MovementReason
from orderyard.domain.jobs import Job, JobStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import inventory as inventory_service
from orderyard.services import jobs as jobs_service
from orderyard.services import worker as worker_service
from orderyard.services.inventory import OnHandRow
from orderyard.store.engine import Engines, create_engines
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger

pytestmark = pytest.mark.concurrency

LOCATIONS = ("DC-1", "DC-2", "DC-3")
SKUS = ("A", "B", "C", "D", "E", "F")
ORDERS_PER_SKU = 6
FIRST, SECOND = 4, 2
"""The two jobs' counts; the feed before them sets 1, so each job's count moves every level
whichever applies first (1 -> 4 -> 2 or 1 -> 2 -> 4) and records a movement."""


def counts(on_hand: int, *, reverse: bool = False) -> list[tuple[str, str, int]]:
    rows = [(sku, location, on_hand) for location in LOCATIONS for sku in SKUS]
    return rows[::-1] if reverse else rows


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    for priority, code in enumerate(LOCATIONS, start=1):
        await make.location(code, priority=priority)
    for sku in SKUS:
        await make.item(sku)
    feed = [OnHandRow(n, loc, sku, 1) for n, (sku, loc, _) in enumerate(counts(1))]
    await inventory_service.set_on_hand(make.uow(), feed)
    return make


async def finished(engines: Engines, account_id: int, job: Job) -> Job:
    read = ReadUnitOfWork(engines.read, AccountId(account_id))
    done, _ = await jobs_service.get_job(read, job.id, job.submitted_at, PageRequest())
    return done


async def test_two_jobs_and_orders_lose_no_update_and_oversell_nothing(
    stocked: Factory, engines: Engines, db_url: str
) -> None:
    make = stocked
    first = await jobs_service.submit_on_hand(make.uow(), counts(FIRST), chunk_rows=4)
    second = await jobs_service.submit_on_hand(
        make.uow(), counts(SECOND, reverse=True), chunk_rows=5
    )
    workers = [create_engines(db_url, pool_size=2) for _ in range(2)]
    orders = [
        make.order((sku, 1), number=f"RACE-{n}-{sku}")
        for n in range(ORDERS_PER_SKU)
        for sku in SKUS
    ]
    try:
        ran, outcomes = await asyncio.gather(
            asyncio.gather(
                worker_service.run_pending(workers[0], worker="a"),
                worker_service.run_pending(workers[1], worker="b"),
            ),
            asyncio.gather(*orders),
        )
    finally:
        for worker in workers:
            await worker.dispose()

    if engines.write.dialect.name == "postgresql":
        assert sorted(ran) == [1, 1], "each worker ran one job, at the same time"
    else:  # one writer at a time: the other worker may find both jobs taken or done
        assert sum(ran) == 2
    assert all(outcome.error is None for outcome in outcomes)
    for job in (first, second):
        done = await finished(engines, make.account_id, job)
        assert (done.status, done.applied_rows, done.failed_rows) == (JobStatus.completed, 18, 0)
    await assert_ledger_balances(make)
    await assert_each_count_applied_once_and_the_later_wins(
        make, {first.id: FIRST, second.id: SECOND}
    )
    await assert_nothing_oversold(make, [outcome.order_id for outcome in outcomes])


async def assert_each_count_applied_once_and_the_later_wins(
    make: Factory, count_of: dict[int, int]
) -> None:
    applied: dict[tuple[int, int], list[int]] = defaultdict(list)
    for movement in await ledger(make):
        if movement.reason is MovementReason.on_hand_set and movement.reference != "on-hand feed":
            job_id = int(movement.reference.removeprefix("bulk job "))
            applied[(movement.location_id, movement.item_id)].append(job_id)
    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
    assert len(applied) == len(LOCATIONS) * len(SKUS)
    for key, jobs in applied.items():
        assert sorted(jobs) == sorted(count_of), key
        assert levels[key].on_hand == count_of[jobs[-1]], key


async def assert_nothing_oversold(make: Factory, order_ids: list[int | None]) -> None:
    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
        orders = [await uow.orders.load(order_id or 0) for order_id in order_ids]
        held = [a for order_id in order_ids for a in await uow.orders.allocations_of(order_id or 0)]
    assert all(0 <= level.allocated <= level.on_hand for level in levels.values())
    by_level: dict[tuple[int, int], int] = defaultdict(int)
    by_line: dict[int, int] = defaultdict(int)
    for allocation in held:
        by_level[(allocation.location_id, allocation.item_id)] += allocation.quantity
        by_line[allocation.order_line_id] += allocation.quantity
    assert by_level == {key: lv.allocated for key, lv in levels.items() if lv.allocated}
    for order in orders:
        assert order is not None
        for line in order.lines:
            assert 0 <= line.allocated == by_line[line.id] <= line.quantity
