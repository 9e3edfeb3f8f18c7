"""A count that takes stock back from orders, racing the cancellation of those same orders.

The count locks its level, then the orders it takes stock from; each cancellation locks its
order, then gives the level its stock back. On PostgreSQL the two orders of locking form
cycles that the database breaks by rolling one transaction back (``deadlock detected``): the
use case runs again (``services/retry.py``) and every request succeeds. On SQLite the writers
take turns and no cycle forms; the test holds there too.
"""

import asyncio

import pytest

from orderyard.domain.order import OrderStatus
from orderyard.services import inventory as inventory_service
from orderyard.services import order as order_service
from orderyard.services.inventory import OnHandRow
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, level, load_order

pytestmark = pytest.mark.concurrency

ROUNDS = 5
"""Each cycle costs PostgreSQL its deadlock_timeout (1 s) to notice; five rounds meet several."""


async def test_counts_and_cancellations_of_the_same_orders_all_succeed(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("A")
    for _ in range(ROUNDS):
        await make.stock("DC-1", "A", 10)
        placed = [await make.order(("A", 2)) for _ in range(5)]

        results = await asyncio.gather(
            inventory_service.set_on_hand(make.uow(), [OnHandRow(1, "DC-1", "A", 3)]),
            *(order_service.cancel_orders(make.uow(), [p.order_id]) for p in placed),
            return_exceptions=True,
        )

        assert [r for r in results if isinstance(r, BaseException)] == []
        for outcome in placed:
            order = await load_order(make, outcome.order_id)
            assert order.status is OrderStatus.cancelled
        assert await level(make, "DC-1", "A") == (3, 0)
    await assert_ledger_balances(make)
