from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """DC-CODE holds 10 of PROD-001; PROD-002 exists with none."""
    await make.location("DC-CODE")
    await make.item("PROD-001")
    await make.item("PROD-002")
    await make.stock("DC-CODE", "PROD-001", 10)
    return make


async def create(client: httpx.AsyncClient, *orders: dict[str, Any]) -> httpx.Response:
    return await client.post("/orders", json={"data": list(orders)})


async def order_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/orders")
    return int(response.json()["metadata"]["total_records"])


class TestCreate:
    async def test_the_seed_example_creates_an_allocated_order(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        response = await client.post("/orders", json=seed_order)

        assert response.status_code == 200
        [result] = response.json()["data"]
        assert result["success"] is True
        assert result["order_number"] == "ORD-001"
        assert (result["status"], result["status_id"]) == ("Processing", 2)
        order = (await client.get(f"/orders/{result['order_id']}")).json()["data"]
        assert order["items"][0]["allocated"] == 2
        assert order["cart"]["store_name"] == "My Shop"
        assert order["shipping_method"] == "Pick"
        assert order["total"] == "59.9800"

    async def test_an_order_beyond_stock_is_backordered(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await create(client, order_body("B-1", ("PROD-002", 1)))

        assert response.json()["data"][0]["status"] == "Backorder"

    @pytest.mark.parametrize(
        ("_case", "change", "field"),
        [
            ("no order_number", {"order_number": None}, "data[0].order_number"),
            ("no shipping_method", {"shipping_method": None}, "data[0].shipping_method"),
            ("no items", {"items": []}, "data[0].items"),
            (
                "zero quantity",
                {"items": [{"sku": "PROD-001", "quantity": 0}]},
                "data[0].items[0].quantity",
            ),
            ("no sku", {"items": [{"quantity": 1}]}, "data[0].items[0].sku"),
            (
                "text quantity",
                {"items": [{"sku": "PROD-001", "quantity": "two"}]},
                "data[0].items[0].quantity",
            ),
        ],
    )
    async def test_a_missing_or_malformed_field_answers_400_naming_it(
        self,
        client: httpx.AsyncClient,
        stocked: Factory,
        _case: str,
        change: dict[str, Any],
        field: str,
    ) -> None:
        body = order_body()
        for key, value in change.items():
            if value is None:
                del body[key]
            else:
                body[key] = value

        response = await create(client, body)

        assert response.status_code == 400
        assert field in [e["field"] for e in response.json()["response"]["errors"]]
        assert await order_count(client) == 0

    @pytest.mark.parametrize("field", ["firstname", "address1", "city", "state", "zip", "country"])
    async def test_each_required_customer_field_is_named_when_missing(
        self, client: httpx.AsyncClient, stocked: Factory, field: str
    ) -> None:
        body = order_body()
        del body["customer"][field]

        response = await create(client, body)

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == f"data[0].customer.{field}"

    async def test_an_unknown_sku_answers_400_and_takes_no_stock(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await create(client, order_body("X-1", ("PROD-001", 1), ("NOPE", 1)))

        assert response.status_code == 400
        error = response.json()["response"]["errors"][0]
        assert error["field"] == "data[0].items[1].sku"
        assert "NOPE" in error["message"]
        stock = (await client.get("/orders")).json()
        assert stock["metadata"]["total_records"] == 0

    @pytest.mark.parametrize(
        ("_case", "change", "field"),
        [
            ("shipping method", {"shipping_method": "Teleport"}, "data[0].shipping_method"),
            ("store name", {"cart": {"store_name": "Nope"}}, "data[0].cart.store_name"),
            ("channel id", {"cart": {"id": 999}}, "data[0].cart.id"),
        ],
    )
    async def test_unregistered_names_answer_400_naming_them(
        self,
        client: httpx.AsyncClient,
        stocked: Factory,
        _case: str,
        change: dict[str, Any],
        field: str,
    ) -> None:
        response = await create(client, order_body(**change))

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field

    async def test_a_duplicate_order_number_answers_400(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        await create(client, order_body("DUP"))

        response = await create(client, order_body("DUP"))

        assert response.status_code == 400
        assert "already exists" in response.json()["response"]["message"]
        assert await order_count(client) == 1

    async def test_a_partly_failing_bulk_call_keeps_the_valid_orders(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await create(
            client, order_body("OK-1"), order_body("BAD-1", ("NOPE", 1)), order_body("OK-2")
        )

        assert response.status_code == 200
        results = response.json()["data"]
        assert [r["success"] for r in results] == [True, False, True]
        assert results[1]["field"] == "data[1].items[0].sku"
        assert await order_count(client) == 2

    async def test_an_order_created_on_hold_shows_hold_and_takes_no_stock(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await create(client, order_body("H-1", status="Hold", hold_reason="fraud"))

        result = response.json()["data"][0]
        assert (result["status"], result["status_id"]) == ("Hold", 5)
        order = (await client.get(f"/orders/{result['order_id']}")).json()["data"]
        assert order["items"][0]["allocated"] == 0
        assert order["hold_reason"] == "fraud"


class TestGet:
    async def test_identifies_an_order_every_documented_way(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]

        by_id = await client.get(f"/orders/{created['order_id']}?identify_by=order_id")
        by_number = await client.get("/orders/ORD-001?identify_by=order_number")
        by_reference = await client.get("/orders/REF-123?identify_by=order_reference")
        by_api = await client.get("/orders/ORD-001?identify_by=order_api")

        ids = {r.json()["data"]["order_id"] for r in (by_id, by_number, by_reference, by_api)}
        assert ids == {created["order_id"]}

    async def test_shows_every_line_in_line_order_with_its_allocation(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = order_body("ORD-3", ("PROD-002", 1), ("PROD-001", 4), ("PROD-002", 2))
        created = (await create(client, body)).json()["data"][0]

        order = (await client.get(f"/orders/{created['order_id']}")).json()["data"]

        lines = [(i["sku"], i["quantity"], i["allocated"]) for i in order["items"]]
        assert lines == [("PROD-002", 1, 0), ("PROD-001", 4, 4), ("PROD-002", 2, 0)]
        assert order["order_number"] == "ORD-3"

    async def test_a_missing_order_answers_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/orders/424242")

        assert response.status_code == 404

    async def test_a_non_numeric_order_id_answers_400(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/orders/abc")

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "order"

    async def test_another_accounts_order_answers_404(
        self,
        client: httpx.AsyncClient,
        stocked: Factory,
        engines: Engines,
        seed_order: dict[str, Any],
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        response = await client.get(
            f"/orders/{created['order_id']}",
            headers={"AccountID": str(other.account_id), "Key": other.key},
        )

        assert response.status_code == 404


class TestList:
    async def test_pages_with_the_seed_metadata(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        await create(client, *(order_body(f"L-{n}", ("PROD-001", 1)) for n in range(5)))

        response = await client.get("/orders?page=2&per_page=2")

        body = response.json()
        assert body["metadata"] == {
            "page": 2,
            "per_page": 2,
            "total_records": 5,
            "total_pages": 3,
            "total_current_page": 2,
        }
        assert [o["order_number"] for o in body["data"]] == ["L-2", "L-1"]

    async def test_per_page_is_capped(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/orders?per_page=100000")

        assert response.json()["metadata"]["per_page"] == 250

    async def test_filters_by_status_id(self, client: httpx.AsyncClient, stocked: Factory) -> None:
        await create(client, order_body("P-1"), order_body("B-1", ("PROD-002", 1)))

        processing = (await client.get("/orders?status_id=2")).json()["data"]
        backorder = (await client.get("/orders?status_id=4")).json()["data"]

        assert [o["order_number"] for o in processing] == ["P-1"]
        assert [o["order_number"] for o in backorder] == ["B-1"]

    async def test_sorts_ascending_by_order_number(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        await create(client, order_body("B"), order_body("C"), order_body("A"))

        response = await client.get("/orders?order_by=order_number&order_direction=asc")

        assert [o["order_number"] for o in response.json()["data"]] == ["A", "B", "C"]

    async def test_filters_by_store_name_and_dates(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        await create(client, order_body("S-1"))

        same = await client.get("/orders?filter_by=store_name&filter_value=My%20Shop")
        other = await client.get("/orders?filter_by=store_name&filter_value=Elsewhere")
        future = await client.get("/orders?from_date=2999-01-01")

        assert same.json()["metadata"]["total_records"] == 1
        assert other.json()["metadata"]["total_records"] == 0
        assert future.json()["metadata"]["total_records"] == 0

    @pytest.mark.parametrize(
        ("_case", "query", "field"),
        [
            ("bad sort", "order_by=color", "order_by"),
            ("bad status", "status_id=99", "status_id"),
            ("bad date", "from_date=yesterday", "from_date"),
            ("bad direction", "order_direction=up", "order_direction"),
            ("filter without value", "filter_by=cart_id", "filter_value"),
            ("page zero", "page=0", "page"),
        ],
    )
    async def test_bad_query_parameters_answer_400_naming_them(
        self, client: httpx.AsyncClient, _case: str, query: str, field: str
    ) -> None:
        response = await client.get(f"/orders?{query}")

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field


class TestUpdate:
    async def test_changes_the_address_and_keeps_the_rest(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]

        response = await client.put(
            "/orders",
            json={"data": [{"order_id": created["order_id"], "customer": {"city": "Pasadena"}}]},
        )

        assert response.status_code == 200
        order = (await client.get(f"/orders/{created['order_id']}")).json()["data"]
        assert order["customer"]["city"] == "Pasadena"
        assert order["customer"]["address1"] == "123 Main St"

    async def test_replacing_items_reallocates(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]

        await client.put(
            "/orders",
            json={
                "data": [{"order_number": "ORD-001", "items": [{"sku": "PROD-001", "quantity": 7}]}]
            },
        )

        order = (await client.get(f"/orders/{created['order_id']}")).json()["data"]
        assert [(i["sku"], i["quantity"], i["allocated"]) for i in order["items"]] == [
            ("PROD-001", 7, 7)
        ]

    async def test_hold_releases_stock_and_pending_takes_it_again(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        first = (await create(client, order_body("F-1", ("PROD-001", 10)))).json()["data"][0]
        waiting = (await create(client, order_body("W-1", ("PROD-001", 4)))).json()["data"][0]

        held = await client.put(
            "/orders", json={"data": [{"order_id": first["order_id"], "status": "Hold"}]}
        )

        assert held.json()["data"][0]["status"] == "Hold"
        after = (await client.get(f"/orders/{waiting['order_id']}")).json()["data"]
        assert after["status"] == "Processing"
        resumed = await client.put(
            "/orders", json={"data": [{"order_id": first["order_id"], "status": "Pending"}]}
        )
        assert resumed.json()["data"][0]["status"] == "Backorder"

    async def test_an_update_without_identifier_answers_400(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.put("/orders", json={"data": [{"notes": "x"}]})

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "order_id"

    async def test_updating_a_missing_order_answers_400_per_item(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.put("/orders", json={"data": [{"order_id": 999, "notes": "x"}]})

        assert response.status_code == 400
        assert "not found" in response.json()["response"]["message"]


class TestCancel:
    async def test_cancel_releases_stock_to_a_waiting_order(
        self, client: httpx.AsyncClient, stocked: Factory
    ) -> None:
        first = (await create(client, order_body("F-1", ("PROD-001", 10)))).json()["data"][0]
        waiting = (await create(client, order_body("W-1", ("PROD-001", 3)))).json()["data"][0]

        response = await client.post("/orders/cancel", json={"order_id": first["order_id"]})

        assert response.status_code == 200
        assert response.json()["data"]["status"] == "Cancelled"
        after = (await client.get(f"/orders/{waiting['order_id']}")).json()["data"]
        assert after["status"] == "Processing"

    async def test_cancelling_twice_answers_400(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]
        await client.post("/orders/cancel", json={"order_id": created["order_id"]})

        response = await client.post("/orders/cancel", json={"order_id": created["order_id"]})

        assert response.status_code == 400

    async def test_cancelling_a_missing_order_answers_404(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/orders/cancel", json={"order_id": 123})

        assert response.status_code == 404

    async def test_bulk_cancel_reports_each_order(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]

        response = await client.post(
            "/orders/cancel-bulk", json={"order_ids": [created["order_id"], 999]}
        )

        assert response.status_code == 200
        results = response.json()["data"]
        assert [(r["order_id"], r["success"]) for r in results] == [
            (created["order_id"], True),
            (999, False),
        ]

    async def test_bulk_cancel_without_ids_answers_400(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/orders/cancel-bulk", json={"order_ids": []})

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "order_ids"


class TestSubStatus:
    async def test_sets_the_sub_status(
        self, client: httpx.AsyncClient, stocked: Factory, seed_order: dict[str, Any]
    ) -> None:
        created = (await client.post("/orders", json=seed_order)).json()["data"][0]

        response = await client.post(
            "/orders/sub_status",
            json={"order_id": created["order_id"], "sub_status": "Custom Status"},
        )

        assert response.status_code == 200
        order = (await client.get(f"/orders/{created['order_id']}")).json()["data"]
        assert order["sub_status"] == "Custom Status"

    async def test_a_missing_order_answers_404(self, client: httpx.AsyncClient) -> None:
        response = await client.post("/orders/sub_status", json={"order_id": 5, "sub_status": "x"})

        assert response.status_code == 404
