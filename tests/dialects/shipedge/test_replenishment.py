from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory
from tests.services.checks import level

SEED = {
    "data": [
        {
            "items": [{"sku": "PROD-001", "quantity": 100}],
            "distribution_center": "DC-CODE",
            "eta": "2024-12-31",
        }
    ]
}


@pytest.fixture
async def catalog(make: Factory) -> Factory:
    """DC-CODE exists; PROD-001 and PROD-002 exist with no stock."""
    await make.location("DC-CODE")
    await make.item("PROD-001")
    await make.item("PROD-002")
    return make


async def create(client: httpx.AsyncClient, body: dict[str, Any] = SEED) -> int:
    response = await client.post("/inventory/replenishments", json=body)
    assert response.status_code == 200, response.json()
    return int(response.json()["data"][0]["replenishment_id"])


async def patch(client: httpx.AsyncClient, *changes: dict[str, Any]) -> httpx.Response:
    return await client.patch("/inventory/replenishments", json={"data": list(changes)})


async def count(client: httpx.AsyncClient) -> int:
    response = await client.get("/inventory/replenishments")
    return int(response.json()["metadata"]["total_records"])


def one(**fields: Any) -> dict[str, Any]:
    """The seed's replenishment with some fields replaced (None removes a field)."""
    item = {**SEED["data"][0], **fields}
    return {"data": [{k: v for k, v in item.items() if v is not None}]}


class TestCreate:
    async def test_the_seed_example_creates_a_pending_replenishment(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        response = await client.post("/inventory/replenishments", json=SEED)

        assert response.status_code == 200
        [result] = response.json()["data"]
        assert result == {
            "replenishment_id": result["replenishment_id"],
            "status": "Pending",
            "success": True,
            "message": None,
            "field": None,
        }
        shown = (await client.get(f"/inventory/replenishments/{result['replenishment_id']}")).json()
        data = shown["data"]
        assert data == {
            "replenishment_id": result["replenishment_id"],
            "distribution_center": "DC-CODE",
            "status": "Pending",
            "eta": "2024-12-31",
            "reference": "",
            "items": [{"sku": "PROD-001", "quantity": 100, "received": 0}],
            "created_at": data["created_at"],
            "updated_at": data["updated_at"],
        }
        assert await level(catalog, "DC-CODE", "PROD-001") == (0, 0)

    @pytest.mark.parametrize(
        ("_case", "body", "field", "message"),
        [
            (
                "unregistered distribution center",
                one(distribution_center="DC-NOPE"),
                "data[0].distribution_center",
                "distribution center 'DC-NOPE' is not registered",
            ),
            (
                "unknown sku",
                one(items=[{"sku": "NOPE", "quantity": 1}]),
                "data[0].items[0].sku",
                "unknown SKU 'NOPE'",
            ),
            (
                "repeated sku",
                one(items=[{"sku": "PROD-001", "quantity": 1}, {"sku": "PROD-001", "quantity": 2}]),
                "data[0].items[1].sku",
                "SKU is repeated",
            ),
            (
                "impossible eta",
                one(eta="2024-13-45"),
                "data[0].eta",
                "data[0].eta: Input should be a valid date or datetime, month value is outside"
                " expected range of 1-12",
            ),
            (
                "eta as a timestamp",
                one(eta=1735603200),
                "data[0].eta",
                "data[0].eta: Value error, must be a date as YYYY-MM-DD",
            ),
            (
                "eta in words",
                one(eta="tomorrow"),
                "data[0].eta",
                "data[0].eta: Value error, must be a date as YYYY-MM-DD",
            ),
            (
                "no distribution center",
                one(distribution_center=None),
                "data[0].distribution_center",
                "data[0].distribution_center: is required",
            ),
            ("no items", one(items=None), "data[0].items", "data[0].items: is required"),
            (
                "zero quantity",
                one(items=[{"sku": "PROD-001", "quantity": 0}]),
                "data[0].items[0].quantity",
                "data[0].items[0].quantity: Input should be greater than 0",
            ),
            (
                "negative received",
                one(items=[{"sku": "PROD-001", "quantity": 1, "received": -1}]),
                "data[0].items[0].received",
                "data[0].items[0].received: Input should be greater than or equal to 0",
            ),
        ],
    )
    async def test_bad_input_answers_400_naming_the_field(
        self,
        client: httpx.AsyncClient,
        catalog: Factory,
        _case: str,
        body: Any,
        field: str,
        message: str,
    ) -> None:
        response = await client.post("/inventory/replenishments", json=body)

        assert response.status_code == 400
        error = response.json()["response"]
        assert (error["errors"][0]["field"], error["message"]) == (field, message)
        assert await count(client) == 0

    async def test_received_units_on_create_go_on_hand(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        replenishment_id = await create(
            client, one(items=[{"sku": "PROD-001", "quantity": 10, "received": 10}])
        )

        shown = (await client.get(f"/inventory/replenishments/{replenishment_id}")).json()
        assert shown["data"]["status"] == "Received"
        assert await level(catalog, "DC-CODE", "PROD-001") == (10, 0)


class TestUpdate:
    async def test_receiving_raises_stock_and_allocates_backorders(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        waiting = await catalog.order(("PROD-001", 30))
        replenishment_id = await create(client)

        response = await patch(
            client,
            {"replenishment_id": replenishment_id, "items": [{"sku": "PROD-001", "received": 40}]},
        )

        assert response.status_code == 200
        assert response.json()["data"][0]["status"] == "Partially Received"
        assert await level(catalog, "DC-CODE", "PROD-001") == (40, 30)
        order = (await client.get(f"/orders/{waiting.order_id}")).json()["data"]
        assert order["status"] == "Processing"

    async def test_receiving_everything_marks_it_received(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        replenishment_id = await create(client)
        await patch(
            client,
            {"replenishment_id": replenishment_id, "items": [{"sku": "PROD-001", "received": 40}]},
        )

        response = await patch(
            client,
            {"replenishment_id": replenishment_id, "items": [{"sku": "PROD-001", "received": 100}]},
        )

        assert response.json()["data"][0]["status"] == "Received"
        assert await level(catalog, "DC-CODE", "PROD-001") == (100, 0)

    async def test_same_structure_as_create_changes_eta_and_adds_skus(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        replenishment_id = await create(client)

        response = await patch(
            client,
            {
                "replenishment_id": replenishment_id,
                "items": [{"sku": "PROD-001", "quantity": 80}, {"sku": "PROD-002", "quantity": 5}],
                "distribution_center": "DC-CODE",
                "eta": "2025-01-15",
                "reference": "PO-77",
            },
        )

        assert response.status_code == 200
        data = (await client.get(f"/inventory/replenishments/{replenishment_id}")).json()["data"]
        assert (data["eta"], data["reference"], data["status"]) == (
            "2025-01-15",
            "PO-77",
            "Pending",
        )
        assert data["items"] == [
            {"sku": "PROD-001", "quantity": 80, "received": 0},
            {"sku": "PROD-002", "quantity": 5, "received": 0},
        ]

    async def test_received_going_down_answers_400(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        replenishment_id = await create(
            client, one(items=[{"sku": "PROD-001", "quantity": 10, "received": 6}])
        )

        response = await patch(
            client,
            {"replenishment_id": replenishment_id, "items": [{"sku": "PROD-001", "received": 5}]},
        )

        assert response.status_code == 400
        error = response.json()["response"]
        assert error["message"] == "received cannot go down: 6 of PROD-001 already received"
        assert error["errors"][0]["field"] == "data[0].items[0].received"
        assert await level(catalog, "DC-CODE", "PROD-001") == (6, 0)

    async def test_cancelling_closes_it(self, client: httpx.AsyncClient, catalog: Factory) -> None:
        replenishment_id = await create(client)

        cancelled = await patch(
            client, {"replenishment_id": replenishment_id, "status": "Cancelled"}
        )
        receiving = await patch(
            client,
            {"replenishment_id": replenishment_id, "items": [{"sku": "PROD-001", "received": 1}]},
        )

        assert cancelled.json()["data"][0]["status"] == "Cancelled"
        assert receiving.status_code == 400
        assert receiving.json()["response"]["message"] == (
            "a cancelled replenishment cannot be changed"
        )
        assert await level(catalog, "DC-CODE", "PROD-001") == (0, 0)

    @pytest.mark.parametrize(
        ("_case", "change", "field"),
        [
            ("no replenishment_id", {"items": []}, "data[0].replenishment_id"),
            ("text replenishment_id", {"replenishment_id": "R-1"}, "data[0].replenishment_id"),
            ("unknown status", {"replenishment_id": 1, "status": "Received"}, "data[0].status"),
            (
                "text received",
                {"replenishment_id": 1, "items": [{"sku": "PROD-001", "received": "all"}]},
                "data[0].items[0].received",
            ),
        ],
    )
    async def test_a_malformed_update_answers_400_naming_the_field(
        self, client: httpx.AsyncClient, catalog: Factory, _case: str, change: Any, field: str
    ) -> None:
        await create(client)

        response = await patch(client, change)

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field

    async def test_a_missing_replenishment_is_reported_on_its_item(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        response = await patch(client, {"replenishment_id": 424242, "eta": "2025-01-01"})

        assert response.status_code == 400
        error = response.json()["response"]
        assert (error["message"], error["errors"][0]["field"]) == (
            "replenishment 424242 not found",
            "data[0].replenishment_id",
        )

    async def test_another_accounts_replenishment_is_not_touched(
        self, client: httpx.AsyncClient, catalog: Factory, engines: Engines
    ) -> None:
        replenishment_id = await create(client)
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        foreign = {"AccountID": str(other.account_id), "Key": other.key}

        patched = await client.patch(
            "/inventory/replenishments",
            json={
                "data": [
                    {
                        "replenishment_id": replenishment_id,
                        "items": [{"sku": "PROD-001", "received": 5}],
                    }
                ]
            },
            headers=foreign,
        )
        shown = await client.get(f"/inventory/replenishments/{replenishment_id}", headers=foreign)

        assert patched.status_code == 400
        assert (
            patched.json()["response"]["message"] == f"replenishment {replenishment_id} not found"
        )
        assert shown.status_code == 404
        assert await level(catalog, "DC-CODE", "PROD-001") == (0, 0)


class TestRead:
    async def test_lists_newest_first_with_the_seed_metadata(
        self, client: httpx.AsyncClient, catalog: Factory
    ) -> None:
        first = await create(client)
        second = await create(client)

        response = await client.get("/inventory/replenishments?page=2&per_page=1")

        assert [r["replenishment_id"] for r in response.json()["data"]] == [first]
        assert response.json()["metadata"] == {
            "page": 2,
            "per_page": 1,
            "total_records": 2,
            "total_pages": 2,
            "total_current_page": 1,
        }
        assert second > first

    async def test_a_missing_replenishment_answers_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/inventory/replenishments/424242")

        assert response.status_code == 404
        assert response.json()["response"]["message"] == "replenishment 424242 not found"
