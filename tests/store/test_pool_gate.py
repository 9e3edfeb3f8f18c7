"""Units of work get pooled connections first come, first served, and the pool never grows."""

import asyncio

from orderyard.domain.values import AccountId
from orderyard.store.engine import Engines, create_engines
from orderyard.store.uow import ReadUnitOfWork

POOL_SIZE = 2
TASKS = 8
ROUNDS = 5


async def test_a_unit_of_work_waiting_for_a_connection_is_served_before_later_ones(
    db_url: str,
) -> None:
    """Each task gives its connection back and asks again at once, the case where a bare
    ``asyncio.Queue`` lets the giver take it straight back ahead of those already waiting."""
    engines = create_engines(db_url, pool_size=POOL_SIZE)
    requested: list[int] = []
    granted: list[int] = []

    async def use_repeatedly(task: int) -> None:
        for _ in range(ROUNDS):
            requested.append(task)
            async with ReadUnitOfWork(engines.read, AccountId(1)):
                granted.append(task)
                await asyncio.sleep(0)

    try:
        await asyncio.gather(*(use_repeatedly(n) for n in range(TASKS)))
    finally:
        await engines.dispose()

    assert sorted(granted) == sorted(requested)
    assert _most_overtaken(requested, granted) < POOL_SIZE


def _most_overtaken(requested: list[int], granted: list[int]) -> int:
    """The most older, still waiting requests that any one grant went ahead of.

    Up to ``POOL_SIZE - 1`` is connection set-up finishing in another order than the gate
    was passed; more means a newcomer was served ahead of requests already queued.
    """
    waiting: list[tuple[int, int]] = []  # (position in requested, task), oldest first
    pending = iter(enumerate(requested))
    most = 0
    for task in granted:
        while not any(t == task for _, t in waiting):
            waiting.append(next(pending))
        position = next(i for i, (_, t) in enumerate(waiting) if t == task)
        most = max(most, position)
        del waiting[position]
    return most


async def test_the_pool_never_opens_more_connections_than_its_size(db_url: str) -> None:
    engines: Engines = create_engines(db_url, pool_size=POOL_SIZE)
    pool = engines.read.sync_engine.pool
    most = 0

    async def hold() -> None:
        nonlocal most
        async with ReadUnitOfWork(engines.read, AccountId(1)):
            most = max(most, pool.checkedout())  # type: ignore[attr-defined]
            await asyncio.sleep(0.01)

    try:
        await asyncio.gather(*(hold() for _ in range(TASKS)))
    finally:
        await engines.dispose()

    assert most == POOL_SIZE
