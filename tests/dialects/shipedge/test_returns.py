from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.services import returns as returns_service
from orderyard.services.returns import ReceiveReturn, ReturnCount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory
from tests.services.checks import level


@pytest.fixture
async def shipped(make: Factory) -> int:
    """Order ORD-1 shipped 2 x PROD-001 from DC-CODE; PROD-002 exists but is not on it."""
    await make.location("DC-CODE")
    await make.item("PROD-001")
    await make.item("PROD-002")
    await make.stock("DC-CODE", "PROD-001", 10)
    placed = await make.order(("PROD-001", 2))
    await make.ship(placed.order_id or 0)
    return placed.order_id or 0


def body(order_id: int, *items: dict[str, Any]) -> dict[str, Any]:
    """The seed's example body for one return (default item: 1 x PROD-001, Defective)."""
    default = {"sku": "PROD-001", "quantity": 1, "reason": "Defective"}
    return {"data": [{"order_id": order_id, "items": list(items or (default,))}]}


async def return_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/inventory/returns")
    return int(response.json()["metadata"]["total_records"])


class TestCreate:
    async def test_the_seed_example_creates_a_pending_return(
        self, client: httpx.AsyncClient, shipped: int
    ) -> None:
        response = await client.post("/inventory/returns", json=body(shipped))

        assert response.status_code == 200
        [result] = response.json()["data"]
        assert result == {
            "order_id": shipped,
            "return_id": result["return_id"],
            "status": "PENDING",
            "success": True,
            "message": None,
            "field": None,
        }
        order = (await client.get(f"/orders/{shipped}")).json()["data"]
        assert order["items"][0]["returned"] == 1

    @pytest.mark.parametrize(
        ("_case", "data", "field"),
        [
            ("no order_id", [{"items": [{"sku": "PROD-001", "quantity": 1}]}], "data[0].order_id"),
            ("no items", [{"order_id": 1}], "data[0].items"),
            ("empty items", [{"order_id": 1, "items": []}], "data[0].items"),
            ("no sku", [{"order_id": 1, "items": [{"quantity": 1}]}], "data[0].items[0].sku"),
            (
                "no quantity",
                [{"order_id": 1, "items": [{"sku": "PROD-001"}]}],
                "data[0].items[0].quantity",
            ),
            (
                "text quantity",
                [{"order_id": 1, "items": [{"sku": "PROD-001", "quantity": "one"}]}],
                "data[0].items[0].quantity",
            ),
            (
                "text order_id",
                [{"order_id": "ORD-1", "items": [{"sku": "PROD-001", "quantity": 1}]}],
                "data[0].order_id",
            ),
        ],
    )
    async def test_a_missing_or_malformed_field_answers_400_naming_it(
        self, client: httpx.AsyncClient, shipped: int, _case: str, data: Any, field: str
    ) -> None:
        response = await client.post("/inventory/returns", json={"data": data})

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field
        assert await return_count(client) == 0

    async def test_units_never_shipped_answer_400_naming_the_item(
        self, client: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        unshipped = await make.order(("PROD-001", 1))

        response = await client.post("/inventory/returns", json=body(unshipped.order_id or 0))

        assert response.status_code == 400
        error = response.json()["response"]
        assert error["message"] == (
            "cannot return 1 of PROD-001: 0 returnable (0 shipped, 0 already returned or announced)"
        )
        assert error["errors"][0]["field"] == "data[0].items[0].quantity"
        assert await return_count(client) == 0

    async def test_more_than_shipped_answers_400(
        self, client: httpx.AsyncClient, shipped: int
    ) -> None:
        response = await client.post(
            "/inventory/returns", json=body(shipped, {"sku": "PROD-001", "quantity": 3})
        )

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "data[0].items[0].quantity"
        order = (await client.get(f"/orders/{shipped}")).json()["data"]
        assert order["items"][0]["returned"] == 0

    async def test_an_sku_not_on_the_order_answers_400(
        self, client: httpx.AsyncClient, shipped: int
    ) -> None:
        response = await client.post(
            "/inventory/returns", json=body(shipped, {"sku": "PROD-002", "quantity": 1})
        )

        assert response.status_code == 400
        assert response.json()["response"]["message"] == "SKU 'PROD-002' is not on order ORD-1"
        assert response.json()["response"]["errors"][0]["field"] == "data[0].items[0].sku"

    async def test_a_missing_order_is_reported_on_its_item(
        self, client: httpx.AsyncClient, shipped: int
    ) -> None:
        response = await client.post(
            "/inventory/returns",
            json={"data": [*body(shipped)["data"], *body(424242)["data"]]},
        )

        assert response.status_code == 200
        results = response.json()["data"]
        assert [r["success"] for r in results] == [True, False]
        assert (results[1]["field"], results[1]["message"]) == (
            "data[1].order_id",
            "order 424242 not found",
        )
        assert await return_count(client) == 1

    async def test_another_accounts_order_answers_400_when_nothing_succeeds(
        self, client: httpx.AsyncClient, shipped: int, engines: Engines
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        response = await client.post(
            "/inventory/returns",
            json=body(shipped),
            headers={"AccountID": str(other.account_id), "Key": other.key},
        )

        assert response.status_code == 400
        assert response.json()["response"]["message"] == f"order {shipped} not found"
        assert await return_count(client) == 0


class TestRead:
    async def test_get_shows_the_return_as_announced(
        self, client: httpx.AsyncClient, shipped: int
    ) -> None:
        created = (await client.post("/inventory/returns", json=body(shipped))).json()["data"][0]

        response = await client.get(f"/inventory/returns/{created['return_id']}")

        assert response.status_code == 200
        data = response.json()["data"]
        assert data == {
            "return_id": created["return_id"],
            "order_id": shipped,
            "order_number": "ORD-1",
            "status": "PENDING",
            "distribution_center": None,
            "items": [
                {"sku": "PROD-001", "quantity": 1, "reason": "Defective", "good": 0, "hurt": 0}
            ],
            "created_at": data["created_at"],
            "updated_at": data["updated_at"],
        }

    @pytest.mark.parametrize(
        ("_case", "counts", "after_receipt", "after_commit"),
        [
            ("all good", (ReturnCount("PROD-001", 2),), "PROCESSING", "AS EXPECTED"),
            ("one hurt", (ReturnCount("PROD-001", 1, 1),), "PROCESSING", "DISCREPANCY"),
            ("one missing", (ReturnCount("PROD-001", 1),), "PROCESSING", "INCOMPLETE"),
        ],
    )
    async def test_status_words_follow_receipt_and_commit(
        self,
        client: httpx.AsyncClient,
        shipped: int,
        make: Factory,
        _case: str,
        counts: tuple[ReturnCount, ...],
        after_receipt: str,
        after_commit: str,
    ) -> None:
        created = (
            await client.post(
                "/inventory/returns", json=body(shipped, {"sku": "PROD-001", "quantity": 2})
            )
        ).json()["data"][0]
        return_id = created["return_id"]

        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-CODE", counts)
        )
        received = (await client.get(f"/inventory/returns/{return_id}")).json()["data"]
        await returns_service.commit_return(make.uow(), return_id)
        committed = (await client.get(f"/inventory/returns/{return_id}")).json()["data"]

        assert (received["status"], committed["status"]) == (after_receipt, after_commit)
        assert committed["distribution_center"] == "DC-CODE"
        item = committed["items"][0]
        assert (item["good"], item["hurt"]) == (counts[0].good, counts[0].damaged)
        assert await level(make, "DC-CODE", "PROD-001") == (8 + counts[0].good, 0)

    async def test_a_cancelled_return_shows_cancelled(
        self, client: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = (await client.post("/inventory/returns", json=body(shipped))).json()["data"][0]

        await returns_service.cancel_return(make.uow(), created["return_id"])

        response = await client.get(f"/inventory/returns/{created['return_id']}")
        assert response.json()["data"]["status"] == "CANCELLED"

    async def test_lists_newest_first_with_the_seed_metadata(
        self, client: httpx.AsyncClient, shipped: int
    ) -> None:
        first = (await client.post("/inventory/returns", json=body(shipped))).json()["data"][0]
        second = (await client.post("/inventory/returns", json=body(shipped))).json()["data"][0]

        response = await client.get("/inventory/returns?page=1&per_page=1")

        assert response.status_code == 200
        assert [r["return_id"] for r in response.json()["data"]] == [second["return_id"]]
        assert response.json()["metadata"] == {
            "page": 1,
            "per_page": 1,
            "total_records": 2,
            "total_pages": 2,
            "total_current_page": 1,
        }
        assert first["return_id"] < second["return_id"]

    async def test_a_missing_return_answers_404(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/inventory/returns/424242")

        assert response.status_code == 404
        assert response.json()["response"]["message"] == "return 424242 not found"

    async def test_a_non_numeric_return_answers_400(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/inventory/returns/abc")

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "return"

    async def test_another_accounts_return_answers_404(
        self, client: httpx.AsyncClient, shipped: int, engines: Engines
    ) -> None:
        created = (await client.post("/inventory/returns", json=body(shipped))).json()["data"][0]
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        response = await client.get(
            f"/inventory/returns/{created['return_id']}",
            headers={"AccountID": str(other.account_id), "Key": other.key},
        )
        listed = await client.get(
            "/inventory/returns", headers={"AccountID": str(other.account_id), "Key": other.key}
        )

        assert response.status_code == 404
        assert listed.json()["data"] == []
