"""Gateway calls of invoices (captures) and credit memos (refunds), outside transactions.

Three steps (docs/decisions.md, "Gateway calls outside transactions"):

1. **Claim**, in the caller's transaction, the order's row locked: plan which payments the
   call takes from, and mark the invoice ``pending`` with a new attempt number by one
   conditional UPDATE. At most one call per order is in flight: a claim while another
   invoice or memo of the order is pending (and not stale) does not happen, so a plan made
   from the ledger stays true until its outcome is written.
2. **Call** the gateway with no transaction open and no connection held.
3. **Conclude** in a new short transaction: append what the gateway approved to the ledger
   and mark the invoice settled (paid) or failed with the gateway's reason.

A call whose process died leaves its invoice ``pending``; after ``STALE_AFTER`` it may be
claimed again. Each call's idempotency key names the invoice and the attempt.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from orderyard.domain.gateway import GatewayAnswer, GatewayCall
from orderyard.domain.invoice import Invoice, InvoiceKind, InvoiceStatus, PaymentState
from orderyard.domain.ledger import Transaction
from orderyard.domain.payment import Payment, TransactionKind
from orderyard.kit.clock import utcnow
from orderyard.services.payment.gateways import call_gateway, gateway_for
from orderyard.store.uow import UnitOfWork

STALE_AFTER = timedelta(minutes=5)
"""A pending call older than this was abandoned (a gateway call times out after 30 s)."""
ZERO = Decimal(0)
IN_FLIGHT = "another payment call of this order is in flight: retry when it has ended"
NOTHING_TO_CAPTURE = "no authorization is left to capture: awaiting an offline payment"


@dataclass(frozen=True, slots=True)
class Chunk:
    """Part of a call: an amount taken from, or given back to, one payment."""

    payment_id: int
    gateway: str
    reference: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Claimed:
    """A gateway call claimed for an invoice or memo: run it with ``run``."""

    invoice_id: int
    order_id: int
    kind: InvoiceKind
    attempt: int
    currency: str
    owed: Decimal
    chunks: tuple[Chunk, ...]


def _sum(ledger: Sequence[Transaction], kinds: set[TransactionKind], **match: int) -> Decimal:
    return sum(
        (
            entry.amount
            for entry in ledger
            if entry.kind in kinds and all(getattr(entry, k) == v for k, v in match.items())
        ),
        ZERO,
    )


TAKEN = {TransactionKind.capture, TransactionKind.offline_applied}


def owed_on(invoice: Invoice, ledger: Sequence[Transaction]) -> Decimal:
    """What the invoice still bills (or the memo still gives back)."""
    moved = TAKEN if invoice.kind is InvoiceKind.sales else {TransactionKind.refund}
    return invoice.amount - _sum(ledger, moved, invoice_id=invoice.id)


def plan(
    invoice: Invoice, ledger: Sequence[Transaction], payments: Sequence[Payment]
) -> tuple[Chunk, ...]:
    """Which payments the call takes ``owed`` from (or gives back to), oldest first."""
    left = owed_on(invoice, ledger)
    chunks: list[Chunk] = []
    for payment in payments:
        if left <= 0:
            break
        if invoice.kind is InvoiceKind.sales:
            room = _sum(ledger, {TransactionKind.authorization}, payment_id=payment.id) - _sum(
                ledger, {TransactionKind.capture}, payment_id=payment.id
            )
        else:
            room = _sum(ledger, TAKEN, payment_id=payment.id) - _sum(
                ledger, {TransactionKind.refund}, payment_id=payment.id
            )
        take = min(room, left)
        if take > 0:
            chunks.append(Chunk(payment.id, payment.gateway, payment.reference, take))
            left -= take
    return tuple(chunks)


async def claim(uow: UnitOfWork, order_id: int, invoice_id: int) -> Claimed | None:
    """Claim the invoice's next gateway call, in the caller's transaction (order locked).

    Answers None when there is nothing to call (the invoice is then noted paid, or open with
    the reason) or another call of the order is in flight (noted too).
    """
    now = utcnow()
    invoice = await uow.invoices.get(invoice_id)
    if invoice is None or invoice.status is InvoiceStatus.paid:
        return None
    ledger = await uow.invoices.ledger(order_id)
    owed = owed_on(invoice, ledger)
    if owed <= 0:
        await uow.invoices.note(
            invoice_id, status=InvoiceStatus.paid, state=PaymentState.settled, failure="", at=now
        )
        return None
    others = set(await uow.invoices.in_flight(order_id, stale_before=now - STALE_AFTER))
    if others - {invoice_id}:
        await _note_open(uow, invoice, IN_FLIGHT)
        return None
    payments = (await uow.payments.of_orders([order_id])).get(order_id, [])
    chunks = plan(invoice, ledger, payments)
    if not chunks:
        await _note_open(uow, invoice, NOTHING_TO_CAPTURE)
        return None
    attempt = await uow.invoices.claim(invoice_id, stale_before=now - STALE_AFTER, at=now)
    if attempt is None:
        return None
    return Claimed(invoice_id, order_id, invoice.kind, attempt, invoice.currency, owed, chunks)


async def _note_open(uow: UnitOfWork, invoice: Invoice, failure: str) -> None:
    if invoice.payment_state is PaymentState.pending:
        return  # a stale call: leave it claimable as it is
    await uow.invoices.note(
        invoice.id,
        status=InvoiceStatus.open,
        state=PaymentState.failed if invoice.attempts else PaymentState.none,
        failure=failure,
        at=utcnow(),
    )


async def run(uow: UnitOfWork, claimed: Claimed) -> None:
    """Call the gateway for each chunk (no transaction open), then record the outcome."""
    answers: list[tuple[Chunk, GatewayAnswer]] = []
    operation = "capture" if claimed.kind is InvoiceKind.sales else "refund"
    for index, chunk in enumerate(claimed.chunks):
        key = f"{operation}-{claimed.invoice_id}-{claimed.attempt}-{index}"
        call = GatewayCall(chunk.reference, chunk.amount, claimed.currency, key)
        answer = await call_gateway(gateway_for(chunk.gateway), operation, call)
        answers.append((chunk, answer))
        if not answer.approved:
            break
    await _conclude(uow, claimed, answers)


async def _conclude(
    uow: UnitOfWork, claimed: Claimed, answers: Sequence[tuple[Chunk, GatewayAnswer]]
) -> None:
    kind = TransactionKind.capture if claimed.kind is InvoiceKind.sales else TransactionKind.refund
    moved = [(chunk, answer) for chunk, answer in answers if answer.approved]
    failures = [answer for _, answer in answers if not answer.approved]
    settled = sum((chunk.amount for chunk, _ in moved), ZERO) >= claimed.owed
    failure = f"{failures[0].outcome.value}: {failures[0].message}" if failures else ""
    if not failures and not settled:
        failure = NOTHING_TO_CAPTURE
    now = utcnow()
    async with uow:
        await uow.orders.load(claimed.order_id, for_update=True)
        await uow.invoices.append(
            claimed.order_id,
            claimed.currency,
            [
                (kind, chunk.amount, chunk.payment_id, claimed.invoice_id, answer.reference)
                for chunk, answer in moved
            ],
            at=now,
        )
        await uow.invoices.conclude(
            claimed.invoice_id,
            claimed.attempt,
            status=InvoiceStatus.paid if settled else InvoiceStatus.open,
            state=PaymentState.settled if settled else PaymentState.failed,
            failure=failure[:200],
            at=now,
        )
        await uow.events.record(
            f"{kind.value}_{'settled' if settled else 'failed'}",
            "invoice",
            claimed.invoice_id,
            {"attempt": claimed.attempt, "amount": str(sum((c.amount for c, _ in moved), ZERO))},
        )
        await uow.commit()
