"""Per-line return invariants under random sequences of return operations, on a real database.

Two shipped orders; then returns are created (by order id, as ShipEdge names the order, or by
its number, as OrderDynamics may), changed while open, received, committed (after a receipt,
or counted at commit as OrderDynamics' one ``Commit`` does) and cancelled, at random. After
every operation, refused ones included:

- per order line, ``returned`` equals what the returns hold of it (announced units of open
  returns, counted units of committed ones, nothing of cancelled ones) and never exceeds
  ``shipped``;
- a committed return counted no more than it announced, per line;
- the restock of each return in the ledger is its good units if committed, else nothing (a
  cancelled return restocks nothing);
- the ledger rebuilds every stock level;
- a refused operation wrote nothing.
"""

import asyncio
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from orderyard.domain.errors import DomainError
from orderyard.domain.returns import Return, ReturnStatus
from orderyard.domain.values import AccountId
from orderyard.services import returns as returns_service
from orderyard.services.returns import (
    CreateReturn,
    Receipt,
    ReceiveReturn,
    ReturnCount,
    ReturnItem,
    UpdateReturn,
)
from orderyard.store.engine import Engines
from orderyard.store.uow import UnitOfWork
from tests.factories import Factory
from tests.services.checks import fresh_account, ledger

LOCATIONS = ("L-1", "L-2")
SKUS = ("P-1", "P-2")


@dataclass(frozen=True)
class Create:
    order: int
    sku: str
    quantity: int
    by_number: bool


@dataclass(frozen=True)
class Update:
    pick: int
    sku: str
    quantity: int


@dataclass(frozen=True)
class Receive:
    pick: int
    location: str
    good: int
    damaged: int


@dataclass(frozen=True)
class Commit:
    pick: int
    location: str | None
    counts: tuple[int, int] | None


@dataclass(frozen=True)
class Cancel:
    pick: int


Operation = Create | Update | Receive | Commit | Cancel
skus = st.sampled_from(SKUS)
units = st.integers(0, 4)
announced = st.sampled_from((1, 1, 2, 2, 3, 0, 5))
"""Mostly returnable quantities; now and then none, or more than shipped."""
creates = st.builds(Create, st.integers(0, 1), skus, announced, st.booleans())
operations = st.one_of(
    creates,
    creates,
    st.builds(Update, st.integers(0, 9), skus, st.integers(0, 4)),
    st.builds(Receive, st.integers(0, 9), st.sampled_from((*LOCATIONS, "NOPE")), units, units),
    st.builds(
        Commit,
        st.integers(0, 9),
        st.sampled_from((*LOCATIONS, None)),
        st.none() | st.tuples(units, units),
    ),
    st.builds(Cancel, st.integers(0, 9)),
)


class Run:
    """One example's account: two shipped orders and the returns made of them."""

    def __init__(self, engines: Engines, account_id: AccountId) -> None:
        self.make = Factory(engines, account_id)
        self.orders: list[tuple[int, str]] = []
        self.returns: list[int] = []

    def uow(self) -> UnitOfWork:
        return self.make.uow()

    async def ship_orders(self) -> None:
        for sku in SKUS:
            await self.make.stock("L-1", sku, 20)
        for number, lines in (("O-1", (("P-1", 3), ("P-2", 2))), ("O-2", (("P-1", 2),))):
            placed = await self.make.order(*lines, number=number)
            assert placed.order_id is not None
            await self.make.ship(placed.order_id)
            self.orders.append((placed.order_id, number))

    def _return(self, pick: int) -> int:
        return self.returns[pick % len(self.returns)] if self.returns else 10**9

    async def apply(self, op: Operation) -> None:
        before = await self.state()
        try:
            await self._apply(op)
            event(f"{type(op).__name__} applied")
        except DomainError:
            event(f"{type(op).__name__} refused")
            assert await self.state() == before, op

    async def _apply(self, op: Operation) -> None:
        if isinstance(op, Create):
            order_id, number = self.orders[op.order]
            named = (0, number) if op.by_number else (order_id, "")
            item = (ReturnItem(op.sku, op.quantity, "why"),)
            [result] = await returns_service.create_returns(
                self.uow(), [CreateReturn(named[0], item, named[1])]
            )
            if result.error is not None:
                raise result.error
            assert result.return_id is not None
            self.returns.append(result.return_id)
        elif isinstance(op, Update):
            item = (ReturnItem(op.sku, op.quantity),)
            await returns_service.update_return(
                self.uow(), UpdateReturn(self._return(op.pick), item)
            )
        elif isinstance(op, Receive):
            counts = await self._counts(op.pick, (op.good, op.damaged))
            command = ReceiveReturn(self._return(op.pick), op.location, counts)
            await returns_service.receive_return(self.uow(), command)
        elif isinstance(op, Commit):
            receipt = None
            if op.location is not None or op.counts is not None:
                counts = None if op.counts is None else await self._counts(op.pick, op.counts)
                receipt = Receipt(op.location, counts)
            await returns_service.commit_return(self.uow(), self._return(op.pick), receipt=receipt)
        else:
            await returns_service.cancel_return(self.uow(), self._return(op.pick))

    async def _counts(self, pick: int, figures: tuple[int, int]) -> tuple[ReturnCount, ...]:
        """A count of the first SKU of the picked return (possibly more than it announced)."""
        ret = await self._load(self._return(pick))
        sku = ret.lines[0].sku if ret is not None and ret.lines else "P-1"
        return (ReturnCount(sku, good=figures[0], damaged=figures[1]),)

    async def _load(self, return_id: int) -> Return | None:
        async with self.uow() as uow:
            return await uow.returns.load(return_id)

    async def state(self) -> Any:
        """Everything a return operation may write: levels, order lines, returns, ledger."""
        async with self.uow() as uow:
            levels = await uow.stock.all_levels()
            orders = [await uow.orders.load(order_id) for order_id, _ in self.orders]
            returns = [await uow.returns.load(rid) for rid in self.returns]
        lines = [(ln.id, ln.shipped, ln.returned) for o in orders if o for ln in o.lines]
        return (
            {key: (lv.on_hand, lv.allocated) for key, lv in levels.items()},
            lines,
            [
                (r.status, r.location_id, [(ln.quantity, ln.good, ln.damaged) for ln in r.lines])
                for r in returns
                if r
            ],
            len(await ledger(self.make)),
        )

    async def check(self) -> None:
        async with self.uow() as uow:
            totals = await uow.stock.ledger_totals()
            levels = await uow.stock.all_levels()
            orders = [await uow.orders.load(order_id) for order_id, _ in self.orders]
            returns = [await uow.returns.load(rid) for rid in self.returns]
        for key, lv in levels.items():
            assert totals.get(key, (0, 0)) == (lv.on_hand, lv.allocated), key
        held: dict[int, int] = {}
        for ret in returns:
            assert ret is not None
            for line in ret.lines:
                assert 0 <= line.good + line.damaged <= line.quantity
                held[line.order_line_id] = held.get(line.order_line_id, 0) + _held(ret, line)
        for order in orders:
            assert order is not None
            for line in order.lines:
                assert line.returned == held.get(line.id, 0), (order.id, line.line_no)
                assert 0 <= line.returned <= line.shipped
        restocked: dict[str, int] = {}
        for movement in await ledger(self.make):
            if movement.reference.startswith("return:"):
                restocked[movement.reference] = (
                    restocked.get(movement.reference, 0) + movement.on_hand_delta
                )
        for ret in returns:
            assert ret is not None
            good = sum(ln.good for ln in ret.lines) if ret.status is ReturnStatus.committed else 0
            assert restocked.get(f"return:{ret.id}", 0) == good, ret


def _held(ret: Return, line: Any) -> int:
    """What a return holds of an order line: announced while open, counted once committed."""
    if ret.status is ReturnStatus.cancelled:
        return 0
    if ret.status is ReturnStatus.committed:
        return int(line.good + line.damaged)
    return int(line.quantity)


async def _example(db_url: str, ops: list[Operation]) -> None:
    async with fresh_account(db_url, LOCATIONS, SKUS) as (engines, account_id):
        run = Run(engines, account_id)
        await run.ship_orders()
        await run.check()
        for op in ops:
            await run.apply(op)
            await run.check()


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=6, max_size=18))
def test_returns_never_exceed_what_shipped_and_only_committed_ones_restock(
    db_url: str, ops: list[Operation]
) -> None:
    asyncio.run(_example(db_url, ops))
