import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.services import manufacture as manufacture_service
from orderyard.services.manufacture import CreateManufactureOrder
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory


@pytest.fixture
async def kit(make: Factory) -> Factory:
    """BUNDLE-001 = 1 x SKU-1 + 2 x SKU-2; DC-CODE holds 10 of each part."""
    await make.location("DC-CODE")
    await make.item("SKU-1")
    await make.item("SKU-2")
    await make.kit("BUNDLE-001", ("SKU-1", 1), ("SKU-2", 2))
    await make.stock("DC-CODE", "SKU-1", 10)
    await make.stock("DC-CODE", "SKU-2", 10)
    return make


async def plan(make: Factory, quantity: int) -> int:
    command = CreateManufactureOrder("BUNDLE-001", quantity, "DC-CODE")
    return (await manufacture_service.create_manufacture_order(make.uow(), command)).id


async def test_get_shows_a_completed_manufacture_order(
    client: httpx.AsyncClient, kit: Factory
) -> None:
    order_id = await plan(kit, 3)
    await manufacture_service.complete_manufacture_order(kit.uow(), order_id)

    response = await client.get(f"/manufacture/{order_id}")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data == {
        "manufacture_order_id": order_id,
        "sku": "BUNDLE-001",
        "quantity": 3,
        "distribution_center": "DC-CODE",
        "status": "Completed",
        "items": [
            {"sku": "SKU-1", "quantity": 1, "total_quantity": 3},
            {"sku": "SKU-2", "quantity": 2, "total_quantity": 6},
        ],
        "created_at": data["created_at"],
        "completed_at": data["completed_at"],
    }
    assert data["completed_at"] is not None


async def test_lists_newest_first_with_the_seed_metadata(
    client: httpx.AsyncClient, kit: Factory
) -> None:
    first = await plan(kit, 1)
    second = await plan(kit, 2)
    await manufacture_service.cancel_manufacture_order(kit.uow(), first)

    response = await client.get("/manufacture?per_page=5")

    assert response.status_code == 200
    assert [(m["manufacture_order_id"], m["status"]) for m in response.json()["data"]] == [
        (second, "Pending"),
        (first, "Cancelled"),
    ]
    assert response.json()["metadata"] == {
        "page": 1,
        "per_page": 5,
        "total_records": 2,
        "total_pages": 1,
        "total_current_page": 2,
    }


async def test_a_missing_manufacture_order_answers_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/manufacture/424242")

    assert response.status_code == 404
    assert response.json()["response"]["message"] == "manufacture order 424242 not found"


async def test_a_non_numeric_id_answers_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/manufacture/MO-1")

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["field"] == "order"


async def test_another_accounts_manufacture_order_answers_404(
    client: httpx.AsyncClient, kit: Factory, engines: Engines
) -> None:
    order_id = await plan(kit, 1)
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    foreign = {"AccountID": str(other.account_id), "Key": other.key}

    shown = await client.get(f"/manufacture/{order_id}", headers=foreign)
    listed = await client.get("/manufacture", headers=foreign)

    assert shown.status_code == 404
    assert listed.json()["data"] == []
