"""Custom fields of invoices and invoice lines: the seed's two Payment Processing PUT paths."""

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from orderyard.domain.gateway import Outcome
from orderyard.services.payment.gateways import SCRIPTED
from tests.dialects.orderdynamics.test_order_custom_fields import define
from tests.dialects.orderdynamics.test_payment_processing import BASE, VISA, auto, placed
from tests.factories import Factory
from tests.services.checks import count_rows

FIELDS = f"{BASE}/Invoices/CustomFields"
LINE_FIELDS = f"{BASE}/Invoices/LineItems/CustomFields"


@pytest.fixture(autouse=True)
def gateway() -> Iterator[None]:
    """The scripted gateway, approving."""
    SCRIPTED.reset()
    SCRIPTED.default = Outcome.approved
    yield
    SCRIPTED.reset()


@pytest.fixture
async def invoice(od: httpx.AsyncClient, make: Factory) -> dict[str, Any]:
    """A shipped order's paid invoice; Invoice fields Batch (Text) and Terms (List Net30,
    Net60), InvoiceLineItem field Gift (Boolean)."""
    order = await placed(od, make)
    await make.ship(order["InternalOrderId"])
    response = await auto(od, order["InternalOrderId"])
    assert response.status_code == 200, response.text
    await define(od, "Invoice", "Batch", "Text")
    await define(od, "Invoice", "Terms", "List", AllowedValues=["Net30", "Net60"])
    await define(od, "InvoiceLineItem", "Gift", "Boolean")
    answer: dict[str, Any] = response.json()
    return answer


async def listed(od: httpx.AsyncClient, invoice_id: int) -> dict[str, Any]:
    response = await od.get(f"{BASE}/Invoices", params={"InvoiceId": invoice_id})
    assert response.status_code == 200, response.text
    [found] = response.json()["Items"]
    return dict(found)


class TestInvoiceFields:
    async def test_values_are_stored_answered_listed_and_a_null_clears_one(
        self, od: httpx.AsyncClient, make: Factory, invoice: dict[str, Any]
    ) -> None:
        body = {
            "InvoiceId": invoice["InvoiceId"],
            "CustomFields": [{"Name": "Terms", "Value": "Net30"}, {"Name": "Batch", "Value": "B7"}],
        }

        set_ = await od.put(FIELDS, json=body)
        cleared = await od.put(
            FIELDS,
            json={
                "InvoiceId": invoice["InvoiceId"],
                "CustomFields": [{"Name": "Batch", "Value": None}],
            },
        )

        assert set_.status_code == 200, set_.text
        assert set_.json()["CustomFields"] == [
            {"Name": "Batch", "Value": "B7"},
            {"Name": "Terms", "Value": "Net30"},
        ]
        assert (set_.json()["Amount"], set_.json()["InvoiceStatus"]) == (22.73, "Paid")
        assert cleared.json()["CustomFields"] == [{"Name": "Terms", "Value": "Net30"}]
        assert (await listed(od, invoice["InvoiceId"]))["CustomFields"] == [
            {"Name": "Terms", "Value": "Net30"}
        ]
        assert await count_rows(make, "attributes") == 1
        assert await count_rows(make, "payment_transactions") == 3

    async def test_a_credit_memo_carries_fields_too(
        self, od: httpx.AsyncClient, invoice: dict[str, Any]
    ) -> None:
        memo = await od.post(
            f"{BASE}/Invoices/CreditInvoice", json={"InvoiceId": invoice["InvoiceId"]}
        )
        memo_id = memo.json()["InvoiceId"]

        response = await od.put(
            FIELDS,
            json={"InvoiceId": memo_id, "CustomFields": [{"Name": "Batch", "Value": "R1"}]},
        )

        assert response.status_code == 200, response.text
        assert (response.json()["InvoiceType"], response.json()["CustomFields"]) == (
            "Credit",
            [{"Name": "Batch", "Value": "R1"}],
        )
        assert (await listed(od, memo_id))["CustomFields"] == [{"Name": "Batch", "Value": "R1"}]

    @pytest.mark.parametrize(
        ("fields", "where"),
        [
            ([{"Name": "Colour", "Value": "x"}], "CustomFields[0].Name"),
            ([{"Name": "Terms", "Value": "Net90"}], "CustomFields[0].Value"),
            ([{"Name": "Gift", "Value": True}], "CustomFields[0].Name"),
            (
                [{"Name": "Batch", "Value": "a"}, {"Name": "Terms", "Value": "Net1"}],
                "CustomFields[1].Value",
            ),
        ],
    )
    async def test_a_refused_value_is_a_400_naming_it_and_nothing_is_written(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        invoice: dict[str, Any],
        fields: list[dict[str, Any]],
        where: str,
    ) -> None:
        response = await od.put(
            FIELDS, json={"InvoiceId": invoice["InvoiceId"], "CustomFields": fields}
        )

        assert response.status_code == 400, response.text
        assert list(response.json()["errors"]) == [where]
        assert await count_rows(make, "attributes") == 0

    async def test_unknown_foreign_and_mistyped_invoices_are_refused_with_nothing_written(
        self, od: httpx.AsyncClient, make: Factory, invoice: dict[str, Any], other_key: str
    ) -> None:
        value = [{"Name": "Batch", "Value": "B7"}]

        missing = await od.put(FIELDS, json={"InvoiceId": 999_999, "CustomFields": value})
        foreign = await od.put(
            FIELDS,
            json={"InvoiceId": invoice["InvoiceId"], "CustomFields": value},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        mistyped = await od.put(FIELDS, json={"InvoiceId": "one", "CustomFields": value})
        no_id = await od.put(FIELDS, json={"CustomFields": value})

        assert (missing.status_code, foreign.status_code) == (404, 404)
        assert (mistyped.status_code, no_id.status_code) == (400, 400)
        assert list(mistyped.json()["errors"]) == ["InvoiceId"]
        assert list(no_id.json()["errors"]) == ["InvoiceId"]
        assert await count_rows(make, "attributes") == 0

    async def test_a_card_number_in_a_value_is_refused_and_never_stored(
        self, od: httpx.AsyncClient, make: Factory, invoice: dict[str, Any]
    ) -> None:
        body = {
            "InvoiceId": invoice["InvoiceId"],
            "CustomFields": [{"Name": "Batch", "Value": VISA}],
        }

        response = await od.put(FIELDS, json=body)

        assert response.status_code == 400, response.text
        assert VISA not in response.text
        assert await count_rows(make, "attributes") == 0


class TestInvoiceLineFields:
    async def test_line_values_are_stored_and_answered_on_their_line(
        self, od: httpx.AsyncClient, make: Factory, invoice: dict[str, Any]
    ) -> None:
        [line] = invoice["LineItems"]
        body = {
            "InvoiceId": invoice["InvoiceId"],
            "LineItems": [
                {
                    "InvoiceLineId": line["InvoiceLineId"],
                    "CustomFields": [{"Name": "Gift", "Value": True}],
                }
            ],
        }

        response = await od.put(LINE_FIELDS, json=body)

        assert response.status_code == 200, response.text
        assert response.json()["LineItems"][0]["CustomFields"] == [
            {"Name": "Gift", "Value": "true"}
        ]
        assert response.json()["CustomFields"] == []
        listed_line = (await listed(od, invoice["InvoiceId"]))["LineItems"][0]
        assert listed_line["CustomFields"] == [{"Name": "Gift", "Value": "true"}]
        assert await count_rows(make, "attributes") == 1

    async def test_a_line_of_another_invoice_or_a_refused_value_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, invoice: dict[str, Any]
    ) -> None:
        [line] = invoice["LineItems"]
        gift = [{"Name": "Gift", "Value": True}]
        good = {"InvoiceLineId": line["InvoiceLineId"], "CustomFields": gift}

        foreign_line = await od.put(
            LINE_FIELDS,
            json={
                "InvoiceId": invoice["InvoiceId"],
                "LineItems": [good, {"InvoiceLineId": 999_999, "CustomFields": gift}],
            },
        )
        bad_value = await od.put(
            LINE_FIELDS,
            json={
                "InvoiceId": invoice["InvoiceId"],
                "LineItems": [
                    {
                        "InvoiceLineId": line["InvoiceLineId"],
                        "CustomFields": [{"Name": "Gift", "Value": "maybe"}],
                    }
                ],
            },
        )
        none = await od.put(LINE_FIELDS, json={"InvoiceId": invoice["InvoiceId"], "LineItems": []})
        missing = await od.put(LINE_FIELDS, json={"InvoiceId": 999_999, "LineItems": [good]})

        assert foreign_line.status_code == 400, foreign_line.text
        assert list(foreign_line.json()["errors"]) == ["LineItems[1].InvoiceLineId"]
        assert bad_value.status_code == 400, bad_value.text
        assert list(bad_value.json()["errors"]) == ["LineItems[0].CustomFields[0].Value"]
        assert none.status_code == 400
        assert list(none.json()["errors"]) == ["LineItems"]
        assert missing.status_code == 404
        assert await count_rows(make, "attributes") == 0
