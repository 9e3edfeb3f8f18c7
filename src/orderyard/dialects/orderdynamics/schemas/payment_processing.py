"""Bodies of the Payment Processing API (docs/dialects/orderdynamics.md, "Payment processing")."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
    CustomFieldOut,
)
from orderyard.dialects.orderdynamics.schemas.payment import Amount
from orderyard.dialects.orderdynamics.wire import Number, WireIn, WireOut
from orderyard.http.wire import Count, Id
from orderyard.services.payment.invoice_fields import LINES_MAX

Currency = Annotated[str, Field(min_length=3, max_length=3)]


def _title_case(value: Any) -> Any:
    return value.strip().title() if isinstance(value, str) else value


IdTypeWord = Annotated[Literal["Order", "Shipment"], BeforeValidator(_title_case)]


class DetailIn(WireIn):
    """Units of one order line: the line's ``OrderDetailId`` as the order answers it."""

    order_detail_id: Id
    quantity: Annotated[Count, Field(ge=1)]


class AutoInvoiceIn(WireIn):
    """``IDType`` ``Order`` (the order's ``ID``, or ``ExternalOrderId``) or ``Shipment``."""

    id_type: IdTypeWord
    id: Id | None = None
    external_order_id: Annotated[str, Field(max_length=100)] | None = None


class ByDetailsIn(WireIn):
    """The order (either id) and the lines and units to invoice."""

    internal_order_id: Id | None = None
    external_order_id: Annotated[str, Field(max_length=100)] | None = None
    order_details: Annotated[list[DetailIn], Field(min_length=1, max_length=1000)]


class InvoiceIdIn(WireIn):
    """An invoice, by its id."""

    invoice_id: Id


class CreditInvoiceIn(WireIn):
    """The invoice to credit and, optionally, which of its units (all that are left by default)."""

    invoice_id: Id
    currency_code: Currency | None = None
    order_details: Annotated[list[DetailIn], Field(min_length=1, max_length=1000)] | None = None


class OfflineAcceptIn(WireIn):
    """Money received for the order outside any gateway."""

    amount: Amount
    currency_code: Currency | None = None
    reference: Annotated[str, Field(max_length=200)] = ""


class OfflineApplyIn(WireIn):
    """Which invoice (oldest open first by default) and how much (all unapplied by default)."""

    invoice_id: Id | None = None
    amount: Amount | None = None
    currency_code: Currency | None = None


class InvoiceLineOut(WireOut):
    """Units of one order line on an invoice or memo."""

    invoice_line_id: int
    order_detail_id: int
    line_number: int
    sku: str
    quantity: int
    amount: Number
    tax_amount: Number
    discount_amount: Number
    custom_fields: list[CustomFieldOut] = Field(default_factory=list)


class InvoiceOut(WireOut):
    """A sales invoice (``InvoiceType`` Sales) or a credit memo (Credit)."""

    invoice_id: int
    invoice_type: str
    invoice_status: str
    payment_status: str
    payment_attempts: int
    failure_reason: str
    internal_order_id: int
    external_order_id: str
    shipment_id: int | None
    credited_invoice_id: int | None
    amount: Number
    currency_code: str
    create_date_time_utc: datetime
    last_updated_date_time_utc: datetime
    line_items: list[InvoiceLineOut]
    custom_fields: list[CustomFieldOut] = Field(default_factory=list)


class InvoiceCustomFieldsIn(WireIn):
    """Custom field values to set on an invoice or memo; null clears one."""

    invoice_id: Id
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class InvoiceLineFieldsIn(WireIn):
    """Custom field values of one line of the invoice, by its ``InvoiceLineId``."""

    invoice_line_id: Id
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class InvoiceLineItemsCustomFieldsIn(WireIn):
    """Custom field values of lines of one invoice: all applied, or none."""

    invoice_id: Id
    line_items: list[InvoiceLineFieldsIn] = Field(min_length=1, max_length=LINES_MAX)


class TransactionOut(WireOut):
    """One entry of an order's ledger."""

    transaction_id: int
    transaction_type: str
    internal_order_id: int
    payment_id: int | None
    invoice_id: int | None
    amount: Number
    currency_code: str
    reference: str
    create_date_time_utc: datetime


class AvailableAmountsOut(WireOut):
    """An order's money figures, each a sum over its ledger."""

    internal_order_id: int | None = None
    external_order_id: str | None = None
    currency_code: str
    authorized_amount: Number
    captured_amount: Number
    invoiced_amount: Number
    credited_amount: Number
    refunded_amount: Number
    offline_accepted_amount: Number
    offline_applied_amount: Number
    capturable_amount: Number
    refundable_amount: Number
    creditable_amount: Number
    unapplied_offline_amount: Number
    amount_due: Number


class CreditCardOut(WireOut):
    """A card as kept: never its number; its token only as whether it is still held."""

    card_id: int
    brand: str
    last_four: str
    expiry_month: int | None
    expiry_year: int | None
    is_deleted: bool


class AppliedOut(WireOut):
    """What an Apply put against which invoices."""

    internal_order_id: int
    amount_applied: Number
    invoice_ids: list[int]
