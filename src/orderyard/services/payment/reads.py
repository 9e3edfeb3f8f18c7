"""Reads of an order's money: its ledger, its figures, invoices, memos and cards."""

from orderyard.domain.errors import NotFoundError
from orderyard.domain.invoice import Invoice, InvoiceFilter, InvoiceKind
from orderyard.domain.ledger import AvailableAmounts, Transaction, amounts_of
from orderyard.domain.payment import Payment
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.customer import CustomerRef, customer_link
from orderyard.services.order.commands import OrderRef
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


async def _order(uow: ReadUnitOfWork, ref: OrderRef) -> tuple[int, str]:
    view = await uow.orders.get(ref.field, ref.value)
    if view is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return view.id, view.currency


async def order_transactions(
    uow: ReadUnitOfWork, ref: OrderRef, *, invoice_id: int | None = None
) -> list[Transaction]:
    """The order's ledger, oldest first (one invoice's entries when given).

    Raises:
        NotFoundError: no such order (or invoice of it).
    """
    async with uow:
        order_id, _ = await _order(uow, ref)
        if invoice_id is not None:
            invoice = await uow.invoices.get(invoice_id)
            if invoice is None or invoice.order_id != order_id:
                raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")
        return await uow.invoices.ledger(order_id, invoice_id=invoice_id)


async def available_amounts(uow: ReadUnitOfWork, ref: OrderRef) -> AvailableAmounts:
    """The order's money figures, each a sum over its ledger.

    Raises:
        NotFoundError: no such order.
    """
    async with uow:
        order_id, currency = await _order(uow, ref)
        return amounts_of(currency, await uow.invoices.ledger(order_id))


async def search_invoices(
    uow: ReadUnitOfWork, where: InvoiceFilter, page: PageRequest
) -> Page[Invoice]:
    """A page of invoices and memos, newest first."""
    async with uow:
        return await uow.invoices.search(where, page)


async def credit_memos(
    uow: ReadUnitOfWork, customer: CustomerRef, page: PageRequest
) -> Page[Invoice]:
    """A page of the credit memos of a customer's orders (the link rule), newest first.

    Raises:
        NotFoundError: no such customer.
    """
    link = await customer_link(uow, customer)
    async with uow:
        return await uow.invoices.search(InvoiceFilter(kind=InvoiceKind.credit, link=link), page)


async def credit_cards(
    uow: ReadUnitOfWork, customer: CustomerRef, page: PageRequest
) -> Page[Payment]:
    """A page of the cards (as tokens) the customer's orders were paid with, one per token.

    Raises:
        NotFoundError: no such customer.
    """
    link = await customer_link(uow, customer)
    async with uow:
        return await uow.payments.cards_of(link, page)


async def delete_card(uow: UnitOfWork, card_id: int) -> Payment:
    """Delete a card's token (every payment holding it); its brand and last four stay.

    Raises:
        NotFoundError: no such card in this account (or deleted already).
    """
    async with uow:
        payment = await uow.payments.forget_card(card_id)
        if payment is None:
            raise NotFoundError(f"card {card_id} not found", field="card_id")
        await uow.events.record("card_deleted", "payment", card_id, {"at": utcnow().isoformat()})
        await uow.commit()
    return payment
