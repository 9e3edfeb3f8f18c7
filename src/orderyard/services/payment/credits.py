"""Credit memos: credit an invoice (or part of it), and credit returned units.

A memo gives back units of a sales invoice: each line's price for them and its share of the
line's tax and discount, by the rounding rule of ``domain/invoice.py`` counted over the
units the line has had credited (so a line's memos add up to its total, to the cent). A
memo never gives back more than the order was paid and not credited yet (captured plus
offline money applied, less earlier memos); its refund goes through the gateway of the
payments that paid, oldest first, outside the transaction (``calls``).
"""

from collections.abc import Sequence
from decimal import Decimal

from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.invoice import (
    Draft,
    Invoice,
    InvoiceKind,
    PaymentState,
    draft,
    pick_units,
)
from orderyard.domain.ledger import amounts_of
from orderyard.domain.order import Order
from orderyard.domain.payment import TransactionKind
from orderyard.kit.clock import utcnow
from orderyard.services.payment import calls
from orderyard.services.payment.invoicing import read_invoice
from orderyard.store.uow import UnitOfWork

SHIPPING_REFUND = Decimal(0)
"""Orders carry no shipping charge of their own (their totals are their lines'), so the
shipping refund of a return is nothing, whatever ``shipping_refund`` says: the flag is kept
for the day an order keeps its shipping charge (docs/dialects/orderdynamics.md)."""


def check_currency(currency: str | None, order_currency: str) -> None:
    """Refuse an amount in another currency than the order's.

    Raises:
        InvalidRequestError: naming ``currency_code``.
    """
    if currency is not None and currency.upper() != order_currency.upper():
        raise InvalidRequestError(
            f"must be the order's currency ({order_currency})", field="currency_code"
        )


async def _issue(
    uow: UnitOfWork, order: Order, invoice: Invoice, memo: Draft
) -> tuple[int, calls.Claimed | None]:
    amounts = amounts_of(order.header.currency, await uow.invoices.ledger(order.id))
    if memo.amount > amounts.creditable:
        raise ConflictError(
            f"{memo.amount} is more than the order may have credited ({amounts.creditable})",
            field="amount",
        )
    now = utcnow()
    memo_id = await uow.invoices.add(
        order.id,
        InvoiceKind.credit,
        memo,
        state=PaymentState.none,
        at=now,
        credited_invoice_id=invoice.id,
    )
    entry = (TransactionKind.credit, memo.amount, None, memo_id, "")
    await uow.invoices.append(order.id, order.header.currency, [entry], at=now)
    claimed = await calls.claim(uow, order.id, memo_id)
    await uow.events.record(
        "credit_memo_issued",
        "invoice",
        memo_id,
        {"order_id": order.id, "invoice_id": invoice.id, "amount": str(memo.amount)},
    )
    return memo_id, claimed


async def credit_invoice(
    uow: UnitOfWork,
    invoice_id: int,
    wanted: Sequence[tuple[int, int]] | None = None,
    *,
    currency: str | None = None,
) -> Invoice:
    """Credit units of a sales invoice (all it has not had credited, by default); refund them.

    Raises:
        NotFoundError: no such sales invoice in this account.
        InvalidRequestError: a line not the invoice's, a quantity below 1, another currency.
        ConflictError: more units than the invoice has left to credit, or more money than
            the order was paid and not credited yet.
    """
    async with uow:
        found = await uow.invoices.get(invoice_id)
        if found is None or found.kind is not InvoiceKind.sales:
            raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")
        order = await uow.orders.load(found.order_id, for_update=True)
        assert order is not None  # noqa: S101 - an invoice's order is never deleted
        check_currency(currency, order.header.currency)
        on_invoice = await uow.invoices.billed_units(
            order.id, InvoiceKind.sales, invoice_id=invoice_id
        )
        done = await uow.invoices.billed_units(order.id, InvoiceKind.credit, invoice_id=invoice_id)
        left = {line_id: units - done.get(line_id, 0) for line_id, units in on_invoice.items()}
        if wanted is None:
            wanted = [(line_id, units) for line_id, units in left.items() if units > 0]
            if not wanted:
                raise ConflictError(f"invoice {invoice_id} is credited already", field="invoice_id")
        invoice_lines = [line for line in order.lines if line.id in on_invoice]
        credited = await uow.invoices.billed_units(order.id, InvoiceKind.credit)
        memo = draft(pick_units(invoice_lines, wanted, left), credited, order.header.currency)
        memo_id, claimed = await _issue(uow, order, found, memo)
        await uow.commit()
    if claimed is not None:
        await calls.run(uow, claimed)
    return await read_invoice(uow, memo_id)


async def credit_returned_units(
    uow: UnitOfWork,
    order_id: int,
    units: Sequence[tuple[int, int]],
    *,
    shipping_refund: bool,
) -> list[calls.Claimed]:
    """Issue credit memos for returned ``(order line id, quantity)``, in the caller's transaction.

    For the returns commit to call inside its own unit of work (already open, the order
    locked or about to be): units are credited against the order's sales invoices, oldest
    first, as far as they were invoiced and not credited; returned units never invoiced are
    not credited (nothing was billed for them). ``shipping_refund`` adds ``SHIPPING_REFUND``.
    Answers the memos' refunds, claimed in the caller's transaction: ``run_refunds`` runs
    them once the caller has committed.

    Raises:
        ConflictError: the memos would credit more than the order was paid.
    """
    order = await uow.orders.load(order_id, for_update=True)
    if order is None:
        raise NotFoundError(f"order {order_id} not found", field="order")
    remaining = dict(units)
    credited = await uow.invoices.billed_units(order_id, InvoiceKind.credit)
    memos: list[calls.Claimed] = []
    for invoice in await uow.invoices.of_order(order_id, InvoiceKind.sales):
        done = await uow.invoices.billed_units(order_id, InvoiceKind.credit, invoice_id=invoice.id)
        wanted = []
        for line in invoice.lines:
            take = min(
                remaining.get(line.order_line_id, 0),
                line.quantity - done.get(line.order_line_id, 0),
            )
            if take > 0:
                wanted.append((line.order_line_id, take))
                remaining[line.order_line_id] -= take
        if not wanted:
            continue
        lines = [line for line in order.lines if line.id in dict(wanted)]
        memo = draft(pick_units(lines, wanted, dict(wanted)), credited, order.header.currency)
        for share in memo.shares:
            credited[share.order_line_id] = credited.get(share.order_line_id, 0) + share.quantity
        _, claimed = await _issue(uow, order, invoice, memo)
        if claimed is not None:
            memos.append(claimed)
    if shipping_refund and SHIPPING_REFUND:
        raise InvalidRequestError("orders keep no shipping charge", field="shipping_refund")
    return memos


async def run_refunds(uow: UnitOfWork, claims: Sequence[calls.Claimed]) -> None:
    """Run the refunds ``credit_returned_units`` claimed, once its caller has committed.

    Each is a gateway call outside any transaction, its outcome recorded in one of its own
    (``calls.run``); a refund that fails stays open on its memo, to be retried.
    """
    for claimed in claims:
        await calls.run(uow, claimed)
