"""The Payment Processing API end to end: invoice, capture, retry, credit, offline, cards."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from orderyard.domain.gateway import Outcome
from orderyard.services.account import NewAccount
from orderyard.services.payment.gateways import SCRIPTED
from tests.dialects.orderdynamics.test_orders import order_body, stocked
from tests.factories import Factory
from tests.services.checks import count_rows

BASE = "/v1/paymentprocessing"
VISA = "4111111111111111"


@pytest.fixture(autouse=True)
def gateway() -> Iterator[None]:
    """The scripted gateway, approving unless a test scripts otherwise."""
    SCRIPTED.reset()
    SCRIPTED.default = Outcome.approved
    yield
    SCRIPTED.reset()


def scripted_card(**more: Any) -> dict[str, Any]:
    return {
        "PaymentMethod": "CreditCard",
        "Amount": 22.73,
        "Reference": "AUTH-1",
        "Gateway": "test",
        "Card": {"Token": "tok_abc", "Brand": "Visa", "LastFour": "1111", **more},
    }


async def placed(od: httpx.AsyncClient, make: Factory, **extra: Any) -> dict[str, Any]:
    """An order of 2 x SKU-1 (22.73 with tax and discount) paid by a test-gateway card."""
    await stocked(make)
    body = order_body(**({"Payments": [scripted_card()]} | extra))
    response = await od.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    order: dict[str, Any] = response.json()
    return order


async def amounts(od: httpx.AsyncClient, order_id: int) -> dict[str, Any]:
    response = await od.get(f"{BASE}/OrderAvailableAmounts", params={"InternalOrderId": order_id})
    assert response.status_code == 200, response.text
    figures: dict[str, Any] = response.json()
    return figures


async def auto(od: httpx.AsyncClient, order_id: int) -> httpx.Response:
    return await od.post(f"{BASE}/Invoices/AutoInvoice", json={"IDType": "order", "ID": order_id})


class TestAutoInvoice:
    async def test_an_order_shipped_whole_is_invoiced_and_captured_once(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        await make.ship(order["InternalOrderId"])

        response = await auto(od, order["InternalOrderId"])

        assert response.status_code == 200, response.text
        invoice = response.json()
        assert (invoice["InvoiceType"], invoice["InvoiceStatus"]) == ("Sales", "Paid")
        assert (invoice["PaymentStatus"], invoice["Amount"], invoice["CurrencyCode"]) == (
            "Settled",
            22.73,
            "CAD",
        )
        [line] = invoice["LineItems"]
        assert (line["Quantity"], line["Amount"], line["TaxAmount"], line["DiscountAmount"]) == (
            2,
            22.73,
            2.73,
            1.0,
        )
        figures = await amounts(od, order["InternalOrderId"])
        assert (figures["AuthorizedAmount"], figures["CapturedAmount"]) == (22.73, 22.73)
        assert (figures["InvoicedAmount"], figures["CapturableAmount"]) == (22.73, 0.0)
        assert figures["AmountDue"] == 0.0
        again = await auto(od, order["InternalOrderId"])
        assert again.status_code == 409, again.text
        assert [call[0] for call in SCRIPTED.calls] == ["capture"]

    async def test_two_shipments_split_the_rounding_so_the_line_adds_up_to_the_cent(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        order_id, line_id = order["InternalOrderId"], order["OrderDetails"][0]["OrderDetailId"]
        first = await make.ship(order_id, (1, 1))
        second = await make.ship(order_id, (1, 1))

        one = await od.post(
            f"{BASE}/Invoices/AutoInvoice", json={"IDType": "Shipment", "ID": first}
        )
        two = await od.post(
            f"{BASE}/Invoices/AutoInvoice", json={"IDType": "Shipment", "ID": second}
        )

        assert one.json()["Amount"] == 11.37  # half of 22.73, rounded half up
        assert two.json()["Amount"] == 11.36  # what is left of the line's total
        assert one.json()["LineItems"][0]["OrderDetailId"] == line_id
        again = await od.post(
            f"{BASE}/Invoices/AutoInvoice", json={"IDType": "Shipment", "ID": first}
        )
        assert again.status_code == 409
        assert (await amounts(od, order_id))["InvoicedAmount"] == 22.73

    async def test_nothing_shipped_is_a_conflict_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)

        response = await auto(od, order["InternalOrderId"])

        assert response.status_code == 409, response.text
        assert response.json()["errors"] == {"Id": ["nothing shipped is left to invoice"]}
        assert await count_rows(make, "invoices") == 0


class TestByDetails:
    async def test_chosen_units_are_invoiced_never_more_than_shipped(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        line_id = order["OrderDetails"][0]["OrderDetailId"]
        await make.ship(order["InternalOrderId"], (1, 1))
        body = {
            "ExternalOrderId": "EXT-1",
            "OrderDetails": [{"OrderDetailId": line_id, "Quantity": 2}],
        }

        too_many = await od.post(f"{BASE}/Invoices/SalesInvoiceByDetails", json=body)
        body["OrderDetails"][0]["Quantity"] = 1
        one = await od.post(f"{BASE}/Invoices/SalesInvoiceByDetails", json=body)

        assert too_many.status_code == 409, too_many.text
        assert list(too_many.json()["errors"]) == ["OrderDetails[0].Quantity"]
        assert one.status_code == 200, one.text
        assert one.json()["Amount"] == 11.37
        assert await count_rows(make, "invoices") == 1

    async def test_a_line_of_another_order_is_refused_naming_it(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        await make.ship(order["InternalOrderId"])
        body = {
            "InternalOrderId": order["InternalOrderId"],
            "OrderDetails": [{"OrderDetailId": 999_999, "Quantity": 1}],
        }

        response = await od.post(f"{BASE}/Invoices/SalesInvoiceByDetails", json=body)

        assert response.status_code == 400, response.text
        assert list(response.json()["errors"]) == ["OrderDetails[0].OrderDetailId"]
        assert await count_rows(make, "invoices") == 0


class TestRetry:
    async def test_a_declined_capture_stays_open_and_a_retry_settles_it_once(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        await make.ship(order["InternalOrderId"])
        SCRIPTED.script(Outcome.declined, Outcome.timeout)

        failed = (await auto(od, order["InternalOrderId"])).json()
        timed_out = await od.post(
            f"{BASE}/Invoices/PaymentRetry", json={"InvoiceId": failed["InvoiceId"]}
        )
        settled = await od.post(
            f"{BASE}/Invoices/PaymentRetry", json={"InvoiceId": failed["InvoiceId"]}
        )
        again = await od.post(
            f"{BASE}/Invoices/PaymentRetry", json={"InvoiceId": failed["InvoiceId"]}
        )

        assert (failed["InvoiceStatus"], failed["PaymentStatus"]) == ("Open", "Failed")
        assert failed["FailureReason"].startswith("declined")
        assert timed_out.json()["FailureReason"].startswith("timeout")
        assert (settled.json()["InvoiceStatus"], settled.json()["PaymentAttempts"]) == ("Paid", 3)
        assert again.status_code == 409, again.text
        ledger = await od.get(
            f"{BASE}/OrderTransactions", params={"InternalOrderId": order["InternalOrderId"]}
        )
        kinds = [(e["TransactionType"], e["Amount"]) for e in ledger.json()]
        assert kinds == [("Authorization", 22.73), ("Invoice", 22.73), ("Capture", 22.73)]

    async def test_an_unknown_or_foreign_invoice_is_not_found(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        order = await placed(od, make)
        await make.ship(order["InternalOrderId"])
        SCRIPTED.script(Outcome.declined)
        invoice = (await auto(od, order["InternalOrderId"])).json()
        foreign = {"Ocp-Apim-Subscription-Key": other_key}

        missing = await od.post(f"{BASE}/Invoices/PaymentRetry", json={"InvoiceId": 999_999})
        theirs = await od.post(
            f"{BASE}/Invoices/PaymentRetry",
            json={"InvoiceId": invoice["InvoiceId"]},
            headers=foreign,
        )

        assert (missing.status_code, theirs.status_code) == (404, 404)
        assert len(SCRIPTED.calls) == 1


class TestCredit:
    async def test_a_paid_invoice_is_credited_and_refunded_once(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        await make.ship(order["InternalOrderId"])
        invoice = (await auto(od, order["InternalOrderId"])).json()
        line_id = order["OrderDetails"][0]["OrderDetailId"]
        part = {
            "InvoiceId": invoice["InvoiceId"],
            "OrderDetails": [{"OrderDetailId": line_id, "Quantity": 1}],
        }

        first = await od.post(f"{BASE}/Invoices/CreditInvoice", json=part)
        rest = await od.post(
            f"{BASE}/Invoices/CreditInvoice", json={"InvoiceId": invoice["InvoiceId"]}
        )
        more = await od.post(f"{BASE}/Invoices/CreditInvoice", json=part)

        assert first.status_code == 200, first.text
        assert (first.json()["InvoiceType"], first.json()["Amount"]) == ("Credit", 11.37)
        assert first.json()["InvoiceStatus"] == "Paid"
        assert rest.json()["Amount"] == 11.36
        assert more.status_code == 409, more.text
        figures = await amounts(od, order["InternalOrderId"])
        assert (figures["CreditedAmount"], figures["RefundedAmount"]) == (22.73, 22.73)
        assert (figures["RefundableAmount"], figures["CreditableAmount"]) == (0.0, 0.0)
        customer = {"ExternalCustomerId": "C-9", "Email": "jane@example.com"}
        assert (await od.post("/v1/customers", json=customer)).status_code == 201
        memos = await od.get(f"{BASE}/CreditMemos", params={"ExternalCustomerId": "C-9"})
        assert [m["Amount"] for m in memos.json()["Items"]] == [11.36, 11.37]

    async def test_an_unpaid_invoice_cannot_be_credited_and_nothing_is_written(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make)
        await make.ship(order["InternalOrderId"])
        SCRIPTED.script(Outcome.declined)
        invoice = (await auto(od, order["InternalOrderId"])).json()

        response = await od.post(
            f"{BASE}/Invoices/CreditInvoice", json={"InvoiceId": invoice["InvoiceId"]}
        )
        wrong = await od.post(
            f"{BASE}/Invoices/CreditInvoice",
            json={"InvoiceId": invoice["InvoiceId"], "CurrencyCode": "USD"},
        )

        assert response.status_code == 409, response.text
        assert list(response.json()["errors"]) == ["Amount"]
        assert wrong.status_code == 400, wrong.text
        assert list(wrong.json()["errors"]) == ["CurrencyCode"]
        assert await count_rows(make, "invoices") == 1


class TestOffline:
    async def test_an_order_without_authorization_is_paid_offline(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await placed(od, make, Payments=[])
        order_id = order["InternalOrderId"]
        await make.ship(order_id)
        invoice = (await auto(od, order_id)).json()
        query = {"InternalOrderId": order_id}

        accepted = await od.post(
            f"{BASE}/OfflinePayment/Accept", params=query, json={"Amount": 30, "Reference": "CHQ"}
        )
        applied = await od.post(f"{BASE}/OfflinePayment/Apply", params=query, json={})
        nothing = await od.post(f"{BASE}/OfflinePayment/Apply", params=query, json={})

        assert (invoice["InvoiceStatus"], invoice["PaymentStatus"]) == ("Open", "None")
        assert accepted.status_code == 200, accepted.text
        assert [e["TransactionType"] for e in accepted.json()] == ["OfflineAccepted"]
        assert applied.json()["AmountApplied"] == 22.73
        assert applied.json()["InvoiceIds"] == [invoice["InvoiceId"]]
        assert nothing.status_code == 409
        figures = await amounts(od, order_id)
        assert (figures["OfflineAppliedAmount"], figures["UnappliedOfflineAmount"]) == (
            22.73,
            7.27,
        )
        listed = await od.get(f"{BASE}/Invoices", params={"InvoiceStatus": "paid"})
        assert [i["InvoiceId"] for i in listed.json()["Items"]] == [invoice["InvoiceId"]]

    async def test_wrong_currency_and_unknown_orders_are_refused(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        order = await placed(od, make)
        query = {"InternalOrderId": order["InternalOrderId"]}

        wrong = await od.post(
            f"{BASE}/OfflinePayment/Accept", params=query, json={"Amount": 5, "CurrencyCode": "EUR"}
        )
        foreign = await od.post(
            f"{BASE}/OfflinePayment/Accept",
            params=query,
            json={"Amount": 5},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert wrong.status_code == 400, wrong.text
        assert list(wrong.json()["errors"]) == ["CurrencyCode"]
        assert foreign.status_code == 404
        assert await count_rows(make, "payments") == 1


class TestCards:
    async def test_a_customers_cards_are_listed_and_a_deleted_one_keeps_its_brand(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await placed(od, make)
        customer = {"ExternalCustomerId": "C-9", "Email": "jane@example.com"}
        assert (await od.post("/v1/customers", json=customer)).status_code == 201

        cards = await od.get(f"{BASE}/CreditCards", params={"ExternalCustomerId": "C-9"})
        [card] = cards.json()["Items"]
        deleted = await od.delete(f"{BASE}/CreditCards", params={"CardId": card["CardId"]})
        after = await od.get(f"{BASE}/CreditCards", params={"ExternalCustomerId": "C-9"})
        again = await od.delete(f"{BASE}/CreditCards", params={"CardId": card["CardId"]})

        assert (card["Brand"], card["LastFour"], card["IsDeleted"]) == ("Visa", "1111", False)
        assert "tok_abc" not in cards.text
        assert deleted.json()["IsDeleted"] is True
        assert after.json()["Items"] == []
        assert again.status_code == 404


class TestCardNumbers:
    async def test_a_card_number_in_any_field_is_refused_by_the_orderdynamics_edge(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body(Notes=f"card {VISA} thanks"))
        as_number = await od.post(
            f"{BASE}/OfflinePayment/Accept",
            params={"InternalOrderId": 1},
            json={"Amount": 5, "Reference": int(VISA)},
        )

        assert response.status_code == 400, response.text
        assert response.json()["errors"] == {
            "Notes": ["Notes: looks like a card number: send the gateway's token, never the number"]
        }
        assert VISA not in response.text
        assert as_number.status_code == 400
        assert list(as_number.json()["errors"]) == ["Reference"]
        assert await count_rows(make, "orders") == 0

    async def test_a_card_number_is_refused_by_the_shipedge_edge(
        self, app_client: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await app_client.post(
            "/apirest/v4/oms/orders", json={"data": [{"notes": f"{VISA[:8]}-{VISA[8:]}"}]}
        )

        assert response.status_code == 400, response.text
        assert VISA not in response.text
        assert "looks like a card number" in response.text
        assert await count_rows(make, "orders") == 0


class TestReturnsCredit:
    async def test_a_committed_return_is_credited_and_refunded_as_far_as_it_was_paid(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        """Placed through OrderDynamics, shipped, auto-invoiced and captured, returned through
        ShipEdge and committed through OrderDynamics: one unit of two comes back, and the
        memo gives back that unit's price, tax and discount shares (to the cent)."""
        order = await placed(od, make)
        order_id = order["InternalOrderId"]
        await make.ship(order_id)
        assert (await auto(od, order_id)).status_code == 200
        shipedge = {"AccountID": str(account.account_id), "Key": account.key}
        announced = await od.post(
            "/apirest/v4/oms/inventory/returns",
            headers=shipedge,
            json={"data": [{"order_id": order_id, "items": [{"sku": "SKU-1", "quantity": 1}]}]},
        )
        assert announced.status_code == 200, announced.text
        return_id = announced.json()["data"][0]["return_id"]

        committed = await od.post(
            "/v1/returns/Commit",
            params={"InternalReturnId": return_id},
            json={"LocationInternalName": "DC-1"},
        )

        assert committed.status_code == 200, committed.text
        figures = await amounts(od, order_id)
        assert tuple(figures[f"{k}Amount"] for k in ("Captured", "Credited", "Refunded")) == (
            22.73,
            11.37,
            11.37,
        )
        customer = {"ExternalCustomerId": "C-9", "Email": "jane@example.com"}
        assert (await od.post("/v1/customers", json=customer)).status_code == 201
        memos = await od.get(f"{BASE}/CreditMemos", params={"ExternalCustomerId": "C-9"})
        assert [m["Amount"] for m in memos.json()["Items"]] == [11.37]
        assert [operation for operation, _ in SCRIPTED.calls] == ["capture", "refund"]
