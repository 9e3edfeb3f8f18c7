"""The Payment Processing API: invoices, the ledger, credit memos, cards, offline payments.

Thin: each route maps its query or body to one service call (services/payment) and answers
its result (docs/dialects/orderdynamics.md, "Payment processing").
"""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import payment_processing as mappers
from orderyard.dialects.orderdynamics.mappers.order import field_values, order_ref
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.routes.customers import (
    ExternalCustomerId,
    InternalCustomerId,
)
from orderyard.dialects.orderdynamics.routes.orders import ExternalOrderId, InternalOrderId
from orderyard.dialects.orderdynamics.schemas.payment_processing import (
    AppliedOut,
    AutoInvoiceIn,
    AvailableAmountsOut,
    ByDetailsIn,
    CreditCardOut,
    CreditInvoiceIn,
    InvoiceCustomFieldsIn,
    InvoiceIdIn,
    InvoiceLineItemsCustomFieldsIn,
    InvoiceOut,
    OfflineAcceptIn,
    OfflineApplyIn,
    TransactionOut,
)
from orderyard.dialects.orderdynamics.wire import UtcDateTime
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.invoice import Invoice, InvoiceFilter
from orderyard.domain.values import ID_MAX, PageRequest
from orderyard.services import payment as service
from orderyard.services.customer import CustomerRef
from orderyard.services.payment import invoice_fields

router = APIRouter(tags=["payment processing"])
BASE = "/v1/paymentprocessing"
InvoiceIdQuery = Annotated[
    int | None, Query(alias="InvoiceId", ge=1, le=ID_MAX, description="An invoice's id.")
]


@router.get(f"{BASE}/OrderTransactions", responses=documented(404), name="Get order transactions")
async def order_transactions(
    read: ReadUowDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
    invoice_id: InvoiceIdQuery = None,
) -> list[TransactionOut]:
    """The order's ledger of money, oldest first (one invoice's entries with `InvoiceId`)."""
    ledger = await service.order_transactions(
        read, order_ref(internal, external), invoice_id=invoice_id
    )
    return [mappers.transaction_out(entry) for entry in ledger]


@router.get(f"{BASE}/Invoices", responses=documented(), name="Get invoices")
async def get_invoices(  # noqa: PLR0913 - the seed's parameters, each a query parameter
    read: ReadUowDep,
    page: PageDep,
    after: Annotated[
        UtcDateTime | None, Query(alias="CreateDateTimeUtcAfter", description="Excluded.")
    ] = None,
    before: Annotated[
        UtcDateTime | None, Query(alias="CreateDateTimeUtcBefore", description="Excluded.")
    ] = None,
    invoice_id: InvoiceIdQuery = None,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
    status: Annotated[
        str | None, Query(alias="InvoiceStatus", max_length=20, description="Open or Paid.")
    ] = None,
    kind: Annotated[
        str | None, Query(alias="InvoiceType", max_length=20, description="Sales or Credit.")
    ] = None,
) -> Paged[InvoiceOut]:
    """A page of invoices and credit memos, newest first."""
    where = InvoiceFilter(
        created_after=after,
        created_before=before,
        invoice_id=invoice_id,
        order_id=internal,
        order_number=external,
        status=mappers.status_of(status),
        kind=mappers.kind_of(kind),
    )
    found = await service.search_invoices(read, where, page)
    return paged(found, await _with_fields(read, found.items))


@router.post(f"{BASE}/Invoices/AutoInvoice", responses=documented(404, 409), name="Auto invoice")
async def auto_invoice(body: AutoInvoiceIn, uow: UowDep) -> InvoiceOut:
    """Invoice what shipped and is not invoiced: of an order, or of one shipment; capture it."""
    if body.id_type == "Shipment":
        if body.id is None:
            raise InvalidRequestError("the shipment's id is required", field="Id")
        invoice = await service.auto_invoice_shipment(uow, body.id)
    else:
        invoice = await service.auto_invoice_order(uow, order_ref(body.id, body.external_order_id))
    return mappers.invoice_out(invoice)


@router.post(
    f"{BASE}/Invoices/SalesInvoiceByDetails",
    responses=documented(404, 409),
    name="Create sales invoice by details",
)
async def invoice_by_details(body: ByDetailsIn, uow: UowDep) -> InvoiceOut:
    """Invoice chosen lines and units (never more than shipped and not invoiced); capture it."""
    invoice = await service.invoice_by_details(
        uow,
        order_ref(body.internal_order_id, body.external_order_id),
        mappers.details_in(body.order_details),
    )
    return mappers.invoice_out(invoice)


@router.get(
    f"{BASE}/OrderAvailableAmounts", responses=documented(404), name="Get available order amounts"
)
async def available_amounts(
    read: ReadUowDep, internal: InternalOrderId = None, external: ExternalOrderId = None
) -> AvailableAmountsOut:
    """What the order authorized, captured, invoiced, credited, refunded, and what remains."""
    ref = order_ref(internal, external)
    answer = mappers.amounts_out(await service.available_amounts(read, ref))
    return answer.model_copy(update={"internal_order_id": internal, "external_order_id": external})


@router.get(f"{BASE}/CreditCards", responses=documented(404), name="Get credit cards")
async def credit_cards(
    read: ReadUowDep,
    page: PageDep,
    internal: InternalCustomerId = None,
    external: ExternalCustomerId = None,
) -> Paged[CreditCardOut]:
    """The cards (as tokens) a customer's orders were paid with, newest first."""
    found = await service.credit_cards(read, CustomerRef(internal, external), page)
    return paged(found, [mappers.card_out(payment) for payment in found.items])


@router.delete(f"{BASE}/CreditCards", responses=documented(404), name="Delete credit cards")
async def delete_card(
    uow: UowDep,
    card_id: Annotated[int, Query(alias="CardId", ge=1, le=ID_MAX, description="The card.")],
) -> CreditCardOut:
    """Delete the card's token; its brand and last four stay for the books."""
    return mappers.card_out(await service.delete_card(uow, card_id))


@router.get(f"{BASE}/CreditMemos", responses=documented(404), name="Get credit memos")
async def credit_memos(
    read: ReadUowDep,
    page: PageDep,
    internal: InternalCustomerId = None,
    external: ExternalCustomerId = None,
) -> Paged[InvoiceOut]:
    """The credit memos of a customer's orders, newest first."""
    found = await service.credit_memos(read, CustomerRef(internal, external), page)
    return paged(found, await _with_fields(read, found.items))


@router.post(
    f"{BASE}/Invoices/PaymentRetry", responses=documented(404, 409), name="Invoice payment retry"
)
async def payment_retry(body: InvoiceIdIn, uow: UowDep, read: ReadUowDep) -> InvoiceOut:
    """Capture again what an open invoice still bills (settled once, never twice)."""
    [answer] = await _with_fields(read, [await service.retry_payment(uow, body.invoice_id)])
    return answer


@router.put(
    f"{BASE}/Invoices/CustomFields", responses=documented(404), name="Update invoice custom fields"
)
async def put_invoice_fields(
    body: InvoiceCustomFieldsIn, uow: UowDep, read: ReadUowDep
) -> InvoiceOut:
    """Set custom field values on an invoice or memo (null clears one); all of them, or none."""
    values = field_values(body.custom_fields)
    await invoice_fields.set_invoice_custom_fields(uow, body.invoice_id, values)
    return await _one(read, body.invoice_id)


@router.put(
    f"{BASE}/Invoices/LineItems/CustomFields",
    responses=documented(404),
    name="Update invoice line item custom fields",
)
async def put_invoice_line_fields(
    body: InvoiceLineItemsCustomFieldsIn, uow: UowDep, read: ReadUowDep
) -> InvoiceOut:
    """Set custom field values on lines of an invoice, by `InvoiceLineId`; all or none."""
    lines = mappers.invoice_line_fields(body)
    with mappers.invoice_line_words():
        await invoice_fields.set_invoice_line_custom_fields(uow, body.invoice_id, lines)
    return await _one(read, body.invoice_id)


async def _one(read: ReadUowDep, invoice_id: int) -> InvoiceOut:
    found = await service.search_invoices(
        read, InvoiceFilter(invoice_id=invoice_id), PageRequest(1, 1)
    )
    [answer] = await _with_fields(read, found.items)
    return answer


async def _with_fields(read: ReadUowDep, found: Sequence[Invoice]) -> list[InvoiceOut]:
    fields = await invoice_fields.invoice_fields_of(read, found)
    return [mappers.invoice_out(i, f) for i, f in zip(found, fields, strict=True)]


@router.post(
    f"{BASE}/Invoices/CreditInvoice", responses=documented(404, 409), name="Credit invoice"
)
async def credit_invoice(body: CreditInvoiceIn, uow: UowDep) -> InvoiceOut:
    """Credit an invoice (or some of its units): a credit memo, refunded through the gateway."""
    details = None if body.order_details is None else mappers.details_in(body.order_details)
    memo = await service.credit_invoice(uow, body.invoice_id, details, currency=body.currency_code)
    return mappers.invoice_out(memo)


@router.post(
    f"{BASE}/OfflinePayment/Accept", responses=documented(404), name="Accept offline payment"
)
async def accept_offline(
    body: OfflineAcceptIn,
    uow: UowDep,
    read: ReadUowDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
) -> list[TransactionOut]:
    """Record money received outside any gateway; answer its ledger entry."""
    ref = order_ref(internal, external)
    payment = await service.accept_offline(
        uow, ref, body.amount, currency=body.currency_code, reference=body.reference
    )
    ledger = await service.order_transactions(read, ref)
    return [mappers.transaction_out(e) for e in ledger if e.payment_id == payment.id]


@router.post(
    f"{BASE}/OfflinePayment/Apply", responses=documented(404, 409), name="Apply offline payment"
)
async def apply_offline(
    body: OfflineApplyIn,
    uow: UowDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
) -> AppliedOut:
    """Put accepted offline money against the order's open invoices."""
    applied = await service.apply_offline(
        uow,
        order_ref(internal, external),
        invoice_id=body.invoice_id,
        amount=body.amount,
        currency=body.currency_code,
    )
    return AppliedOut(
        internal_order_id=applied.order_id,
        amount_applied=applied.amount,
        invoice_ids=list(applied.invoice_ids),
    )


ROUTERS = (router,)
