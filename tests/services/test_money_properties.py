"""Money invariants of orders under random sequences of payment operations, on a real database.

Two orders are placed with random prices, taxes and discounts: one paid by a card of the
scripted test gateway (authorized for a random part of its total, or more), one with no
payment at all (paid offline, if ever). Then, at random and through the services only:
partial shipments, AutoInvoice by order and by shipment, invoices by details, scripted
gateway answers (approve, decline, error, timeout), payment retries, credits of invoices
(whole or one line's units), offline payments accepted and applied, and returns created,
committed (which credits what came back) and cancelled. After every operation, refused ones
included:

- the available amounts the service answers equal the sums, kind by kind, of the order's
  ``payment_transactions`` rows read straight from the table, and no figure derived from them
  (capturable, due, refundable, creditable, unapplied offline money) is ever negative;
- invoiced never passes the value of what shipped (each line's total shared over its shipped
  units by the rounding rule); per line, invoiced units <= shipped, credited <= invoiced;
- captured <= authorized, per payment too; refunded <= credited <= captured + offline
  applied (what is given back never passes what was paid); offline applied <= accepted;
- every invoice and memo adds up to its lines; a sales invoice is never paid past its
  amount and is ``paid`` exactly when nothing is owed on it; a memo never refunds past it;
- a line invoiced in full bills its total rounded once, to the cent, however it was split,
  and the order's total is the sum of its lines' prices, taxes and discounts;
- per line, returned <= shipped; a committed return counted no more than it announced; the
  restock of a return is its good units if committed, else nothing;
- a refused operation wrote nothing (ledger, invoices, returns, stock levels unchanged).
"""

import asyncio
import os
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from orderyard.domain.errors import DomainError
from orderyard.domain.gateway import Outcome
from orderyard.domain.invoice import InvoiceKind, InvoiceStatus, line_total, rounded
from orderyard.domain.ledger import AvailableAmounts
from orderyard.domain.order import Order
from orderyard.domain.payment import Card, NewPayment, PaymentMethod, TransactionKind
from orderyard.domain.returns import ReturnItem, ReturnStatus
from orderyard.domain.values import AccountId
from orderyard.services import order as order_service
from orderyard.services import payment as payment_service
from orderyard.services import returns as returns_service
from orderyard.services.order.commands import LineInput, OrderRef, PlaceOrder
from orderyard.services.payment.gateways import SCRIPTED
from orderyard.services.returns import CreateReturn, Receipt, ReturnCount
from orderyard.store.engine import Engines
from orderyard.store.tables import invoices, payment_transactions
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import ADDRESS, Factory
from tests.services.checks import fresh_account, ledger

LOCATIONS = ("L-1",)
SKUS = ("P-1", "P-2", "P-3")
CURRENCY = "CAD"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Ship:
    order: int
    line: int
    quantity: int


@dataclass(frozen=True)
class ShipAll:
    order: int


@dataclass(frozen=True)
class AutoOrder:
    order: int


@dataclass(frozen=True)
class AutoShipment:
    pick: int


@dataclass(frozen=True)
class ByDetails:
    order: int
    line: int
    quantity: int


@dataclass(frozen=True)
class Script:
    outcomes: tuple[Outcome, ...]


@dataclass(frozen=True)
class Retry:
    pick: int


@dataclass(frozen=True)
class Credit:
    pick: int
    line: int | None
    quantity: int


@dataclass(frozen=True)
class Accept:
    order: int
    amount: Decimal


@dataclass(frozen=True)
class Apply:
    order: int
    pick: int | None
    amount: Decimal | None


@dataclass(frozen=True)
class ReturnCreate:
    order: int
    sku: str
    quantity: int


@dataclass(frozen=True)
class ReturnCommit:
    pick: int
    good: int
    damaged: int


@dataclass(frozen=True)
class ReturnCancel:
    pick: int


Operation = (
    Ship
    | ShipAll
    | AutoOrder
    | AutoShipment
    | ByDetails
    | Script
    | Retry
    | Credit
    | Accept
    | Apply
    | ReturnCreate
    | ReturnCommit
    | ReturnCancel
)
orders = st.integers(0, 1)
ships = st.builds(Ship, orders, st.integers(0, 2), st.integers(1, 2)) | st.builds(ShipAll, orders)
returns = st.builds(ReturnCreate, orders, st.sampled_from(SKUS), st.integers(1, 2))
commits = st.builds(ReturnCommit, st.integers(0, 9), st.integers(0, 2), st.integers(0, 1))
credits = st.builds(Credit, st.integers(0, 9), st.none() | st.integers(0, 2), st.integers(1, 2))
lines = st.integers(0, 2)
small = st.integers(0, 3)
cents = st.integers(1, 9_000).map(lambda n: Decimal(n).scaleb(-2))
pick = st.integers(0, 9)
operations = st.one_of(
    ships,
    st.builds(AutoOrder, orders),
    st.builds(AutoOrder, orders),
    st.builds(AutoShipment, pick),
    st.builds(ByDetails, orders, lines, small),
    st.builds(
        Script,
        st.lists(
            st.sampled_from((Outcome.declined, Outcome.error, Outcome.timeout, Outcome.approved)),
            min_size=1,
            max_size=2,
        ).map(tuple),
    ),
    st.builds(Retry, pick),
    credits,
    credits,
    st.builds(Accept, orders, cents),
    st.builds(Apply, orders, st.none() | pick, st.none() | cents),
    returns,
    returns,
    commits,
    commits,
    st.builds(ReturnCancel, pick),
)
prices = st.integers(1, 5_000).map(lambda n: Decimal(n).scaleb(-2))
Shape = tuple[int, Decimal, int, int]
"""A line's quantity, unit price, tax in cents and discount in cents (never above its price)."""
line_inputs = st.tuples(st.integers(1, 4), prices, st.integers(0, 300), st.integers(0, 100)).map(
    lambda s: (s[0], s[1], s[2], min(s[3], int(s[0] * s[1] * 100)))
)


def _total(shape: list[Shape]) -> Decimal:
    return sum(
        (q * p + Decimal(t).scaleb(-2) - Decimal(d).scaleb(-2) for q, p, t, d in shape), ZERO
    )


class Run:
    """One example's account: two placed orders and everything done with their money."""

    def __init__(self, engines: Engines, account_id: AccountId) -> None:
        self.make = Factory(engines, account_id)
        self.engines = engines
        self.account_id = account_id
        self.orders: list[int] = []
        self.shipments: list[int] = []
        self.invoices: list[int] = []
        self.returns: list[int] = []

    def uow(self) -> UnitOfWork:
        return self.make.uow()

    async def place(self, shape: list[Shape], authorized: Decimal) -> None:
        """Order 0 is paid by a test-gateway card authorized for ``authorized``; order 1 not."""
        for sku in SKUS:
            await self.make.stock("L-1", sku, 50)
        for index in range(2):
            placed = [
                LineInput(
                    sku, qty, price, tax=Decimal(tax).scaleb(-2), discount=Decimal(d).scaleb(-2)
                )
                for sku, (qty, price, tax, d) in zip(SKUS, shape, strict=True)
            ]
            payments = (
                (
                    NewPayment(
                        PaymentMethod.card,
                        authorized,
                        CURRENCY,
                        reference="AUTH-1",
                        gateway="test",
                        card=Card("tok_1", "Visa", "1111"),
                    ),
                )
                if index == 0
                else ()
            )
            command = PlaceOrder(
                order_number=f"M-{index}",
                lines=tuple(placed),
                shipping_method="Pick",
                address=ADDRESS,
                currency=CURRENCY,
                payments=payments,
            )
            [outcome] = await order_service.place_orders(self.uow(), [command])
            assert outcome.order_id is not None, outcome.error
            self.orders.append(outcome.order_id)

    @staticmethod
    def _pick(ids: list[int], index: int) -> int:
        return ids[index % len(ids)] if ids else 10**9

    async def _order(self, index: int) -> Order:
        async with self.uow() as uow:
            order = await uow.orders.load(self.orders[index])
        assert order is not None
        return order

    async def apply(self, op: Operation) -> None:
        before = await self.state()
        try:
            await self._apply(op)
            event(f"{type(op).__name__} applied")
        except DomainError:
            event(f"{type(op).__name__} refused")
            assert await self.state() == before, op

    async def _apply(self, op: Operation) -> None:  # noqa: C901 - one branch per kind
        if isinstance(op, ShipAll):
            self.shipments.append(await self.make.ship(self.orders[op.order]))
        elif isinstance(op, Ship):
            order = await self._order(op.order)
            line = order.lines[op.line]
            shipment = await self.make.ship(order.id, (line.line_no, op.quantity))
            self.shipments.append(shipment)
        elif isinstance(op, AutoOrder):
            invoice = await payment_service.auto_invoice_order(
                self.uow(), OrderRef("id", self.orders[op.order])
            )
            self.invoices.append(invoice.id)
        elif isinstance(op, AutoShipment):
            invoice = await payment_service.auto_invoice_shipment(
                self.uow(), self._pick(self.shipments, op.pick)
            )
            self.invoices.append(invoice.id)
        elif isinstance(op, ByDetails):
            order = await self._order(op.order)
            invoice = await payment_service.invoice_by_details(
                self.uow(), OrderRef("id", order.id), [(order.lines[op.line].id, op.quantity)]
            )
            self.invoices.append(invoice.id)
        elif isinstance(op, Script):
            SCRIPTED.script(*op.outcomes)
        elif isinstance(op, Retry):
            await payment_service.retry_payment(self.uow(), self._pick(self.invoices, op.pick))
        elif isinstance(op, Credit):
            await self._credit(op)
        elif isinstance(op, Accept):
            await payment_service.accept_offline(
                self.uow(), OrderRef("id", self.orders[op.order]), op.amount, currency=CURRENCY
            )
        elif isinstance(op, Apply):
            invoice_id = None if op.pick is None else self._pick(self.invoices, op.pick)
            await payment_service.apply_offline(
                self.uow(),
                OrderRef("id", self.orders[op.order]),
                invoice_id=invoice_id,
                amount=op.amount,
            )
        elif isinstance(op, ReturnCreate):
            item = (ReturnItem(op.sku, op.quantity, "why"),)
            [result] = await returns_service.create_returns(
                self.uow(), [CreateReturn(self.orders[op.order], item)]
            )
            if result.error is not None:
                raise result.error
            assert result.return_id is not None
            self.returns.append(result.return_id)
        elif isinstance(op, ReturnCommit):
            return_id = self._pick(self.returns, op.pick)
            async with self.uow() as uow:
                ret = await uow.returns.load(return_id)
            sku = ret.lines[0].sku if ret is not None and ret.lines else "P-1"
            receipt = Receipt("L-1", (ReturnCount(sku, good=op.good, damaged=op.damaged),))
            await returns_service.commit_return(self.uow(), return_id, receipt=receipt)
        else:
            await returns_service.cancel_return(self.uow(), self._pick(self.returns, op.pick))

    async def _credit(self, op: Credit) -> None:
        invoice_id = self._pick(self.invoices, op.pick)
        wanted = None
        if op.line is not None:
            async with self.uow() as uow:
                invoice = await uow.invoices.get(invoice_id)
            if invoice is not None and invoice.lines:
                line = invoice.lines[op.line % len(invoice.lines)]
                wanted = [(line.order_line_id, op.quantity)]
        created = await payment_service.credit_invoice(self.uow(), invoice_id, wanted)
        assert created.kind is InvoiceKind.credit

    async def state(self) -> Any:
        """Everything an operation may write: ledger, invoices, returns, lines, stock."""
        async with self.uow() as uow:
            rows = await uow.conn.execute(
                select(payment_transactions.c.id).where(
                    payment_transactions.c.account_id == self.account_id
                )
            )
            entries = sorted(r.id for r in rows)
            found = await uow.conn.execute(
                select(invoices.c.id, invoices.c.status, invoices.c.attempts).where(
                    invoices.c.account_id == self.account_id
                )
            )
            raised = sorted(tuple(r) for r in found)
            kept = [await uow.orders.load(order_id) for order_id in self.orders]
            returns = [await uow.returns.load(rid) for rid in self.returns]
            levels = await uow.stock.all_levels()
        return (
            entries,
            raised,
            [(ln.id, ln.shipped, ln.returned, ln.allocated) for o in kept if o for ln in o.lines],
            [
                (r.status, [(ln.quantity, ln.good, ln.damaged) for ln in r.lines])
                for r in returns
                if r
            ],
            {key: (lv.on_hand, lv.allocated) for key, lv in levels.items()},
        )

    async def check(self) -> None:
        for order_id in self.orders:
            await self._check_order(order_id)
        await self._check_returns()

    async def _check_order(self, order_id: int) -> None:
        read = ReadUnitOfWork(self.engines.read, self.account_id)
        figures = await payment_service.available_amounts(read, OrderRef("id", order_id))
        async with self.uow() as uow:
            order = await uow.orders.load(order_id)
            raw = await uow.conn.execute(
                select(payment_transactions).where(
                    payment_transactions.c.account_id == self.account_id,
                    payment_transactions.c.order_id == order_id,
                )
            )
            entries = list(raw)
            kept = await uow.invoices.of_order(order_id)
        assert order is not None
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for entry in entries:
            assert entry.currency == CURRENCY
            assert entry.amount >= 0, entry  # a line whose units share to 0.00 bills 0
            sums[entry.kind] += entry.amount
        _check_figures(figures, sums)
        _check_lines(order, kept)
        _check_invoices(kept, entries)
        per_payment: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for entry in entries:
            if entry.payment_id is not None:
                per_payment[entry.payment_id][entry.kind] += entry.amount
        for kinds in per_payment.values():
            assert kinds[TransactionKind.capture] <= kinds[TransactionKind.authorization]
            assert kinds[TransactionKind.offline_applied] <= kinds[TransactionKind.offline_accepted]
            taken = kinds[TransactionKind.capture] + kinds[TransactionKind.offline_applied]
            assert kinds[TransactionKind.refund] <= taken

    async def _check_returns(self) -> None:
        async with self.uow() as uow:
            returns = [await uow.returns.load(rid) for rid in self.returns]
        restocked: dict[str, int] = defaultdict(int)
        for movement in await ledger(self.make):
            if movement.reference.startswith("return:"):
                restocked[movement.reference] += movement.on_hand_delta
        for ret in returns:
            assert ret is not None
            for line in ret.lines:
                assert 0 <= line.good + line.damaged <= line.quantity
            good = sum(ln.good for ln in ret.lines) if ret.status is ReturnStatus.committed else 0
            assert restocked[f"return:{ret.id}"] == good, ret


def _check_figures(figures: AvailableAmounts, sums: dict[str, Decimal]) -> None:
    """The service's figures are the table's sums; none derived from them is negative."""
    assert figures.authorized == sums[TransactionKind.authorization]
    assert figures.captured == sums[TransactionKind.capture]
    assert figures.invoiced == sums[TransactionKind.invoice]
    assert figures.credited == sums[TransactionKind.credit]
    assert figures.refunded == sums[TransactionKind.refund]
    assert figures.offline_accepted == sums[TransactionKind.offline_accepted]
    assert figures.offline_applied == sums[TransactionKind.offline_applied]
    assert figures.captured <= figures.authorized
    assert figures.refunded <= figures.credited <= figures.paid
    assert figures.paid <= figures.invoiced
    for derived in (
        figures.capturable,
        figures.due,
        figures.refundable,
        figures.creditable,
        figures.unapplied_offline,
    ):
        assert derived >= 0, figures


def _check_lines(order: Order, kept: list[Any]) -> None:
    """Per line: invoiced <= shipped, credited <= invoiced, returned <= shipped, to the cent."""
    billed: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    billed_amount: dict[int, Decimal] = defaultdict(Decimal)
    for invoice in kept:
        column = 0 if invoice.kind is InvoiceKind.sales else 1
        for line in invoice.lines:
            billed[line.order_line_id][column] += line.quantity
            if column == 0:
                billed_amount[line.order_line_id] += line.amount
    shipped_value = ZERO
    for line in order.lines:
        invoiced, credited = billed[line.id]
        assert 0 <= line.returned <= line.shipped <= line.quantity
        assert credited <= invoiced <= line.shipped, (line.id, invoiced, credited)
        value = rounded(line_total(line) * line.shipped / line.quantity, CURRENCY)
        shipped_value += value
        assert billed_amount[line.id] == rounded(
            line_total(line) * invoiced / line.quantity, CURRENCY
        )
        if invoiced == line.quantity:
            assert billed_amount[line.id] == rounded(line_total(line), CURRENCY)
    sales = sum((i.amount for i in kept if i.kind is InvoiceKind.sales), ZERO)
    assert sales <= shipped_value


def _check_invoices(kept: list[Any], entries: list[Any]) -> None:
    """Each invoice adds up to its lines; its ledger matches its status; memos never overpay."""
    moved: dict[int, Decimal] = defaultdict(Decimal)
    raised: dict[int, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if entry.invoice_id is None:
            continue
        if entry.kind in (TransactionKind.invoice, TransactionKind.credit):
            raised[entry.invoice_id] += entry.amount
        else:
            moved[entry.invoice_id] += entry.amount
    for invoice in kept:
        assert invoice.amount == sum((line.amount for line in invoice.lines), ZERO)
        assert raised[invoice.id] == invoice.amount
        assert moved[invoice.id] <= invoice.amount, invoice
        settled = moved[invoice.id] == invoice.amount
        assert (invoice.status is InvoiceStatus.paid) == settled, (invoice, moved[invoice.id])


async def _example(
    db_url: str,
    shape: list[Shape],
    share: Decimal,
    ops: list[Operation],
) -> None:
    SCRIPTED.reset()
    SCRIPTED.default = Outcome.approved
    try:
        async with fresh_account(db_url, LOCATIONS, SKUS) as (engines, account_id):
            run = Run(engines, account_id)
            authorized = rounded(_total(shape) * share, CURRENCY)
            await run.place(shape, max(authorized, Decimal("0.01")))
            await _check_totals(run, shape)
            await run.check()
            for op in ops:
                await run.apply(op)
                await run.check()
    finally:
        SCRIPTED.reset()


async def _check_totals(run: Run, shape: list[Shape]) -> None:
    """An order's total is its lines' prices, taxes and discounts, to the cent."""
    expected = _total(shape)
    read = ReadUnitOfWork(run.engines.read, run.account_id)
    async with read:
        for order_id in run.orders:
            view = await read.orders.get("id", order_id)
            assert view is not None
            assert view.total == expected
            assert (
                sum((ln.unit_price * ln.quantity + ln.tax - ln.discount for ln in view.lines), ZERO)
                == expected
            )


@settings(
    max_examples=int(os.environ.get("MONEY_EXAMPLES", "10")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    shape=st.lists(line_inputs, min_size=3, max_size=3),
    share=st.sampled_from((Decimal("0.5"), Decimal(1), Decimal("1.5"))),
    ops=st.tuples(
        st.lists(ships, min_size=2, max_size=4),
        st.lists(st.builds(AutoOrder, orders), max_size=1),
        st.lists(operations, min_size=10, max_size=20),
    ).map(lambda parts: parts[0] + parts[1] + parts[2]),
)
def test_money_adds_up_under_random_invoicing_payments_credits_and_returns(
    db_url: str,
    shape: list[Shape],
    share: Decimal,
    ops: list[Operation],
) -> None:
    asyncio.run(_example(db_url, shape, share, ops))
