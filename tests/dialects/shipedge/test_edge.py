"""The edge of the ShipEdge dialect: hostile input is refused in the envelope, never a 500.

Each case here answered 500 (or left the envelope) before the hardening issue; each
negative case also checks that nothing was written.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from orderyard.domain.values import COUNT_MAX, ID_MAX
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory

HUGE = "99999999999999999999"
"""More than a BIGINT holds."""


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """DC-CODE holds 10 of PROD-001."""
    await make.location("DC-CODE")
    await make.item("PROD-001")
    await make.stock("DC-CODE", "PROD-001", 10)
    return make


async def order_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/orders")
    return int(response.json()["metadata"]["total_records"])


async def allocated(client: httpx.AsyncClient, sku: str = "PROD-001") -> int:
    stock = (await client.get("/inventory/stock", params={"sku": sku})).json()["data"]
    return int(stock[0]["total"]["allocated"])


def refused(response: httpx.Response, status: int, field: str) -> None:
    """The response is ``status`` in ShipEdge's envelope, naming ``field``."""
    assert response.status_code == status, response.text
    body = response.json()["response"]
    assert body["success"] is False
    assert field in [error["field"] for error in body["errors"]], body


class TestIntegersOutOfRange:
    async def test_an_account_id_beyond_a_bigint_is_a_400_before_the_key_is_read(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.post("/ping", headers={"AccountID": HUGE})

        refused(response, 400, "AccountID")

    @pytest.mark.parametrize(
        ("path", "field"),
        [
            (f"/orders/{HUGE}", "order"),
            (f"/distribution_centers/{HUGE}", "distribution_center_id"),
            (f"/manufacture/{HUGE}", "order"),
            (f"/inventory/returns/{HUGE}", "return"),
            (f"/inventory/replenishments/{HUGE}", "replenishment"),
            ("/orders/²", "order"),
        ],
    )
    async def test_an_id_in_the_path_beyond_a_bigint_is_a_400(
        self, client: httpx.AsyncClient, path: str, field: str
    ) -> None:
        refused(await client.get(path), 400, field)

    @pytest.mark.parametrize(
        ("path", "params", "field"),
        [
            ("/orders", {"page": str(2**62)}, "page"),
            ("/orders", {"per_page": HUGE}, "per_page"),
            ("/orders", {"warehouse_id": HUGE}, "warehouse_id"),
            ("/orders", {"order_type_id": str(COUNT_MAX + 1)}, "order_type_id"),
            ("/orders", {"filter_by": "cart_id", "filter_value": HUGE}, "filter_value"),
            ("/inventory/aliases", {"channel_id": HUGE}, "channel_id"),
            ("/inventory/products", {"page": HUGE}, "page"),
        ],
    )
    async def test_a_query_number_beyond_its_column_is_a_400(
        self, client: httpx.AsyncClient, path: str, params: dict[str, str], field: str
    ) -> None:
        refused(await client.get(path, params=params), 400, field)

    @pytest.mark.parametrize(
        "path", ["/inventory/stock", "/orders", "/inventory/products", "/inventory/returns"]
    )
    async def test_the_last_page_a_list_accepts_is_simply_empty(
        self, client: httpx.AsyncClient, stocked: Factory, path: str
    ) -> None:
        response = await client.get(path, params={"page": COUNT_MAX, "per_page": 250})

        assert response.status_code == 200, response.text
        assert response.json()["data"] == []

    async def test_the_largest_id_is_read_as_an_id_and_simply_not_found(
        self, client: httpx.AsyncClient
    ) -> None:
        refused(await client.get(f"/orders/{ID_MAX}"), 404, "order")

    @pytest.mark.parametrize(
        ("path", "body", "field"),
        [
            ("/orders/cancel", {"order_id": 1e20}, "order_id"),
            ("/orders/cancel", {"order_id": ID_MAX + 1}, "order_id"),
            ("/orders/cancel-bulk", {"order_ids": [1, ID_MAX + 1]}, "order_ids[1]"),
            ("/orders/sub_status", {"order_id": 1e20, "sub_status": "x"}, "order_id"),
        ],
    )
    async def test_an_order_id_beyond_a_bigint_in_a_body_is_a_400(
        self, client: httpx.AsyncClient, stocked: Factory, path: str, body: Any, field: str
    ) -> None:
        refused(await client.post(path, json=body), 400, field)

    async def test_an_update_naming_an_order_beyond_a_bigint_is_a_400(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.put("/orders", json={"data": [{"order_id": 1e20}]})

        refused(response, 400, "data[0].order_id")

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"cart": {"store_name": "My Shop", "id": ID_MAX + 1}}, "data[0].cart.id"),
            ({"order_type_id": 10**12}, "data[0].order_type_id"),
            ({"order_type_id": COUNT_MAX + 1}, "data[0].order_type_id"),
        ],
    )
    async def test_an_order_with_a_number_beyond_its_column_is_refused_and_not_written(
        self, client: httpx.AsyncClient, stocked: Factory, change: dict[str, Any], field: str
    ) -> None:
        response = await client.post("/orders", json={"data": [order_body("N-1", **change)]})

        refused(response, 400, field)
        assert await order_count(client) == 0
        assert await allocated(client) == 0


class TestBooleansAreNotNumbers:
    async def test_a_quantity_of_true_is_refused_and_nothing_is_allocated(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = order_body("B-1")
        body["items"][0]["quantity"] = True

        response = await client.post("/orders", json={"data": [body]})

        refused(response, 400, "data[0].items[0].quantity")
        assert await order_count(client) == 0
        assert await allocated(client) == 0

    async def test_an_order_id_of_true_is_refused(self, client: httpx.AsyncClient) -> None:
        refused(await client.post("/orders/cancel", json={"order_id": True}), 400, "order_id")


class TestUnstorableText:
    @pytest.mark.parametrize(
        ("where", "value", "field"),
        [
            ("order_number", "N\x001", "data[0].order_number"),
            ("notes", "a\ud800b", "data[0].notes"),
        ],
    )
    async def test_nul_or_a_lone_surrogate_in_a_body_is_refused_and_nothing_written(
        self, client: httpx.AsyncClient, stocked: Factory, where: str, value: str, field: str
    ) -> None:
        body = order_body("N-1", **{where: value})

        response = await client.post("/orders", content=json.dumps({"data": [body]}))

        refused(response, 400, field)
        assert await order_count(client) == 0
        assert await allocated(client) == 0

    async def test_nul_in_a_nested_field_names_its_path(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = order_body("N-1")
        body["customer"]["city"] = "Los\x00Angeles"

        response = await client.post("/orders", json={"data": [body]})

        refused(response, 400, "data[0].customer.city")

    async def test_a_paired_surrogate_is_an_ordinary_character_and_is_stored(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = order_body("N-1", notes="gift \U0001f381")

        response = await client.post("/orders", json={"data": [body]})

        assert response.json()["data"][0]["success"] is True
        order_id = response.json()["data"][0]["order_id"]
        assert (await client.get(f"/orders/{order_id}")).json()["data"]["notes"] == "gift 🎁"

    async def test_an_escaped_backslash_before_u0000_is_text_not_nul(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        content = '{"data": [{"order_id": 1, "notes": "C:\\\\u0000"}]}'

        response = await client.put("/orders", content=content)

        refused(response, 400, "data[0].order")

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"sku": "PROD\x00"}, "sku"),
            ({"distribution_center": "\x00"}, "distribution_center"),
        ],
    )
    async def test_nul_in_a_query_parameter_is_a_400_naming_it(
        self, client: httpx.AsyncClient, params: dict[str, str], field: str
    ) -> None:
        refused(await client.get("/inventory/stock", params=params), 400, field)

    async def test_nul_in_the_path_is_a_400(self, client: httpx.AsyncClient) -> None:
        refused(await client.get("/inventory/products/a%00b"), 400, "path")


class TestCardNumbers:
    @pytest.mark.parametrize(
        ("where", "value", "field"),
        [
            ("notes", "card 4111 1111 1111 1111 exp 12/30", "data[0].notes"),
            ("order_reference", "4111-1111-1111-1111", "data[0].order_reference"),
            ("cart", {"store_name": "S", "id": 4111111111111111}, "data[0].cart.id"),
        ],
    )
    async def test_a_card_number_in_a_body_is_refused_unrepeated_and_nothing_written(
        self, client: httpx.AsyncClient, stocked: Factory, where: str, value: Any, field: str
    ) -> None:
        response = await client.post(
            "/orders", json={"data": [order_body("N-1", **{where: value})]}
        )

        refused(response, 400, field)
        assert "1111" not in response.text
        assert await order_count(client) == 0
        assert await allocated(client) == 0

    async def test_a_barcode_and_a_tracking_number_that_pass_luhn_are_no_card_numbers(
        self, client: httpx.AsyncClient, make: Factory
    ) -> None:
        """GS1's example EAN-13 and a 15-digit tracking number: Luhn alone refused both."""
        await make.location("DC-CODE")
        await make.item("5901234123457")
        await make.stock("DC-CODE", "5901234123457", 10)
        body = order_body("N-1", ("5901234123457", 1), order_reference="123456789012347")

        response = await client.post("/orders", json={"data": [body]})

        assert response.json()["data"][0]["success"] is True, response.text
        order_id = response.json()["data"][0]["order_id"]
        order = (await client.get(f"/orders/{order_id}")).json()["data"]
        assert order["order_reference"] == "123456789012347"
        assert [item["sku"] for item in order["items"]] == ["5901234123457"]

    async def test_a_card_number_in_a_query_parameter_is_a_400_naming_it(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/orders", params={"filter_value": "4111 1111 1111 1111"})

        refused(response, 400, "filter_value")


class TestDates:
    @pytest.mark.parametrize("param", ["from_date", "to_date"])
    async def test_the_last_representable_day_filters_instead_of_failing(
        self, client: httpx.AsyncClient, stocked: Factory, param: str
    ) -> None:
        await client.post("/orders", json={"data": [order_body("D-1")]})

        response = await client.get("/orders", params={param: "9999-12-31"})

        assert response.status_code == 200
        expected = 0 if param == "from_date" else 1
        assert response.json()["metadata"]["total_records"] == expected

    async def test_a_day_that_does_not_exist_is_a_400(self, client: httpx.AsyncClient) -> None:
        refused(await client.get("/orders", params={"from_date": "10000-01-01"}), 400, "from_date")


class TestRouting:
    async def test_an_encoded_newline_in_a_path_answers_in_the_envelope(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/inventory/products/a%0Ab")

        assert response.status_code == 404
        assert response.json()["response"]["success"] is False

    async def test_a_trailing_slash_is_a_404_in_the_envelope_not_a_redirect(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/orders/")

        assert response.status_code == 404
        assert "location" not in response.headers
        assert response.json()["response"]["success"] is False

    async def test_a_wrong_method_is_a_405_that_says_which_are_allowed(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.delete("/orders")

        assert response.status_code == 405
        assert set(response.headers["allow"].split(", ")) == {"GET", "POST", "PUT"}
        assert response.json()["response"]["success"] is False


class TestBodyLimit:
    @pytest.fixture
    async def small_client(
        self, client: httpx.AsyncClient, db_url: str
    ) -> AsyncIterator[httpx.AsyncClient]:
        from orderyard.app import SHIPEDGE_ROOT, create_app
        from orderyard.settings import DatabaseSettings, Settings

        app = create_app(
            Settings(database=DatabaseSettings(url=db_url, pool_size=2), max_body_bytes=4096)
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url=f"http://orderyard.test{SHIPEDGE_ROOT}",
            headers=dict(client.headers),
        ) as http:
            yield http
        await app.state.orderyard.engines.dispose()

    async def test_a_body_declared_over_the_limit_is_a_413_and_nothing_is_written(
        self, small_client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = order_body("BIG-1", notes="x" * 4000)

        response = await small_client.post("/orders", json={"data": [body]})

        refused(response, 413, "body")
        assert await order_count(small_client) == 0

    async def test_a_streamed_body_is_cut_off_at_the_limit(
        self, small_client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        chunks_sent = 0

        async def chunks() -> AsyncIterator[bytes]:
            nonlocal chunks_sent
            for _ in range(1000):
                chunks_sent += 1
                yield b" " * 1024

        response = await small_client.post("/orders", content=chunks())

        refused(response, 413, "body")
        assert chunks_sent < 1000
        assert await order_count(small_client) == 0

    async def test_a_body_within_the_limit_is_served(
        self, small_client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await small_client.post("/orders", json={"data": [order_body("OK-1")]})

        assert response.json()["data"][0]["success"] is True


class TestTraceIds:
    async def test_success_and_errors_carry_a_trace_id(self, client: httpx.AsyncClient) -> None:
        ok = await client.post("/ping")
        refusal = await client.get("/orders", params={"page": "0"})

        assert len(ok.headers["x-trace-id"]) == 32
        assert len(refusal.headers["x-trace-id"]) == 32
        assert ok.headers["x-trace-id"] != refusal.headers["x-trace-id"]

    async def test_a_traceparent_names_the_trace_id(self, client: httpx.AsyncClient) -> None:
        parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

        response = await client.post("/ping", headers={"traceparent": parent})

        assert response.headers["x-trace-id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
