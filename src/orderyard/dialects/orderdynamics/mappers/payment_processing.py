"""Core invoices, ledger entries, figures and cards to the Payment Processing API's bodies."""

from orderyard.dialects.orderdynamics.schemas.payment_processing import (
    AvailableAmountsOut,
    CreditCardOut,
    DetailIn,
    InvoiceLineOut,
    InvoiceOut,
    TransactionOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.invoice import Invoice, InvoiceKind, InvoiceStatus
from orderyard.domain.ledger import AvailableAmounts, Transaction
from orderyard.domain.payment import Payment

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


def invoice_out(invoice: Invoice) -> InvoiceOut:
    """An invoice or memo as answered."""
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
            )
            for line in invoice.lines
        ],
    )


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
