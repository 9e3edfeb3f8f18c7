"""Core invoices, ledger entries, figures and cards to the Payment Processing API's bodies."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from orderyard.dialects.orderdynamics.mappers.order import field_values, fields_out
from orderyard.dialects.orderdynamics.schemas.payment_processing import (
    AvailableAmountsOut,
    CreditCardOut,
    DetailIn,
    InvoiceLineItemsCustomFieldsIn,
    InvoiceLineOut,
    InvoiceOut,
    TransactionOut,
)
from orderyard.domain.errors import DomainError, InvalidRequestError
from orderyard.domain.invoice import Invoice, InvoiceKind, InvoiceStatus
from orderyard.domain.ledger import AvailableAmounts, Transaction
from orderyard.domain.payment import Payment
from orderyard.services.payment.invoice_fields import InvoiceFields, InvoiceLineFields

LINE_PARTS: Final = re.compile(r"^lines\[(\d+)\](\.line_id)?")
"""A core field of an invoice's lines: the body's ``LineItems``, a line named by id its id."""

KIND_WORDS = {InvoiceKind.sales: "Sales", InvoiceKind.credit: "Credit"}
STATUS_WORDS = {InvoiceStatus.open: "Open", InvoiceStatus.paid: "Paid"}


def kind_of(word: str | None) -> InvoiceKind | None:
    """``InvoiceType`` (any case) as a kind.

    Raises:
        InvalidRequestError: not Sales or Credit.
    """
    if word is None:
        return None
    for kind, known in KIND_WORDS.items():
        if word.strip().lower() == known.lower():
            return kind
    raise InvalidRequestError("must be Sales or Credit", field="InvoiceType")


def status_of(word: str | None) -> InvoiceStatus | None:
    """``InvoiceStatus`` (any case) as a status.

    Raises:
        InvalidRequestError: not Open or Paid.
    """
    if word is None:
        return None
    for status, known in STATUS_WORDS.items():
        if word.strip().lower() == known.lower():
            return status
    raise InvalidRequestError("must be Open or Paid", field="InvoiceStatus")


def details_in(details: list[DetailIn]) -> list[tuple[int, int]]:
    """``OrderDetails`` as ``(order line id, quantity)``."""
    return [(detail.order_detail_id, detail.quantity) for detail in details]


def invoice_out(invoice: Invoice, fields: InvoiceFields | None = None) -> InvoiceOut:
    """An invoice or memo as answered, with its custom fields and its lines' when read."""
    fields = fields or InvoiceFields()
    return InvoiceOut(
        invoice_id=invoice.id,
        invoice_type=KIND_WORDS[invoice.kind],
        invoice_status=STATUS_WORDS[invoice.status],
        payment_status=invoice.payment_state.value.title(),
        payment_attempts=invoice.attempts,
        failure_reason=invoice.failure,
        internal_order_id=invoice.order_id,
        external_order_id=invoice.order_number,
        shipment_id=invoice.shipment_id,
        credited_invoice_id=invoice.credited_invoice_id,
        amount=invoice.amount,
        currency_code=invoice.currency,
        create_date_time_utc=invoice.created_at,
        last_updated_date_time_utc=invoice.updated_at,
        line_items=[
            InvoiceLineOut(
                invoice_line_id=line.id,
                order_detail_id=line.order_line_id,
                line_number=line.line_no,
                sku=line.sku,
                quantity=line.quantity,
                amount=line.amount,
                tax_amount=line.tax,
                discount_amount=line.discount,
                custom_fields=fields_out(fields.lines.get(line.id, [])) or [],
            )
            for line in invoice.lines
        ],
        custom_fields=fields_out(fields.own) or [],
    )


def invoice_line_fields(body: InvoiceLineItemsCustomFieldsIn) -> list[InvoiceLineFields]:
    """The core's per-line changes of an invoice line custom-field body."""
    return [
        InvoiceLineFields(item.invoice_line_id, field_values(item.custom_fields))
        for item in body.line_items
    ]


@contextmanager
def invoice_line_words() -> Iterator[None]:
    """Name the fields of an invoice line error as the body does (``LineItems[0]...``)."""
    try:
        yield
    except DomainError as error:
        if error.field:
            error.field = LINE_PARTS.sub(
                lambda m: f"LineItems[{m.group(1)}]" + (".InvoiceLineId" if m.group(2) else ""),
                error.field,
            )
        raise


def transaction_out(entry: Transaction) -> TransactionOut:
    """A ledger entry as answered (its kind in PascalCase: ``OfflineApplied``)."""
    return TransactionOut(
        transaction_id=entry.id,
        transaction_type="".join(part.title() for part in entry.kind.value.split("_")),
        internal_order_id=entry.order_id,
        payment_id=entry.payment_id,
        invoice_id=entry.invoice_id,
        amount=entry.amount,
        currency_code=entry.currency,
        reference=entry.reference,
        create_date_time_utc=entry.created_at,
    )


def amounts_out(amounts: AvailableAmounts) -> AvailableAmountsOut:
    """An order's figures as answered."""
    return AvailableAmountsOut(
        currency_code=amounts.currency,
        authorized_amount=amounts.authorized,
        captured_amount=amounts.captured,
        invoiced_amount=amounts.invoiced,
        credited_amount=amounts.credited,
        refunded_amount=amounts.refunded,
        offline_accepted_amount=amounts.offline_accepted,
        offline_applied_amount=amounts.offline_applied,
        capturable_amount=amounts.capturable,
        refundable_amount=amounts.refundable,
        creditable_amount=amounts.creditable,
        unapplied_offline_amount=amounts.unapplied_offline,
        amount_due=amounts.due,
    )


def card_out(payment: Payment) -> CreditCardOut:
    """A card payment as a card: its payment's id is the ``CardId``."""
    card = payment.card
    return CreditCardOut(
        card_id=payment.id,
        brand=card.brand if card else "",
        last_four=card.last_four if card else "",
        expiry_month=card.expiry_month if card else None,
        expiry_year=card.expiry_year if card else None,
        is_deleted=not (card and card.token),
    )
