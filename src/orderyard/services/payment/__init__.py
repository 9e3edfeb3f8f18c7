"""Payment processing: invoices, captures, credit memos, refunds, offline payments, cards."""

from orderyard.services.payment.credits import credit_invoice, credit_returned_units, run_refunds
from orderyard.services.payment.invoicing import (
    auto_invoice_order,
    auto_invoice_shipment,
    invoice_by_details,
    retry_payment,
)
from orderyard.services.payment.offline import Applied, accept_offline, apply_offline
from orderyard.services.payment.reads import (
    available_amounts,
    credit_cards,
    credit_memos,
    delete_card,
    order_transactions,
    search_invoices,
)

__all__ = [
    "Applied",
    "accept_offline",
    "apply_offline",
    "auto_invoice_order",
    "auto_invoice_shipment",
    "available_amounts",
    "credit_cards",
    "credit_invoice",
    "credit_memos",
    "credit_returned_units",
    "delete_card",
    "invoice_by_details",
    "order_transactions",
    "retry_payment",
    "run_refunds",
    "search_invoices",
]
