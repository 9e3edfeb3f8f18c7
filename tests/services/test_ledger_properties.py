"""The ledger invariant under random sequences of stock operations, on a real database.

Whatever happens (on-hand feeds, orders placed and cancelled, shipments, replenishments
received, returns restocked), for every (location, item): the ledger sums to the stock level,
``0 <= allocated <= on_hand``, the allocation rows add up to the level's allocated units, and
the order lines' allocated units add up to the same per item. The invariant is checked
after every operation, refused ones included.

Each example runs in a fresh account of the test's database (the database itself is reset per
test, not per example), inside its own event loop, so the body is a plain coroutine driven by
``asyncio.run`` from a synchronous test.
"""

import asyncio
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from orderyard.domain.errors import DomainError
from orderyard.domain.values import AccountId
from orderyard.services import inventory as inventory_service
from orderyard.services import order as order_service
from orderyard.services import replenishment as replenishment_service
from orderyard.services import returns as returns_service
from orderyard.services import shipment as shipment_service
from orderyard.services.order import LineInput, PlaceOrder
from orderyard.services.replenishment import (
    CreateReplenishment,
    ReplenishmentItem,
    UpdateReplenishment,
)
from orderyard.services.returns import CreateReturn, ReceiveReturn, ReturnCount, ReturnItem
from orderyard.store.engine import Engines
from orderyard.store.uow import UnitOfWork
from tests.factories import ADDRESS
from tests.services.checks import fresh_account

LOCATIONS = ("L-1", "L-2")
SKUS = ("P-1", "P-2")
PAIRS = [(loc, sku) for loc in LOCATIONS for sku in SKUS]
"""Every example starts by counting some stock of each SKU at each location."""


@dataclass(frozen=True)
class SetOnHand:
    location: str
    sku: str
    on_hand: int


@dataclass(frozen=True)
class Place:
    lines: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Cancel:
    pick: int


@dataclass(frozen=True)
class Ship:
    pick: int


@dataclass(frozen=True)
class Receive:
    location: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Restock:
    pick: int
    location: str
    quantity: int
    damaged: int


Operation = SetOnHand | Place | Cancel | Ship | Receive | Restock

locations = st.sampled_from(LOCATIONS)
skus = st.sampled_from(SKUS)
picks = st.integers(0, 20)
place = st.builds(
    Place, st.lists(st.tuples(skus, st.integers(1, 4)), min_size=1, max_size=2).map(tuple)
)
ship = st.builds(Ship, picks)
restock = st.builds(Restock, picks, locations, st.integers(1, 3), st.integers(0, 1))
operations: st.SearchStrategy[Operation] = st.one_of(
    # Placing, shipping and returning are drawn twice as often: they need each other to reach
    # the interesting states (a return needs a shipped order, a shipment an allocated one).
    place,
    place,
    ship,
    ship,
    restock,
    restock,
    st.builds(SetOnHand, locations, skus, st.integers(0, 8)),
    st.builds(Cancel, picks),
    st.builds(Receive, locations, skus, st.integers(1, 6)),
)


class Run:
    """One example: a fresh account, the orders it placed, and the operations to apply."""

    def __init__(self, engines: Engines, account_id: AccountId) -> None:
        self.engines = engines
        self.account_id = account_id
        self.orders: list[int] = []

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engines.write, self.account_id, actor="property")

    def picked(self, pick: int) -> int | None:
        return self.orders[pick % len(self.orders)] if self.orders else None

    async def apply(self, operation: Operation) -> None:
        # Refused operations must leave the invariant intact too; the events show the mix
        # (pytest --hypothesis-show-statistics).
        try:
            await self._apply(operation)
        except DomainError:
            event(f"{type(operation).__name__} refused")
        else:
            event(f"{type(operation).__name__} applied")

    async def _apply(self, op: Operation) -> None:
        if isinstance(op, SetOnHand):
            rows = [inventory_service.OnHandRow(1, op.location, op.sku, op.on_hand)]
            await inventory_service.set_on_hand(self.uow(), rows)
        elif isinstance(op, Place):
            await self._place(op)
        elif isinstance(op, Cancel) and (order_id := self.picked(op.pick)) is not None:
            await order_service.cancel_orders(self.uow(), [order_id])
        elif isinstance(op, Ship):
            await self._ship(op.pick)
        elif isinstance(op, Receive):
            await self._receive(op)
        elif isinstance(op, Restock):
            await self._restock(op)

    async def _place(self, op: Place) -> None:
        command = PlaceOrder(
            order_number=f"P-{len(self.orders) + 1}",
            lines=tuple(LineInput(sku, qty, Decimal(1)) for sku, qty in op.lines),
            shipping_method="Pick",
            address=ADDRESS,
        )
        [outcome] = await order_service.place_orders(self.uow(), [command])
        if outcome.order_id is not None:
            self.orders.append(outcome.order_id)

    async def _ship(self, pick: int) -> None:
        """Ship the picked order among those with units allocated, from one location."""
        async with self.uow() as uow:
            held = {oid: await uow.orders.allocations_of(oid) for oid in self.orders}
        candidates = [oid for oid, allocations in held.items() if allocations]
        if not candidates:
            return
        order_id = candidates[pick % len(candidates)]
        location_id = min(a.location_id for a in held[order_id])
        shipment = await shipment_service.create_shipment(
            self.uow(), order_id, location_id=location_id
        )
        await shipment_service.ship_shipment(self.uow(), shipment.id)
        event("a shipment moved stock out")

    async def _receive(self, op: Receive) -> None:
        [created] = await replenishment_service.create_replenishments(
            self.uow(),
            [CreateReplenishment(op.location, (ReplenishmentItem(op.sku, op.quantity),))],
        )
        assert created.replenishment_id is not None, created.error
        item = ReplenishmentItem(op.sku, received=op.quantity)
        await replenishment_service.update_replenishments(
            self.uow(), [UpdateReplenishment(created.replenishment_id, (item,))]
        )

    async def _restock(self, op: Restock) -> None:
        """Return units of the picked order among those with returnable units, and restock."""
        async with self.uow() as uow:
            loaded = [await uow.orders.load(oid) for oid in self.orders]
        lines = [(o.id, ln) for o in loaded if o is not None for ln in o.lines if ln.returnable]
        if not lines:
            return
        order_id, line = lines[op.pick % len(lines)]
        quantity = min(op.quantity, line.returnable)
        [result] = await returns_service.create_returns(
            self.uow(), [CreateReturn(order_id, (ReturnItem(line.sku, quantity),))]
        )
        assert result.return_id is not None, result.error
        damaged = min(op.damaged, quantity)
        count = ReturnCount(line.sku, good=quantity - damaged, damaged=damaged)
        await returns_service.receive_return(
            self.uow(), ReceiveReturn(result.return_id, op.location, (count,))
        )
        await returns_service.commit_return(self.uow(), result.return_id)
        event("a return was restocked")

    async def check(self) -> None:
        async with self.uow() as uow:
            totals = await uow.stock.ledger_totals()
            levels = await uow.stock.all_levels()
            orders = [await uow.orders.load(oid) for oid in self.orders]
            allocations = [a for oid in self.orders for a in await uow.orders.allocations_of(oid)]
        for key, lv in levels.items():
            assert totals.get(key, (0, 0)) == (lv.on_hand, lv.allocated), key
            assert 0 <= lv.allocated <= lv.on_hand, key
        assert set(totals) <= set(levels)
        by_level: dict[tuple[int, int], int] = {}
        by_line: dict[int, int] = {}
        for a in allocations:
            key = (a.location_id, a.item_id)
            by_level[key] = by_level.get(key, 0) + a.quantity
            by_line[a.order_line_id] = by_line.get(a.order_line_id, 0) + a.quantity
        assert by_level == {k: lv.allocated for k, lv in levels.items() if lv.allocated}
        per_item: dict[int, int] = {}
        for order in orders:
            assert order is not None
            for line in order.lines:
                assert line.allocated == by_line.get(line.id, 0), (order.id, line.line_no)
                assert 0 <= line.returned <= line.shipped
                per_item[line.item_id] = per_item.get(line.item_id, 0) + line.allocated
        for item_id, allocated in per_item.items():
            assert allocated == sum(lv.allocated for k, lv in levels.items() if k[1] == item_id)


async def _example(db_url: str, initial: list[Operation], ops: list[Operation]) -> None:
    async with fresh_account(db_url, LOCATIONS, SKUS) as (engines, account_id):
        run = Run(engines, account_id)
        for op in [*initial, *ops]:
            await run.apply(op)
            await run.check()


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    initial=st.lists(st.integers(0, 8), min_size=4, max_size=4).map(
        lambda counts: [SetOnHand(loc, sku, n) for (loc, sku), n in zip(PAIRS, counts, strict=True)]
    ),
    ops=st.lists(operations, min_size=8, max_size=20),
)
def test_the_ledger_always_rebuilds_every_stock_level(
    db_url: str, initial: list[Operation], ops: list[Operation]
) -> None:
    asyncio.run(_example(db_url, initial, ops))
