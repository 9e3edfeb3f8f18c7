"""Offline payments: money received outside any gateway (Accept), put against invoices (Apply)."""

from dataclasses import dataclass
from decimal import Decimal

from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.invoice import Invoice, InvoiceKind, InvoiceStatus, PaymentState
from orderyard.domain.ledger import Transaction, amounts_of
from orderyard.domain.payment import Payment, TransactionKind, refuse_card_number
from orderyard.domain.values import to_decimal
from orderyard.kit.clock import utcnow
from orderyard.services.order.commands import OrderRef
from orderyard.services.payment.calls import owed_on
from orderyard.services.payment.credits import check_currency
from orderyard.services.payment.invoicing import locked_order
from orderyard.store.uow import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Applied:
    """What one Apply put against which invoices."""

    order_id: int
    amount: Decimal
    invoice_ids: tuple[int, ...]


async def accept_offline(
    uow: UnitOfWork,
    ref: OrderRef,
    amount: Decimal,
    *,
    currency: str | None = None,
    reference: str = "",
) -> Payment:
    """Record money received for the order outside any gateway (cash, cheque, transfer).

    Raises:
        NotFoundError: no such order.
        InvalidRequestError: an amount not above 0, another currency, a card number.
    """
    amount = to_decimal(amount, field="amount")
    if amount <= 0:
        raise InvalidRequestError("must be more than 0", field="amount")
    refuse_card_number(reference, field="reference")
    async with uow:
        order = await locked_order(uow, ref)
        check_currency(currency, order.header.currency)
        payment = await uow.payments.add_offline(
            order.id, amount, order.header.currency, reference, at=utcnow()
        )
        await uow.events.record(
            "offline_payment_accepted", "order", order.id, {"amount": str(amount)}
        )
        await uow.commit()
    return payment


def _unapplied(ledger: list[Transaction]) -> list[tuple[int, Decimal]]:
    left: dict[int, Decimal] = {}
    for entry in ledger:
        if entry.payment_id is None:
            continue
        if entry.kind is TransactionKind.offline_accepted:
            left[entry.payment_id] = left.get(entry.payment_id, ZERO) + entry.amount
        elif entry.kind is TransactionKind.offline_applied:
            left[entry.payment_id] = left.get(entry.payment_id, ZERO) - entry.amount
    return [(payment_id, amount) for payment_id, amount in sorted(left.items()) if amount > 0]


Entry = tuple[TransactionKind, Decimal, int | None, int | None, str]


def _spread(
    targets: list[Invoice], ledger: list[Transaction], wanted: Decimal
) -> tuple[list[Entry], list[int]]:
    """The entries putting ``wanted`` against the invoices, oldest offline money first."""
    sources = _unapplied(ledger)
    entries: list[Entry] = []
    paid: list[int] = []
    for invoice in targets:
        due = owed_on(invoice, ledger)
        owed = min(due, wanted)
        if owed <= 0:
            continue
        wanted -= owed
        if owed == due:
            paid.append(invoice.id)
        while owed > 0:
            payment_id, left = sources[0]
            take = min(left, owed)
            entries.append((TransactionKind.offline_applied, take, payment_id, invoice.id, ""))
            owed -= take
            sources[0] = (payment_id, left - take)
            if sources[0][1] == 0:
                sources.pop(0)
    return entries, paid


async def apply_offline(
    uow: UnitOfWork,
    ref: OrderRef,
    *,
    invoice_id: int | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
) -> Applied:
    """Put accepted offline money against the order's open invoices (one, or oldest first).

    ``amount`` defaults to all that is unapplied, as far as the invoices bill.

    Raises:
        NotFoundError: no such order, or the invoice is not its sales invoice.
        ConflictError: no unapplied offline money, more than is unapplied, nothing owed.
    """
    async with uow:
        order = await locked_order(uow, ref)
        check_currency(currency, order.header.currency)
        ledger = await uow.invoices.ledger(order.id)
        unapplied = amounts_of(order.header.currency, ledger).unapplied_offline
        wanted = unapplied if amount is None else to_decimal(amount, field="amount")
        if wanted <= 0 or wanted > unapplied:
            raise ConflictError(
                f"{wanted} is not within the unapplied offline money ({unapplied})", field="amount"
            )
        invoices = await uow.invoices.of_order(order.id, InvoiceKind.sales)
        if invoice_id is not None:
            invoices = [invoice for invoice in invoices if invoice.id == invoice_id]
            if not invoices:
                raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")
        targets = [
            invoice
            for invoice in invoices
            if invoice.status is InvoiceStatus.open
            and invoice.payment_state is not PaymentState.pending
        ]
        entries, paid = _spread(targets, ledger, wanted)
        for paid_id in paid:
            await uow.invoices.note(
                paid_id,
                status=InvoiceStatus.paid,
                state=PaymentState.settled,
                failure="",
                at=utcnow(),
            )
        touched = sorted({entry[3] for entry in entries if entry[3] is not None})
        if not entries:
            raise ConflictError("no open invoice of the order is owed money", field="invoice_id")
        await uow.invoices.append(order.id, order.header.currency, entries, at=utcnow())
        total = sum((entry[1] for entry in entries), ZERO)
        await uow.events.record(
            "offline_payment_applied",
            "order",
            order.id,
            {"amount": str(total), "invoice_ids": touched},
        )
        await uow.commit()
    return Applied(order.id, total, tuple(touched))
