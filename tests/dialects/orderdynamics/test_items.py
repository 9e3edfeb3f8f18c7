"""Items (the core's items, ShipEdge's products), end to end through HTTP."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.kit.clock import TestClock
from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows


def item(sku: str = "A-1", **fields: Any) -> dict[str, Any]:
    return {
        "Sku": sku,
        "Description": "Blue runner, size 9",
        "Upc": "012345678905",
        "Weight": 1.25,
        "Width": 10,
        "Length": 30,
        "Height": 12,
        "Cost": 20.5,
        "RetailPrice": 59.99,
        "Manufacturer": "Acme",
        "Model": "R-9",
        "ImageUrl": "https://example.com/a1.png",
        **fields,
    }


SHIPEDGE_SIZES = {"width": 1, "length": 2, "height": 3, "weight": 0.5, "cost": 4, "retail": 12.5}


@pytest.fixture
def shipedge(app_client: httpx.AsyncClient, account: NewAccount) -> dict[str, str]:
    """Headers and root of the ShipEdge dialect on the same server."""
    return {"AccountID": str(account.account_id), "Key": account.key}


class TestCreate:
    async def test_a_created_item_answers_201_with_its_parts(self, od: httpx.AsyncClient) -> None:
        await od.post("/v1/products", json={"ProductBackendName": "RUN", "ProductName": "Runner"})
        body = item(
            ProductBackendName="RUN",
            Categories=["Shoes", "Men"],
            Attributes=[{"Name": "Color", "Value": "Blue"}],
        )

        response = await od.post("/v1/items", json=body)

        assert response.status_code == 201, response.text
        answered = response.json()
        assert answered.pop("CreatedDateTimeUtc").endswith("Z")
        assert answered.pop("LastUpdatedDateTimeUtc").endswith("Z")
        assert answered == {
            **item(),
            "ProductBackendName": "RUN",
            "IsKit": False,
            "Categories": ["Men", "Shoes"],
            "Attributes": [{"Name": "Color", "Value": "Blue"}],
        }

    async def test_a_duplicate_sku_is_a_409_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/items", json=item())

        response = await od.post("/v1/items", json=item(Categories=["X"]))

        assert problem(response, 409)["errors"] == {"Sku": ["SKU 'A-1' already exists"]}
        assert await count_rows(make, "items") == 1
        assert await count_rows(make, "item_categories") == 0

    async def test_an_unknown_product_is_a_400_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post("/v1/items", json=item(ProductBackendName="NOPE"))

        assert problem(response, 400)["errors"] == {
            "ProductBackendName": ["product 'NOPE' does not exist"]
        }
        assert await count_rows(make, "items") == 0

    async def test_another_accounts_product_is_unknown(
        self, od: httpx.AsyncClient, other_key: str, make: Factory
    ) -> None:
        foreign = {"Ocp-Apim-Subscription-Key": other_key}
        await od.post(
            "/v1/products", json={"ProductBackendName": "RUN", "ProductName": "R"}, headers=foreign
        )

        response = await od.post("/v1/items", json=item(ProductBackendName="RUN"))

        assert "ProductBackendName" in problem(response, 400)["errors"]
        assert await count_rows(make, "items") == 0

    @pytest.mark.parametrize(
        ("fields", "named"),
        [
            ({"Sku": None}, "Sku"),
            ({"Weight": "heavy"}, "Weight"),
            ({"Cost": -1}, "Cost"),
            ({"Categories": "Shoes"}, "Categories"),
            ({"Attributes": [{"Value": "x"}]}, "Attributes[0].Name"),
        ],
    )
    async def test_wrong_types_and_missing_fields_are_a_400_naming_the_field(
        self, od: httpx.AsyncClient, make: Factory, fields: dict[str, Any], named: str
    ) -> None:
        response = await od.post("/v1/items", json=item(**fields))

        assert named in problem(response, 400)["errors"]
        assert await count_rows(make, "items") == 0

    async def test_a_repeated_category_is_a_400_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post("/v1/items", json=item(Categories=["Shoes", "Shoes"]))

        assert problem(response, 400)["errors"] == {
            "Categories[1]": ["category 'Shoes' is given twice"]
        }
        assert await count_rows(make, "items") == 0


class TestUpdate:
    async def test_given_fields_change_categories_are_replaced_attributes_set_by_name(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post(
            "/v1/items",
            json=item(Categories=["Shoes"], Attributes=[{"Name": "Color", "Value": "Blue"}]),
        )

        response = await od.put(
            "/v1/items",
            json={
                "sku": "A-1",
                "RetailPrice": 49.99,
                "Categories": ["Sale"],
                "Attributes": [{"Name": "Size", "Value": "9"}],
            },
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["RetailPrice"], body["Description"]) == (49.99, "Blue runner, size 9")
        assert body["Categories"] == ["Sale"]
        assert body["Attributes"] == [
            {"Name": "Color", "Value": "Blue"},
            {"Name": "Size", "Value": "9"},
        ]

    async def test_an_empty_product_name_takes_the_item_out_of_its_product(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post("/v1/products", json={"ProductBackendName": "RUN", "ProductName": "Runner"})
        await od.post("/v1/items", json=item(ProductBackendName="RUN"))

        response = await od.put("/v1/items", json={"Sku": "A-1", "ProductBackendName": ""})

        assert response.json()["ProductBackendName"] is None

    async def test_an_unknown_sku_is_a_404(self, od: httpx.AsyncClient, make: Factory) -> None:
        response = await od.put("/v1/items", json={"Sku": "NOPE", "Categories": ["X"]})

        assert problem(response, 404)["detail"] == "SKU 'NOPE' not found"
        assert await count_rows(make, "item_categories") == 0

    async def test_another_accounts_item_is_a_404_and_unchanged(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await od.post("/v1/items", json=item())

        response = await od.put(
            "/v1/items",
            json={"Sku": "A-1", "Description": "stolen"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        problem(response, 404)
        kept = await od.get("/v1/items", params={"Sku": "A-1"})
        assert kept.json()["Items"][0]["Description"] == "Blue runner, size 9"

    async def test_a_bad_attribute_leaves_the_details_unchanged(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post("/v1/items", json=item())

        response = await od.put(
            "/v1/items",
            json={"Sku": "A-1", "Description": "new", "Attributes": [{"Name": " "}]},
        )

        assert "Attributes[0].Name" in problem(response, 400)["errors"]
        kept = await od.get("/v1/items", params={"Sku": "A-1"})
        assert kept.json()["Items"][0]["Description"] == "Blue runner, size 9"


class TestGet:
    async def test_parts_appear_only_when_loaded(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        await od.post(
            "/v1/items",
            json=item(Categories=["Shoes"], Attributes=[{"Name": "Color", "Value": "Blue"}]),
        )
        await make.stock("WH1", "A-1", 7)

        bare = (await od.get("/v1/items", params={"Sku": "A-1"})).json()["Items"][0]
        full = (
            await od.get(
                "/v1/items",
                params={
                    "Sku": "A-1",
                    "LoadAttributes": "true",
                    "loadcategories": "true",
                    "LoadInventory": "true",
                },
            )
        ).json()["Items"][0]

        assert not {"Attributes", "Categories", "Inventory"} & set(bare)
        assert full["Attributes"] == [{"Name": "Color", "Value": "Blue"}]
        assert full["Categories"] == ["Shoes"]
        figures = {"OnHand": 7, "Allocated": 0, "Reserved": 0, "SafetyStock": 0, "Available": 7}
        assert full["Inventory"] == {
            **figures,
            "Locations": [{"LocationInternalName": "WH1", **figures}],
        }

    async def test_a_product_filter_answers_its_items_oldest_first(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post("/v1/products", json={"ProductBackendName": "RUN", "ProductName": "Runner"})
        for sku in ("B-1", "A-2", "C-3"):
            await od.post("/v1/items", json=item(sku, ProductBackendName="RUN"))
        await od.post("/v1/items", json=item("X-9"))

        response = await od.get("/v1/items", params={"ProductBackendName": "RUN"})

        body = response.json()
        assert [entry["Sku"] for entry in body["Items"]] == ["B-1", "A-2", "C-3"]
        assert body["TotalCount"] == 3

    async def test_an_unknown_product_or_sku_is_a_404(self, od: httpx.AsyncClient) -> None:
        product = await od.get("/v1/items", params={"ProductBackendName": "NOPE"})
        sku = await od.get("/v1/items", params={"Sku": "NOPE"})

        assert problem(product, 404)["detail"] == "product 'NOPE' not found"
        assert problem(sku, 404)["detail"] == "SKU 'NOPE' not found"

    async def test_another_accounts_items_are_not_listed(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await od.post("/v1/items", json=item())

        response = await od.get("/v1/items", headers={"Ocp-Apim-Subscription-Key": other_key})

        assert response.json()["Items"] == []

    async def test_a_flag_that_is_not_a_boolean_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.get("/v1/items", params={"LoadInventory": "maybe"})

        assert "LoadInventory" in problem(response, 400)["errors"]


class TestSkus:
    async def test_skus_changed_in_the_window_oldest_change_first(
        self, od: httpx.AsyncClient, clock: TestClock
    ) -> None:
        start = clock.now
        await od.post("/v1/items", json=item("A-1"))
        clock.advance(timedelta(minutes=1))
        await od.post("/v1/items", json=item("B-1"))
        clock.advance(timedelta(minutes=1))
        await od.put("/v1/items", json={"Sku": "A-1", "Model": "R-10"})
        clock.advance(timedelta(minutes=1))
        await od.post("/v1/items", json=item("C-1"))

        window = {
            "LastUpdatedDateTimeUtcAfter": start.isoformat(),
            "LastUpdatedDateTimeUtcBefore": (start + timedelta(minutes=3)).isoformat(),
        }
        response = await od.get("/v1/items/Skus", params={**window, "PageSize": 5})

        assert response.status_code == 200, response.text
        assert response.json()["Items"] == ["B-1", "A-1"]

    async def test_without_a_window_every_sku_pages(self, od: httpx.AsyncClient) -> None:
        for sku in ("A-1", "B-1", "C-1"):
            await od.post("/v1/items", json=item(sku))

        response = await od.get("/v1/items/Skus", params={"pageSize": 2})

        assert response.json()["Items"] == ["A-1", "B-1"]
        assert response.json()["TotalCount"] == 3

    async def test_a_window_that_ends_before_it_starts_is_a_400(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.get(
            "/v1/items/Skus",
            params={
                "LastUpdatedDateTimeUtcAfter": "2026-12-02T00:00:00Z",
                "LastUpdatedDateTimeUtcBefore": "2026-12-01T00:00:00Z",
            },
        )

        assert "LastUpdatedDateTimeUtcBefore" in problem(response, 400)["errors"]

    async def test_a_time_without_an_offset_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.get(
            "/v1/items/Skus", params={"LastUpdatedDateTimeUtcAfter": "2026-12-01T00:00:00"}
        )

        assert "LastUpdatedDateTimeUtcAfter" in problem(response, 400)["errors"]


class TestDelete:
    async def test_an_unused_item_goes_with_its_parts(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.channel("Web")
        await od.post(
            "/v1/items",
            json=item(Categories=["Shoes"], Attributes=[{"Name": "Color", "Value": "Blue"}]),
        )
        await od.put(
            "/v1/items/SitePricing", json={"Sku": "A-1", "Channel": "Web", "ListPrice": 10}
        )

        response = await od.delete("/v1/items", params={"sku": "A-1"})

        assert response.status_code == 204, response.text
        for table in ("items", "item_categories", "item_prices", "attributes"):
            assert await count_rows(make, table) == 0, table

    async def test_an_item_on_an_open_order_is_a_409_and_stays(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/items", json=item())
        await make.order(("A-1", 1))

        response = await od.delete("/v1/items", params={"Sku": "A-1"})

        assert problem(response, 409)["errors"] == {
            "Sku": ["SKU 'A-1' is on open orders and cannot be deleted"]
        }
        assert await count_rows(make, "items") == 1

    async def test_an_item_holding_stock_is_a_409_and_stays(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        await od.post("/v1/items", json=item(Categories=["Shoes"]))
        await make.stock("WH1", "A-1", 3)

        response = await od.delete("/v1/items", params={"Sku": "A-1"})

        assert problem(response, 409)["errors"] == {
            "Sku": ["SKU 'A-1' holds stock and cannot be deleted"]
        }
        assert await count_rows(make, "items") == 1
        assert await count_rows(make, "item_categories") == 1

    async def test_an_item_with_history_is_a_409(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        await od.post("/v1/items", json=item())
        await make.stock("WH1", "A-1", 3)
        await make.stock("WH1", "A-1", 0)

        response = await od.delete("/v1/items", params={"Sku": "A-1"})

        assert "has history" in problem(response, 409)["errors"]["Sku"][0]
        assert await count_rows(make, "items") == 1

    async def test_an_unknown_or_foreign_sku_is_a_404(
        self, od: httpx.AsyncClient, other_key: str, make: Factory
    ) -> None:
        await od.post("/v1/items", json=item())

        missing = await od.delete("/v1/items", params={"Sku": "NOPE"})
        foreign = await od.delete(
            "/v1/items", params={"Sku": "A-1"}, headers={"Ocp-Apim-Subscription-Key": other_key}
        )

        problem(missing, 404)
        problem(foreign, 404)
        assert await count_rows(make, "items") == 1

    async def test_a_missing_sku_parameter_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.delete("/v1/items")

        assert problem(response, 400)["errors"] == {"sku": ["sku: is required."]}


class TestOneRecordForBothDialects:
    async def test_an_item_created_here_is_a_shipedge_product_with_the_same_stock(
        self, od: httpx.AsyncClient, make: Factory, shipedge: dict[str, str]
    ) -> None:
        await make.location("WH1")
        await od.post("/v1/items", json=item())
        await make.stock("WH1", "A-1", 5)

        product = await od.get(f"{SHIPEDGE_ROOT}/inventory/products/A-1", headers=shipedge)
        stock = await od.get(
            f"{SHIPEDGE_ROOT}/inventory/stock", params={"sku": "A-1"}, headers=shipedge
        )
        ours = await od.get("/v1/items", params={"Sku": "A-1", "LoadInventory": True})

        assert product.status_code == 200, product.text
        data = product.json()["data"]
        assert (data["sku"], data["description"], data["upc"]) == (
            "A-1",
            "Blue runner, size 9",
            "012345678905",
        )
        assert float(data["retail"]) == 59.99
        assert stock.json()["data"][0]["total"]["on_hand"] == 5
        assert ours.json()["Items"][0]["Inventory"]["OnHand"] == 5

    async def test_a_shipedge_product_is_an_item_here_with_the_same_stock(
        self, od: httpx.AsyncClient, make: Factory, shipedge: dict[str, str]
    ) -> None:
        await make.location("WH1")
        created = await od.post(
            f"{SHIPEDGE_ROOT}/inventory/products",
            json={"data": [{"sku": "SE-1", "description": "From ShipEdge", **SHIPEDGE_SIZES}]},
            headers=shipedge,
        )
        assert created.status_code == 200, created.text
        await make.stock("WH1", "SE-1", 4)

        response = await od.get("/v1/items", params={"Sku": "SE-1", "LoadInventory": "true"})

        found = response.json()["Items"][0]
        assert (found["Description"], found["RetailPrice"]) == ("From ShipEdge", 12.5)
        assert found["Inventory"]["OnHand"] == 4
        taken = await od.post("/v1/items", json=item("SE-1"))
        assert problem(taken, 409)["errors"] == {"Sku": ["SKU 'SE-1' already exists"]}
