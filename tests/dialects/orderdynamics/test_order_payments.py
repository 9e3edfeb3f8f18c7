"""Payments on a new OrderDynamics order, their custom fields, and what is never kept."""

from typing import Any

import httpx
import pytest

from tests.dialects.orderdynamics.test_order_custom_fields import define
from tests.dialects.orderdynamics.test_orders import order_body, stocked
from tests.factories import Factory
from tests.services.checks import count_rows, level

VISA = "4111 1111 1111 1111"
"""A test card number: it passes the Luhn check, as every real one does."""


def card_payment(**more: Any) -> dict[str, Any]:
    return {
        "PaymentMethod": "CreditCard",
        "Amount": 15.5,
        "Reference": "AUTH-1",
        "Gateway": "stripe",
        "Card": {"Token": "tok_abc", "Brand": "Visa", "LastFour": "1111", **more},
    }


OFFLINE = {"PaymentMethod": "offline", "Amount": 7.23, "Reference": "CHQ-12"}


async def rows(make: Factory, table: str) -> list[dict[str, Any]]:
    async with make.uow() as uow:
        result = await uow.conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608
        return [dict(row._mapping) for row in result]


async def nothing_written(make: Factory) -> None:
    for table in ("orders", "payments", "payment_transactions", "attributes"):
        assert await count_rows(make, table) == 0, table
    assert await level(make, "DC-1", "SKU-1") == (5, 0)


class TestCreate:
    async def test_payments_are_kept_with_their_authorizations_and_answered(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        card = card_payment(ExpiryMonth=12, ExpiryYear=2030)

        response = await od.post("/v1/orders", json=order_body(Payments=[card, OFFLINE]))

        assert response.status_code == 201, response.text
        paid = response.json()["Payments"]
        assert [(p["PaymentMethod"], p["Amount"], p["CurrencyCode"]) for p in paid] == [
            ("CreditCard", 15.5, "CAD"),
            ("Offline", 7.23, "CAD"),
        ]
        assert paid[0]["Card"] == {
            "Brand": "Visa",
            "LastFour": "1111",
            "ExpiryMonth": 12,
            "ExpiryYear": 2030,
        }
        assert (paid[0]["Reference"], paid[0]["Gateway"]) == ("AUTH-1", "stripe")
        assert paid[1]["Card"] is None
        assert "tok_abc" not in response.text
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert got.json()["Payments"] == paid
        kept = await rows(make, "payments")
        assert [(p["method"], p["card_token"], p["card_last_four"]) for p in kept] == [
            ("card", "tok_abc", "1111"),
            ("offline", None, ""),
        ]
        ledger = await rows(make, "payment_transactions")
        assert [(t["payment_id"], t["kind"], t["amount"]) for t in ledger] == [
            (kept[0]["id"], "authorization", 155_000),
            (kept[1]["id"], "authorization", 72_300),
        ]  # ten-thousandths, as ScaledDecimal keeps them

    async def test_an_order_without_payments_answers_an_empty_list(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body())

        assert response.json()["Payments"] == []
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert got.json()["Payments"] == []
        assert await count_rows(make, "payments") == 0

    async def test_a_payments_custom_fields_are_kept_and_answered(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        await define(od, "OrderPayment", "Terminal", "Text")
        payment = {**OFFLINE, "CustomFields": [{"Name": "Terminal", "Value": "T-9"}]}

        response = await od.post("/v1/orders", json=order_body(Payments=[payment]))

        assert response.status_code == 201, response.text
        [paid] = response.json()["Payments"]
        assert paid["CustomFields"] == [{"Name": "Terminal", "Value": "T-9"}]
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert got.json()["Payments"][0]["CustomFields"] == [{"Name": "Terminal", "Value": "T-9"}]


class TestRefused:
    @pytest.mark.parametrize(
        ("payment", "field"),
        [
            (card_payment(Token=VISA), "Payments[0].Card.Token"),
            (card_payment(Token="tok", Brand=VISA.replace(" ", "-")), "Payments[0].Card.Brand"),
            ({**OFFLINE, "Reference": f"ref {VISA}"}, "Payments[0].Reference"),
            ({**OFFLINE, "Gateway": VISA.replace(" ", "")}, "Payments[0].Gateway"),
        ],
    )
    async def test_a_card_number_anywhere_is_refused_and_not_repeated(
        self, od: httpx.AsyncClient, make: Factory, payment: dict[str, Any], field: str
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body(Payments=[payment]))

        assert response.status_code == 400, response.text
        assert field in response.text
        assert "1111" not in response.text.replace('"LastFour"', "")
        await nothing_written(make)

    @pytest.mark.parametrize(
        ("payment", "field"),
        [
            ({**OFFLINE, "Amount": 0}, "Payments[0].Amount"),
            ({**OFFLINE, "Amount": -3}, "Payments[0].Amount"),
            ({**OFFLINE, "CurrencyCode": "USD"}, "Payments[0].CurrencyCode"),
            ({**OFFLINE, "PaymentMethod": "Barter"}, "Payments[0].PaymentMethod"),
            ({**OFFLINE, "Card": {"Token": "tok"}}, "Payments[0].Card"),
            (card_payment(LastFour="12a4"), "Payments[0].Card.LastFour"),
            (card_payment(ExpiryMonth=13, ExpiryYear=2030), "Payments[0].Card.ExpiryMonth"),
            (card_payment(ExpiryMonth=5), "Payments[0].Card.ExpiryMonth"),
            (card_payment(Token=" "), "Payments[0].Card.Token"),
            ({"Amount": 1}, "Payments[0].PaymentMethod"),
        ],
    )
    async def test_a_wrong_payment_is_a_400_naming_it(
        self, od: httpx.AsyncClient, make: Factory, payment: dict[str, Any], field: str
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body(Payments=[OFFLINE, payment]))

        assert response.status_code == 400, response.text
        assert field.replace("[0]", "[1]") in response.text
        await nothing_written(make)

    async def test_an_undefined_payment_field_is_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        payment = {**OFFLINE, "CustomFields": [{"Name": "Nope", "Value": "x"}]}

        response = await od.post("/v1/orders", json=order_body(Payments=[payment]))

        assert response.status_code == 400
        assert "Payments[0].CustomFields[0].Name" in response.text
        await nothing_written(make)

    async def test_more_than_twenty_payments_is_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body(Payments=[OFFLINE] * 21))

        assert response.status_code == 400
        assert "Payments" in response.text
        await nothing_written(make)


class TestPaymentCustomFields:
    async def placed(self, od: httpx.AsyncClient, make: Factory) -> dict[str, Any]:
        await stocked(make)
        await define(od, "OrderPayment", "Terminal", "Text")
        response = await od.post("/v1/orders", json=order_body(Payments=[OFFLINE]))
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def test_values_are_set_by_payment_id_and_cleared_by_null(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await self.placed(od, make)
        payment_id = order["Payments"][0]["PaymentId"]
        body = {
            "ExternalOrderId": "EXT-1",
            "Payments": [
                {"PaymentId": payment_id, "CustomFields": [{"Name": "Terminal", "Value": "T-1"}]}
            ],
        }

        response = await od.put("/v1/orders/Payments/customfields", json=body)

        assert response.status_code == 200, response.text
        assert response.json()["Payments"][0]["CustomFields"] == [
            {"Name": "Terminal", "Value": "T-1"}
        ]
        body["Payments"][0]["CustomFields"] = [{"Name": "Terminal", "Value": None}]
        cleared = await od.put("/v1/orders/Payments/customfields", json=body)
        assert cleared.json()["Payments"][0]["CustomFields"] == []

    async def test_a_payment_of_another_order_is_a_400_and_nothing_changes(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        order = await self.placed(od, make)
        other = await od.post("/v1/orders", json=order_body("EXT-2", Payments=[OFFLINE]))
        foreign = other.json()["Payments"][0]["PaymentId"]
        values = [{"Name": "Terminal", "Value": "T-1"}]
        body = {
            "InternalOrderId": order["InternalOrderId"],
            "Payments": [
                {"PaymentId": order["Payments"][0]["PaymentId"], "CustomFields": values},
                {"PaymentId": foreign, "CustomFields": values},
            ],
        }

        response = await od.put("/v1/orders/Payments/customfields", json=body)

        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["Payments[1].PaymentId"]
        assert await count_rows(make, "attributes") == 0

    async def test_an_unknown_order_is_a_404(self, od: httpx.AsyncClient, make: Factory) -> None:
        await self.placed(od, make)
        body = {"ExternalOrderId": "NOPE", "Payments": [{"PaymentId": 1, "CustomFields": []}]}

        response = await od.put("/v1/orders/Payments/customfields", json=body)

        assert response.status_code == 404

    async def test_no_payment_named_is_a_400(self, od: httpx.AsyncClient, make: Factory) -> None:
        await self.placed(od, make)

        response = await od.put(
            "/v1/orders/Payments/customfields", json={"ExternalOrderId": "EXT-1", "Payments": []}
        )

        assert response.status_code == 400
        assert "Payments" in response.text
