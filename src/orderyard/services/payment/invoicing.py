"""Sales invoices: raised for what shipped (AutoInvoice, by details), captured, retried.

Raising an invoice is one transaction with the order's row locked (so two raisers take
turns, and the second sees the first's units as invoiced), which also claims the capture;
the gateway is then called with no transaction open (``calls``).
"""

from collections.abc import Callable, Sequence

from orderyard.domain.errors import ConflictError, NotFoundError
from orderyard.domain.invoice import (
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    PaymentState,
    draft,
    pick_units,
)
from orderyard.domain.order import Order, OrderLine
from orderyard.domain.payment import TransactionKind
from orderyard.kit.clock import utcnow
from orderyard.services.order.commands import OrderRef
from orderyard.services.payment import calls
from orderyard.store.uow import UnitOfWork

Picker = Callable[[Order, dict[int, int]], list[tuple[OrderLine, int]]]
"""Chooses the units to invoice from the locked order and each line's open units."""


async def locked_order(uow: UnitOfWork, ref: OrderRef) -> Order:
    """The order ``ref`` names, its row locked until the transaction ends.

    Raises:
        NotFoundError: no such order in this account.
    """
    order_id = ref.value if ref.field == "id" else await uow.orders.find_id(ref.field, ref.value)
    order = None if order_id is None else await uow.orders.load(int(order_id), for_update=True)
    if order is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return order


async def read_invoice(uow: UnitOfWork, invoice_id: int) -> Invoice:
    """An invoice as it is now (its own short transaction)."""
    async with uow:
        found = await uow.invoices.get(invoice_id)
    if found is None:
        raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")
    return found


async def _raise(
    uow: UnitOfWork, ref: OrderRef, pick: Picker, *, shipment_id: int | None = None
) -> Invoice:
    async with uow:
        order = await locked_order(uow, ref)
        if shipment_id is not None and shipment_id in await uow.invoices.invoiced_shipments(
            order.id
        ):
            raise ConflictError(f"shipment {shipment_id} is invoiced already", field="id")
        invoiced = await uow.invoices.billed_units(order.id, InvoiceKind.sales)
        open_units = {line.id: line.shipped - invoiced.get(line.id, 0) for line in order.lines}
        billed = draft(pick(order, open_units), invoiced, order.header.currency)
        now = utcnow()
        invoice_id = await uow.invoices.add(
            order.id,
            InvoiceKind.sales,
            billed,
            state=PaymentState.none,
            at=now,
            shipment_id=shipment_id,
        )
        entry = (TransactionKind.invoice, billed.amount, None, invoice_id, "")
        await uow.invoices.append(order.id, order.header.currency, [entry], at=now)
        claimed = await calls.claim(uow, order.id, invoice_id)
        await uow.events.record(
            "invoice_raised",
            "invoice",
            invoice_id,
            {"order_id": order.id, "amount": str(billed.amount), "shipment_id": shipment_id},
        )
        await uow.commit()
    if claimed is not None:
        await calls.run(uow, claimed)
    return await read_invoice(uow, invoice_id)


def _everything_open(order: Order, open_units: dict[int, int]) -> list[tuple[OrderLine, int]]:
    picked = [(line, open_units[line.id]) for line in order.lines if open_units[line.id] > 0]
    if not picked:
        raise ConflictError("nothing shipped is left to invoice", field="id")
    return picked


async def auto_invoice_order(uow: UnitOfWork, ref: OrderRef) -> Invoice:
    """Invoice everything of the order that shipped and is not invoiced yet.

    Raises:
        NotFoundError: no such order.
        ConflictError: nothing shipped is left to invoice.
    """
    return await _raise(uow, ref, _everything_open)


async def auto_invoice_shipment(uow: UnitOfWork, shipment_id: int) -> Invoice:
    """Invoice one shipped shipment's units (those not invoiced otherwise already).

    Raises:
        NotFoundError: no such shipment in this account.
        ConflictError: not shipped, invoiced already, or its units are invoiced already.
    """
    async with uow:
        found = await uow.invoices.shipped_units(shipment_id)
    if found is None:
        raise NotFoundError(f"shipment {shipment_id} not found", field="id")
    order_id, units = found
    if not units:
        raise ConflictError(f"shipment {shipment_id} has not shipped", field="id")

    def pick(order: Order, open_units: dict[int, int]) -> list[tuple[OrderLine, int]]:
        picked = [
            (line, min(units[line.id], open_units[line.id]))
            for line in order.lines
            if line.id in units and min(units[line.id], open_units[line.id]) > 0
        ]
        if not picked:
            raise ConflictError(f"shipment {shipment_id}'s units are invoiced already", field="id")
        return picked

    return await _raise(uow, OrderRef("id", order_id), pick, shipment_id=shipment_id)


async def invoice_by_details(
    uow: UnitOfWork, ref: OrderRef, wanted: Sequence[tuple[int, int]]
) -> Invoice:
    """Invoice chosen ``(order line id, quantity)``: never more than shipped and not invoiced.

    Raises:
        NotFoundError: no such order.
        InvalidRequestError: a line not the order's, given twice, or a quantity below 1.
        ConflictError: more units than the line has shipped and not invoiced.
    """
    return await _raise(
        uow, ref, lambda order, open_units: pick_units(order.lines, wanted, open_units)
    )


async def retry_payment(uow: UnitOfWork, invoice_id: int) -> Invoice:
    """Capture again what an open invoice still bills; a settled one is never taken twice.

    Raises:
        NotFoundError: no such invoice (sales) in this account.
        ConflictError: the invoice is paid, or its capture is in flight right now.
    """
    async with uow:
        invoice = await uow.invoices.get(invoice_id)
        if invoice is None or invoice.kind is not InvoiceKind.sales:
            raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")
        await uow.orders.load(invoice.order_id, for_update=True)
        invoice = await uow.invoices.get(invoice_id)
        assert invoice is not None  # noqa: S101 - locked through its order, never deleted
        _retryable(invoice)
        claimed = await calls.claim(uow, invoice.order_id, invoice_id)
        await uow.events.record("payment_retried", "invoice", invoice_id, {})
        await uow.commit()
    if claimed is not None:
        await calls.run(uow, claimed)
    return await read_invoice(uow, invoice_id)


def _retryable(invoice: Invoice) -> None:
    if invoice.status is InvoiceStatus.paid:
        raise ConflictError(f"invoice {invoice.id} is paid already", field="invoice_id")
    if invoice.payment_state is PaymentState.pending:
        age = utcnow() - invoice.updated_at
        if age < calls.STALE_AFTER:
            raise ConflictError(f"invoice {invoice.id}'s capture is in flight", field="invoice_id")
