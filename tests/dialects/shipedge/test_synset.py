from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory

SEED = {
    "synset": "BUNDLE-001",
    "items": [{"sku": "SKU-1", "quantity": 1}, {"sku": "SKU-2", "quantity": 2}],
}


@pytest.fixture
async def parts(make: Factory) -> Factory:
    """SKU-1 and SKU-2 exist."""
    await make.item("SKU-1")
    await make.item("SKU-2")
    return make


async def create(client: httpx.AsyncClient, *synsets: dict[str, Any]) -> httpx.Response:
    return await client.post("/inventory/synsets", json={"data": list(synsets)})


async def synset_count(client: httpx.AsyncClient) -> int:
    return int((await client.get("/inventory/synsets")).json()["metadata"]["total_records"])


async def test_the_seed_example_creates_a_synset_product(
    client: httpx.AsyncClient, parts: Factory
) -> None:
    response = await create(client, SEED)

    assert response.status_code == 200
    [result] = response.json()["data"]
    assert (result["synset"], result["success"]) == ("BUNDLE-001", True)
    got = (await client.get("/inventory/synsets/BUNDLE-001")).json()["data"]
    assert got["product_id"] == result["product_id"]
    assert got["description"] == "BUNDLE-001"
    assert [(i["sku"], i["quantity"]) for i in got["items"]] == [("SKU-1", 1), ("SKU-2", 2)]
    product = (await client.get("/inventory/products/BUNDLE-001")).json()["data"]
    assert product["is_synset"] is True


@pytest.mark.parametrize(
    ("_case", "items", "field"),
    [
        ("zero quantity", [{"sku": "SKU-1", "quantity": 0}], "data[0].items[0].quantity"),
        ("no quantity", [{"sku": "SKU-1"}], "data[0].items[0].quantity"),
        ("no items", [], "data[0].items"),
    ],
)
async def test_a_malformed_synset_answers_400(
    client: httpx.AsyncClient, parts: Factory, _case: str, items: list[Any], field: str
) -> None:
    response = await create(client, {"synset": "KIT", "items": items})

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["field"] == field
    assert await synset_count(client) == 0


@pytest.mark.parametrize(
    ("_case", "items", "field", "message"),
    [
        (
            "unknown item",
            [{"sku": "SKU-1", "quantity": 1}, {"sku": "NOPE", "quantity": 1}],
            "data[0].items[1].sku",
            "SKU 'NOPE' does not exist",
        ),
        (
            "nested synset",
            [{"sku": "BUNDLE-001", "quantity": 1}],
            "data[0].items[0].sku",
            "SKU 'BUNDLE-001' is a synset; synsets cannot contain synsets",
        ),
        (
            "itself",
            [{"sku": "KIT", "quantity": 1}],
            "data[0].items[0].sku",
            "synset 'KIT' cannot contain itself",
        ),
    ],
)
async def test_bad_items_fail_the_synset_and_write_nothing(
    client: httpx.AsyncClient,
    parts: Factory,
    _case: str,
    items: list[Any],
    field: str,
    message: str,
) -> None:
    await create(client, SEED)

    response = await create(client, {"synset": "KIT", "items": items})

    assert response.status_code == 400
    assert response.json()["response"]["errors"] == [
        {"field": field, "message": message, "index": 0}
    ]
    assert (await client.get("/inventory/products/KIT")).status_code == 404


async def test_an_existing_synset_is_a_duplicate(client: httpx.AsyncClient, parts: Factory) -> None:
    await create(client, SEED)

    response = await create(client, SEED)

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["field"] == "data[0].synset"


async def test_patch_replaces_the_items(client: httpx.AsyncClient, parts: Factory) -> None:
    await create(client, SEED)

    response = await client.patch(
        "/inventory/synsets",
        json={"data": [{"synset": "BUNDLE-001", "items": [{"sku": "SKU-2", "quantity": 3}]}]},
    )

    assert response.status_code == 200
    got = (await client.get("/inventory/synsets/BUNDLE-001")).json()["data"]
    assert [(i["sku"], i["quantity"]) for i in got["items"]] == [("SKU-2", 3)]


async def test_patch_of_an_unknown_synset_is_reported(
    client: httpx.AsyncClient, parts: Factory
) -> None:
    response = await client.patch("/inventory/synsets", json={"data": [SEED]})

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0] == {
        "field": "data[0].synset",
        "message": "synset 'BUNDLE-001' not found",
        "index": 0,
    }


async def test_lists_synsets_with_metadata(client: httpx.AsyncClient, parts: Factory) -> None:
    await create(client, SEED, {"synset": "KIT-2", "items": [{"sku": "SKU-1", "quantity": 4}]})

    response = await client.get("/inventory/synsets", params={"per_page": 1, "page": 2})

    body = response.json()
    assert [(s["synset"], s["items"][0]["quantity"]) for s in body["data"]] == [("KIT-2", 4)]
    assert (body["metadata"]["total_records"], body["metadata"]["total_pages"]) == (2, 2)


async def test_a_missing_plain_or_foreign_synset_answers_404(
    client: httpx.AsyncClient, parts: Factory, engines: Engines
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    theirs = Factory(engines, other.account_id)
    await theirs.item("PART")
    await client.post(
        "/inventory/synsets",
        json={"data": [{"synset": "THEIRS", "items": [{"sku": "PART", "quantity": 1}]}]},
        headers={"AccountID": str(other.account_id), "Key": other.key},
    )

    statuses = [
        (await client.get(f"/inventory/synsets/{name}")).status_code
        for name in ("NOPE", "SKU-1", "THEIRS")
    ]

    assert statuses == [404, 404, 404]


async def test_an_order_for_the_synset_allocates_its_items(
    client: httpx.AsyncClient, parts: Factory
) -> None:
    await parts.location("DC-1")
    await parts.stock("DC-1", "SKU-1", 5)
    await parts.stock("DC-1", "SKU-2", 5)
    await create(client, SEED)

    created = await client.post("/orders", json={"data": [order_body("K-1", ("BUNDLE-001", 2))]})

    order_id = created.json()["data"][0]["order_id"]
    items = (await client.get(f"/orders/{order_id}")).json()["data"]["items"]
    assert [(i["sku"], i["synset"], i["quantity"], i["allocated"]) for i in items] == [
        ("SKU-1", "BUNDLE-001", 2, 2),
        ("SKU-2", "BUNDLE-001", 4, 4),
    ]
    stock = (await client.get("/inventory/stock", params={"sku": "BUNDLE-001"})).json()["data"]
    assert stock[0]["total"]["available"] == 0
