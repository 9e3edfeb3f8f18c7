"""Custom fields of invoices and of their lines: checked against the metadata, kept as attributes.

An invoice's values (a sales invoice's or a credit memo's) are attributes of owner type
``invoice``, its lines' of ``invoice_line`` (OrderDynamics calls them ``Invoice`` and
``InvoiceLineItem``). Values may be set whatever the invoice's status: they describe it and
never move money, so the ledger is not touched. The invoice's order is locked first, as every
change of an order's money locks it, so a value never races a capture's conclusion.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from orderyard.domain.attribute import Attribute, OwnerType, StoredAttribute
from orderyard.domain.custom_field import FieldValue, check_values
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.invoice import Invoice
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

LINES_MAX = 1000
"""Most lines one write of invoice-line custom fields may name."""


@dataclass(frozen=True, slots=True)
class InvoiceLineFields:
    """Custom field values to set on one line of an invoice, named by its id."""

    line_id: int
    values: Sequence[FieldValue]


@dataclass(frozen=True, slots=True)
class InvoiceFields:
    """What an invoice adds to its answer: its values and its lines' (by line id), by name."""

    own: list[StoredAttribute] = field(default_factory=list)
    lines: dict[int, list[StoredAttribute]] = field(default_factory=dict)


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
        definitions = await uow.custom_fields.by_names(
            OwnerType.invoice, {value.name for value in values}
        )
        kept = check_values(definitions, values, field="custom_fields")
        await _write(uow, OwnerType.invoice, invoice.id, kept)
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
    if not lines or len(lines) > LINES_MAX:
        raise InvalidRequestError(
            f"name 1 to {LINES_MAX} lines of the invoice (got {len(lines)})", field="lines"
        )
    async with uow:
        invoice = await _locked(uow, invoice_id)
        own = {line.id for line in invoice.lines}
        names = {value.name for line in lines for value in line.values}
        definitions = await uow.custom_fields.by_names(OwnerType.invoice_line, names)
        for index, line in enumerate(lines):
            at = f"lines[{index}]"
            if line.line_id not in own:
                raise InvalidRequestError(
                    f"invoice {invoice.id} has no line {line.line_id}", field=f"{at}.line_id"
                )
            kept = check_values(definitions, line.values, field=f"{at}.custom_fields")
            await _write(uow, OwnerType.invoice_line, line.line_id, kept)
        await uow.commit()


async def invoice_fields_of(
    uow: ReadUnitOfWork, invoices: Sequence[Invoice]
) -> list[InvoiceFields]:
    """The custom field values of each invoice answered and of its lines: one statement."""
    if not invoices:
        return []
    async with uow:
        found = await uow.attributes.of_owners(
            {
                OwnerType.invoice: [invoice.id for invoice in invoices],
                OwnerType.invoice_line: [line.id for invoice in invoices for line in invoice.lines],
            }
        )
    lines = found[OwnerType.invoice_line]
    return [
        InvoiceFields(
            found[OwnerType.invoice].get(invoice.id, []),
            {line.id: lines[line.id] for line in invoice.lines if line.id in lines},
        )
        for invoice in invoices
    ]


async def _locked(uow: UnitOfWork, invoice_id: int) -> Invoice:
    """The invoice, read again under its order's lock."""
    found = await uow.invoices.get(invoice_id)
    if found is not None and await uow.orders.load(found.order_id, for_update=True) is not None:
        invoice = await uow.invoices.get(invoice_id)
        if invoice is not None:
            return invoice
    raise NotFoundError(f"invoice {invoice_id} not found", field="invoice_id")


async def _write(
    uow: UnitOfWork, kind: OwnerType, owner_id: int, kept: Sequence[FieldValue]
) -> None:
    """Store checked values on one owner and record the change."""
    written = [Attribute(v.name, v.value) for v in kept if v.value is not None]
    if written:
        await uow.attributes.set_on_many(kind, [owner_id], written)
    await uow.attributes.remove_names(kind, owner_id, [v.name for v in kept if v.value is None])
    await uow.events.record(
        "custom_fields_set", kind.value, owner_id, {"names": [v.name for v in kept]}
    )
