"""Counts below what is allocated, under random sequences of counts and orders.

A count is always accepted: after every step each level's allocated stays within its on-hand,
the allocations at a level add up to its allocated units (``Run.check`` of the ledger
property, which also rebuilds every level from the ledger), and no order line holds more than
it ordered. Each example runs in a fresh account, as in ``test_ledger_properties``.
"""

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.services.checks import fresh_account
from tests.services.test_ledger_properties import (
    LOCATIONS,
    SKUS,
    Operation,
    Run,
    SetOnHand,
    locations,
    place,
    skus,
)

steps: st.SearchStrategy[Operation] = st.one_of(
    place, place, st.builds(SetOnHand, locations, skus, st.integers(0, 8))
)


class CountingRun(Run):
    async def _apply(self, op: Operation) -> None:
        # A count is never refused: let a refusal fail the example instead of being counted.
        await super()._apply(op)

    async def apply(self, operation: Operation) -> None:
        await self._apply(operation)

    async def check(self) -> None:
        await super().check()
        async with self.uow() as uow:
            orders = [await uow.orders.load(oid) for oid in self.orders]
        for order in orders:
            assert order is not None
            for line in order.lines:
                assert 0 <= line.allocated <= line.quantity - line.shipped - line.cancelled


async def _example(db_url: str, ops: list[Operation]) -> None:
    async with fresh_account(db_url, LOCATIONS, SKUS) as (engines, account_id):
        run = CountingRun(engines, account_id)
        for op in ops:
            await run.apply(op)
            await run.check()


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(steps, min_size=6, max_size=20))
def test_counts_below_allocations_keep_every_level_and_order_whole(
    db_url: str, ops: list[Operation]
) -> None:
    asyncio.run(_example(db_url, ops))
