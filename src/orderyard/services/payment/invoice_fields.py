"""Custom fields of invoices and of their lines: checked against the metadata, kept as attributes.

An invoice's values (a sales invoice's or a credit memo's) are attributes of owner type
``invoice``, its lines' of ``invoice_line`` (OrderDynamics calls them ``Invoice`` and
``InvoiceLineItem``). Values may be set whatever the invoice's status: they describe it and
never move money, so the ledger is not touched. The invoice's order is locked first, as every
change of an order's money locks it, so a value never races a capture's conclusion.
"""

from collections.abc import Sequence

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import NotFoundError
from orderyard.domain.invoice import Invoice
from orderyard.services import document_fields
from orderyard.services.document_fields import (
    LINES_MAX,
    DocumentFields,
    DocumentKind,
    LineFields,
)
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["LINES_MAX", "InvoiceFields", "InvoiceLineFields"]

INVOICE = DocumentKind(OwnerType.invoice, OwnerType.invoice_line, "invoice")
InvoiceLineFields = LineFields
"""Custom field values to set on one line of an invoice, named by its id."""
InvoiceFields = DocumentFields
"""What an invoice adds to its answer: its values and its lines' (by line id), by name."""


async def set_invoice_custom_fields(
    uow: UnitOfWork, invoice_id: int, values: Sequence[FieldValue]
) -> None:
    """Set custom field values on an invoice or memo, all or none; ``None`` clears one.

    Raises:
        NotFoundError: no such invoice in this account.
        InvalidRequestError: a field not defined for invoices, given twice, or a value its
            definition refuses (``custom_fields[1].value``).
    """
    async with uow:
        invoice = await _locked(uow, invoice_id)
        await document_fields.set_own_fields(uow, INVOICE, invoice.id, values)
        await uow.commit()


async def set_invoice_line_custom_fields(
    uow: UnitOfWork, invoice_id: int, lines: Sequence[InvoiceLineFields]
) -> None:
    """Set custom field values on lines of one invoice or memo, all or none.

    Raises:
        NotFoundError: no such invoice in this account.
        InvalidRequestError: no line named or too many (``lines``), a line the invoice does
            not have (``lines[0].line_id``), or a refused value
            (``lines[0].custom_fields[1].value``).
    """
    document_fields.check_line_count(INVOICE, lines)
    async with uow:
        invoice = await _locked(uow, invoice_id)
        line_ids = {line.id for line in invoice.lines}
        await document_fields.set_line_fields(
            uow, INVOICE, invoice.id, line_ids=line_ids, lines=lines
        )
        await uow.commit()


async def invoice_fields_of(
    uow: ReadUnitOfWork, invoices: Sequence[Invoice]
) -> list[InvoiceFields]:
    """The custom field values of each invoice answered and of its lines: one statement."""
    documents = [(invoice.id, [line.id for line in invoice.lines]) for invoice in invoices]
    return await document_fields.fields_of(uow, INVOICE, documents)


async def _locked(uow: UnitOfWork, invoice_id: int) -> Invoice:
    """The invoice, read again under its order's lock."""
    found = await uow.invoices.get(invoice_id)
    if found is not None and await uow.orders.load(found.order_id, for_update=True) is not None:
        invoice = await uow.invoices.get(invoice_id)
        if invoice is not None:
            return invoice
    raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")
