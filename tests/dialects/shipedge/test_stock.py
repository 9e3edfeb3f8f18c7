import httpx
import pytest

from orderyard.services import catalog as catalog_service
from orderyard.services.catalog import SetKit
from tests.factories import Factory


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """PROD-001 at DC-CODE (10, 2 of them ordered) and DC-2 (3); BUNDLE-001 = 2 x PROD-001."""
    await make.location("DC-CODE", priority=1)
    await make.location("DC-2", priority=2)
    await make.item("PROD-001")
    await make.stock("DC-CODE", "PROD-001", 10)
    await make.stock("DC-2", "PROD-001", 3)
    await make.order(("PROD-001", 2))
    await catalog_service.create_kits(make.uow(), [SetKit("BUNDLE-001", (("PROD-001", 2),))])
    return make


def figures(on_hand: int, allocated: int, available: int) -> dict[str, int]:
    return {
        "on_hand": on_hand,
        "allocated": allocated,
        "reserved": 0,
        "safety_stock": 0,
        "available": available,
    }


async def test_the_seed_example_shows_each_distribution_center_and_the_total(
    client: httpx.AsyncClient, stocked: Factory
) -> None:
    response = await client.get("/inventory/stock?sku=PROD-001")

    assert response.status_code == 200
    body = response.json()
    [stock] = body["data"]
    assert stock == {
        "sku": "PROD-001",
        "product_id": stock["product_id"],
        "is_synset": False,
        "distribution_centers": [
            {
                "distribution_center": "DC-2",
                "distribution_center_id": stock["distribution_centers"][0][
                    "distribution_center_id"
                ],
                **figures(3, 0, 3),
            },
            {
                "distribution_center": "DC-CODE",
                "distribution_center_id": stock["distribution_centers"][1][
                    "distribution_center_id"
                ],
                **figures(10, 2, 8),
            },
        ],
        "total": figures(13, 2, 11),
    }
    assert body["metadata"]["total_records"] == 1


async def test_a_synset_shows_what_its_items_allow(
    client: httpx.AsyncClient, stocked: Factory
) -> None:
    response = await client.get("/inventory/stock", params={"sku": "BUNDLE-001"})

    [stock] = response.json()["data"]
    assert stock["is_synset"] is True
    assert [
        (dc["distribution_center"], dc["on_hand"], dc["available"])
        for dc in stock["distribution_centers"]
    ] == [("DC-2", 1, 1), ("DC-CODE", 5, 4)]
    assert stock["total"] == figures(6, 0, 5)


async def test_a_distribution_center_filter_shows_only_it(
    client: httpx.AsyncClient, stocked: Factory
) -> None:
    response = await client.get("/inventory/stock", params={"distribution_center": "DC-2"})

    body = response.json()
    assert [
        (s["sku"], [dc["distribution_center"] for dc in s["distribution_centers"]], s["total"])
        for s in body["data"]
    ] == [("PROD-001", ["DC-2"], figures(3, 0, 3)), ("BUNDLE-001", ["DC-2"], figures(1, 0, 1))]
    assert body["metadata"]["total_records"] == 2


async def test_without_a_sku_the_list_is_paged(client: httpx.AsyncClient, stocked: Factory) -> None:
    response = await client.get("/inventory/stock", params={"per_page": 1, "page": 2})

    body = response.json()
    assert [s["sku"] for s in body["data"]] == ["BUNDLE-001"]
    assert body["metadata"] == {
        "page": 2,
        "per_page": 1,
        "total_records": 2,
        "total_pages": 2,
        "total_current_page": 1,
    }


@pytest.mark.parametrize(
    ("_case", "params", "status", "field"),
    [
        ("unknown sku", {"sku": "NOPE"}, 404, "sku"),
        (
            "unregistered distribution center",
            {"distribution_center": "DC-9"},
            400,
            "distribution_center",
        ),
        ("bad page", {"page": "x"}, 400, "page"),
    ],
)
async def test_bad_filters_are_refused(
    client: httpx.AsyncClient,
    stocked: Factory,
    _case: str,
    params: dict[str, str],
    status: int,
    field: str,
) -> None:
    response = await client.get("/inventory/stock", params=params)

    assert response.status_code == status
    assert response.json()["response"]["errors"][0]["field"] == field
