"""Bad inputs on every Payment Processing endpoint: refused as problems, nothing written.

One account's books (``books``): order A paid by a test-gateway card, shipped, invoiced and
captured; order B without a payment, shipped, invoiced and open, with 5.00 of offline money
accepted; customer C-9 (whose orders both are). Each case sends one bad request and checks its
status and the field its problem names; after each, the books are unchanged: the ledger, the
invoices (status, payment state, attempts), their lines, the payments (card tokens included),
the custom field values and the event log.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from orderyard.domain.gateway import Outcome
from orderyard.services.payment.gateways import SCRIPTED
from orderyard.store.tables import invoices, payments
from tests.dialects.orderdynamics.test_order_custom_fields import define
from tests.dialects.orderdynamics.test_orders import order_body
from tests.dialects.orderdynamics.test_payment_processing import BASE, VISA, auto, placed
from tests.factories import Factory
from tests.services.checks import count_rows

FOREIGN = "foreign"
"""Stands for the second account's key in a case's headers."""


@pytest.fixture(autouse=True)
def gateway() -> Iterator[None]:
    """The scripted gateway, approving."""
    SCRIPTED.reset()
    SCRIPTED.default = Outcome.approved
    yield
    SCRIPTED.reset()


@dataclass(frozen=True)
class Books:
    """The ids the cases refer to."""

    a: int
    b: int
    a_line: int
    b_line: int
    a_invoice: int
    a_invoice_line: int
    b_invoice: int
    card: int
    shipment_a: int


@pytest.fixture
async def books(od: httpx.AsyncClient, make: Factory) -> Books:
    order = await placed(od, make)
    a = order["InternalOrderId"]
    shipment_a = await make.ship(a)
    a_invoice = (await auto(od, a)).json()
    second = await od.post("/v1/orders", json=order_body("EXT-2", Payments=[]))
    assert second.status_code == 201, second.text
    b = second.json()["InternalOrderId"]
    await make.ship(b)
    b_invoice = (await auto(od, b)).json()
    accepted = await od.post(
        f"{BASE}/OfflinePayment/Accept", params={"InternalOrderId": b}, json={"Amount": 5}
    )
    assert accepted.status_code == 200, accepted.text
    customer = {"ExternalCustomerId": "C-9", "Email": "jane@example.com"}
    assert (await od.post("/v1/customers", json=customer)).status_code == 201
    cards = await od.get(f"{BASE}/CreditCards", params={"ExternalCustomerId": "C-9"})
    await define(od, "Invoice", "Batch", "Text")
    return Books(
        a=a,
        b=b,
        a_line=order["OrderDetails"][0]["OrderDetailId"],
        b_line=second.json()["OrderDetails"][0]["OrderDetailId"],
        a_invoice=a_invoice["InvoiceId"],
        a_invoice_line=a_invoice["LineItems"][0]["InvoiceLineId"],
        b_invoice=b_invoice["InvoiceId"],
        card=cards.json()["Items"][0]["CardId"],
        shipment_a=shipment_a,
    )


@dataclass(frozen=True)
class Case:
    """One bad request and what it must answer."""

    method: str
    path: str
    status: int
    errors: list[str] | None = None
    """The fields the problem names (None: not checked, e.g. a 404's)."""
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    foreign: bool = False


async def state(make: Factory) -> Any:
    """Everything a payment-processing write may change."""
    async with make.uow() as uow:
        found = await uow.conn.execute(
            select(
                invoices.c.id, invoices.c.status, invoices.c.payment_state, invoices.c.attempts
            ).where(invoices.c.account_id == make.account_id)
        )
        kept = await uow.conn.execute(
            select(payments.c.id, payments.c.card_token).where(
                payments.c.account_id == make.account_id
            )
        )
        rows = (sorted(tuple(r) for r in found), sorted(tuple(r) for r in kept))
    counts = [
        await count_rows(make, table)
        for table in ("payment_transactions", "invoice_lines", "attributes", "events")
    ]
    return rows, counts


async def refused(od: httpx.AsyncClient, make: Factory, other_key: str, cases: list[Case]) -> None:
    """Each case answers its status in the problem shape and writes nothing."""
    for case in cases:
        before = await state(make)
        headers = {"Ocp-Apim-Subscription-Key": other_key} if case.foreign else {}
        response = await od.request(
            case.method, case.path, params=case.params, json=case.body, headers=headers
        )
        assert response.status_code == case.status, (case, response.text)
        problem = response.json()
        assert problem["status"] == case.status, case
        assert response.headers["content-type"].startswith("application/problem+json"), case
        if case.errors is not None:
            assert sorted(problem.get("errors", {})) == sorted(case.errors), (case, problem)
        assert VISA not in response.text
        assert await state(make) == before, case


async def test_order_transactions_and_available_amounts(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    tx, amounts = f"{BASE}/OrderTransactions", f"{BASE}/OrderAvailableAmounts"
    cases = [
        Case("GET", tx, 404, params={"InternalOrderId": 999_999}),
        Case("GET", tx, 404, params={"ExternalOrderId": "NOPE"}),
        Case("GET", tx, 404, params={"InternalOrderId": books.a}, foreign=True),
        Case("GET", tx, 404, params={"InternalOrderId": books.a, "InvoiceId": books.b_invoice}),
        Case("GET", tx, 400, ["InternalOrderId"], params={"InternalOrderId": "one"}),
        Case("GET", tx, 400, ["InvoiceId"], params={"InternalOrderId": books.a, "InvoiceId": 0}),
        Case("GET", amounts, 404, params={"InternalOrderId": 999_999}),
        Case("GET", amounts, 404, params={"InternalOrderId": books.a}, foreign=True),
        Case("GET", amounts, 400, ["InternalOrderId"], params={"InternalOrderId": "1.5"}),
    ]
    await refused(od, make, other_key, cases)


async def test_get_invoices(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    path = f"{BASE}/Invoices"
    cases = [
        Case("GET", path, 400, ["InvoiceStatus"], params={"InvoiceStatus": "Settled"}),
        Case("GET", path, 400, ["InvoiceType"], params={"InvoiceType": "Refund"}),
        Case("GET", path, 400, ["CreateDateTimeUtcAfter"], params={"CreateDateTimeUtcAfter": "x"}),
        Case("GET", path, 400, ["InvoiceId"], params={"InvoiceId": "abc"}),
        Case("GET", path, 400, ["InternalOrderId"], params={"InternalOrderId": -1}),
    ]
    await refused(od, make, other_key, cases)
    foreign = await od.get(
        path,
        params={"InvoiceId": books.a_invoice},
        headers={"Ocp-Apim-Subscription-Key": other_key},
    )
    assert (foreign.status_code, foreign.json()["Items"]) == (200, [])


async def test_auto_invoice(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    path = f"{BASE}/Invoices/AutoInvoice"
    cases = [
        Case("POST", path, 404, body={"IDType": "Order", "ID": 999_999}),
        Case("POST", path, 404, body={"IDType": "Order", "ID": books.a}, foreign=True),
        Case("POST", path, 404, body={"IDType": "Shipment", "ID": 999_999}),
        Case("POST", path, 404, body={"IDType": "Shipment", "ID": books.shipment_a}, foreign=True),
        Case("POST", path, 409, ["Id"], body={"IDType": "Order", "ID": books.a}),
        Case("POST", path, 409, ["Id"], body={"IDType": "Shipment", "ID": books.shipment_a}),
        Case("POST", path, 400, ["Id"], body={"IDType": "Shipment"}),
        Case("POST", path, 400, ["IdType"], body={"IDType": "Invoice", "ID": books.a}),
        Case("POST", path, 400, ["Id"], body={"IDType": "Order", "ID": "1"}),
        Case("POST", path, 400, None, body={"IDType": "Order", "ExternalOrderId": VISA}),
        Case("POST", path, 400, None, body=[{"IDType": "Order"}]),
    ]
    await refused(od, make, other_key, cases)


async def test_sales_invoice_by_details(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    path = f"{BASE}/Invoices/SalesInvoiceByDetails"

    def body(order: int, line: int, quantity: Any, **more: Any) -> dict[str, Any]:
        details = [{"OrderDetailId": line, "Quantity": quantity}]
        return {"InternalOrderId": order, "OrderDetails": details, **more}

    cases = [
        Case("POST", path, 404, body=body(999_999, books.a_line, 1)),
        Case("POST", path, 404, body=body(books.a, books.a_line, 1), foreign=True),
        Case("POST", path, 409, ["OrderDetails[0].Quantity"], body=body(books.a, books.a_line, 1)),
        Case(
            "POST",
            path,
            400,
            ["OrderDetails[0].OrderDetailId"],
            body=body(books.a, books.b_line, 1),
        ),
        Case("POST", path, 400, ["OrderDetails[0].Quantity"], body=body(books.a, books.a_line, 0)),
        Case(
            "POST", path, 400, ["OrderDetails[0].Quantity"], body=body(books.a, books.a_line, "1")
        ),
        Case("POST", path, 400, ["OrderDetails"], body={"InternalOrderId": books.a}),
        Case(
            "POST",
            path,
            400,
            None,
            body=body(books.a, books.a_line, 1, InternalOrderId=None, ExternalOrderId=VISA),
        ),
    ]
    await refused(od, make, other_key, cases)


async def test_payment_retry_and_credit_invoice(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    retry, credit = f"{BASE}/Invoices/PaymentRetry", f"{BASE}/Invoices/CreditInvoice"
    part = [{"OrderDetailId": books.a_line, "Quantity": 3}]
    cases = [
        Case("POST", retry, 404, body={"InvoiceId": 999_999}),
        Case("POST", retry, 404, body={"InvoiceId": books.a_invoice}, foreign=True),
        Case("POST", retry, 409, ["InvoiceId"], body={"InvoiceId": books.a_invoice}),
        Case("POST", retry, 400, ["InvoiceId"], body={"InvoiceId": "x"}),
        Case("POST", retry, 400, ["InvoiceId"], body={}),
        Case("POST", credit, 404, body={"InvoiceId": 999_999}),
        Case("POST", credit, 404, body={"InvoiceId": books.a_invoice}, foreign=True),
        Case(
            "POST",
            credit,
            400,
            ["CurrencyCode"],
            body={"InvoiceId": books.a_invoice, "CurrencyCode": "EUR"},
        ),
        Case(
            "POST",
            credit,
            409,
            ["OrderDetails[0].Quantity"],
            body={"InvoiceId": books.a_invoice, "OrderDetails": part},
        ),
        Case(
            "POST",
            credit,
            400,
            ["OrderDetails[0].OrderDetailId"],
            body={
                "InvoiceId": books.a_invoice,
                "OrderDetails": [{"OrderDetailId": books.b_line, "Quantity": 1}],
            },
        ),
        Case("POST", credit, 409, ["Amount"], body={"InvoiceId": books.b_invoice}),
        Case("POST", credit, 400, ["CurrencyCode"], body={"InvoiceId": 1, "CurrencyCode": 124}),
    ]
    await refused(od, make, other_key, cases)


async def test_offline_accept_and_apply(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    accept, apply = f"{BASE}/OfflinePayment/Accept", f"{BASE}/OfflinePayment/Apply"
    b = {"InternalOrderId": books.b}
    cases = [
        Case("POST", accept, 404, params={"InternalOrderId": 999_999}, body={"Amount": 5}),
        Case("POST", accept, 404, params=b, body={"Amount": 5}, foreign=True),
        Case("POST", accept, 400, ["Amount"], params=b, body={"Amount": 0}),
        Case("POST", accept, 400, ["Amount"], params=b, body={"Amount": -3}),
        Case("POST", accept, 400, ["Amount"], params=b, body={"Amount": "five"}),
        Case(
            "POST",
            accept,
            400,
            ["CurrencyCode"],
            params=b,
            body={"Amount": 5, "CurrencyCode": "USD"},
        ),
        Case("POST", accept, 400, ["Reference"], params=b, body={"Amount": 5, "Reference": VISA}),
        Case("POST", apply, 404, params={"InternalOrderId": 999_999}, body={}),
        Case("POST", apply, 404, params=b, body={}, foreign=True),
        Case("POST", apply, 404, params=b, body={"InvoiceId": books.a_invoice}),
        Case("POST", apply, 409, ["Amount"], params=b, body={"Amount": 5.01}),
        Case("POST", apply, 409, ["Amount"], params={"InternalOrderId": books.a}, body={}),
        Case("POST", apply, 400, ["CurrencyCode"], params=b, body={"CurrencyCode": "EUR"}),
        Case("POST", apply, 400, ["InvoiceId"], params=b, body={"InvoiceId": "first"}),
    ]
    await refused(od, make, other_key, cases)


async def test_credit_cards_and_credit_memos(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    cards, memos = f"{BASE}/CreditCards", f"{BASE}/CreditMemos"
    cases = [
        Case("GET", cards, 404, params={"ExternalCustomerId": "NOPE"}),
        Case("GET", cards, 404, params={"ExternalCustomerId": "C-9"}, foreign=True),
        Case("GET", cards, 400, ["InternalCustomerId"], params={"InternalCustomerId": "x"}),
        Case("GET", memos, 404, params={"InternalCustomerId": 999_999}),
        Case("GET", memos, 404, params={"ExternalCustomerId": "C-9"}, foreign=True),
        Case("DELETE", cards, 404, params={"CardId": 999_999}),
        Case("DELETE", cards, 404, params={"CardId": books.card}, foreign=True),
        Case("DELETE", cards, 400, ["CardId"], params={"CardId": "card"}),
        Case("DELETE", cards, 400, ["CardId"], params={}),
    ]
    await refused(od, make, other_key, cases)


async def test_invoice_custom_fields(
    od: httpx.AsyncClient, make: Factory, other_key: str, books: Books
) -> None:
    own, lines = f"{BASE}/Invoices/CustomFields", f"{BASE}/Invoices/LineItems/CustomFields"
    batch = [{"Name": "Batch", "Value": "B1"}]
    line = {"InvoiceLineId": books.a_invoice_line, "CustomFields": batch}
    cases = [
        Case("PUT", own, 404, body={"InvoiceId": 999_999, "CustomFields": batch}),
        Case(
            "PUT",
            own,
            404,
            body={"InvoiceId": books.a_invoice, "CustomFields": batch},
            foreign=True,
        ),
        Case(
            "PUT",
            own,
            400,
            ["CustomFields[0].Value"],
            body={"InvoiceId": books.a_invoice, "CustomFields": [{"Name": "Batch", "Value": VISA}]},
        ),
        Case(
            "PUT",
            lines,
            404,
            body={"InvoiceId": books.a_invoice, "LineItems": [line]},
            foreign=True,
        ),
        Case(
            "PUT",
            lines,
            400,
            ["LineItems[0].InvoiceLineId"],
            body={"InvoiceId": books.b_invoice, "LineItems": [line]},
        ),
    ]
    await refused(od, make, other_key, cases)
