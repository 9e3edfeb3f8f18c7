"""Products (styles that group items), end to end through HTTP."""

from typing import Any

import httpx

from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows


def product(backend: str = "STYLE-1", name: str = "Runner", **fields: Any) -> dict[str, Any]:
    return {"ProductBackendName": backend, "ProductName": name, "Description": "A shoe", **fields}


class TestCreate:
    async def test_a_created_product_answers_201_with_every_field(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.post("/v1/products", json=product())

        assert response.status_code == 201, response.text
        body = response.json()
        assert body.pop("CreatedDateTimeUtc").endswith("Z")
        assert body.pop("LastUpdatedDateTimeUtc").endswith("Z")
        assert body == {
            "ProductBackendName": "STYLE-1",
            "ProductName": "Runner",
            "Description": "A shoe",
        }

    async def test_property_names_match_in_any_case(self, od: httpx.AsyncClient) -> None:
        body = {"productbackendname": "S-2", "PRODUCTNAME": "Walker"}

        response = await od.post("/v1/products", json=body)

        assert response.status_code == 201, response.text
        assert response.json()["ProductName"] == "Walker"
        assert response.json()["Description"] == ""

    async def test_a_taken_backend_name_is_a_409_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/products", json=product())

        response = await od.post("/v1/products", json=product(name="Other name"))

        body = problem(response, 409)
        assert body["errors"] == {"ProductBackendName": ["product 'STYLE-1' already exists"]}
        assert await count_rows(make, "products") == 1

    async def test_a_taken_name_is_a_409_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/products", json=product())

        response = await od.post("/v1/products", json=product(backend="STYLE-2"))

        body = problem(response, 409)
        assert body["errors"] == {"ProductName": ["a product is already named 'Runner'"]}
        assert await count_rows(make, "products") == 1

    async def test_missing_fields_and_wrong_types_are_a_400_naming_each(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post("/v1/products", json={"ProductName": 5, "Description": []})

        body = problem(response, 400)
        assert set(body["errors"]) == {"ProductBackendName", "ProductName", "Description"}
        assert body["errors"]["ProductBackendName"] == ["ProductBackendName: is required."]
        assert await count_rows(make, "products") == 0

    async def test_a_blank_backend_name_is_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post("/v1/products", json=product(backend="  "))

        assert "ProductBackendName" in problem(response, 400)["errors"]
        assert await count_rows(make, "products") == 0


class TestGet:
    async def test_a_name_answers_that_product(self, od: httpx.AsyncClient) -> None:
        await od.post("/v1/products", json=product())
        await od.post("/v1/products", json=product("STYLE-2", "Walker"))

        response = await od.get("/v1/products", params={"productname": "Walker"})

        assert response.status_code == 200, response.text
        assert response.json()["ProductBackendName"] == "STYLE-2"

    async def test_without_a_name_products_come_in_pages_oldest_first(
        self, od: httpx.AsyncClient
    ) -> None:
        for index in range(3):
            await od.post("/v1/products", json=product(f"S-{index}", f"Name {index}"))

        response = await od.get("/v1/products", params={"pageSize": 2, "pageNumber": 2})

        body = response.json()
        assert [p["ProductBackendName"] for p in body["Items"]] == ["S-2"]
        assert (body["PageNumber"], body["PageSize"], body["TotalCount"], body["TotalPages"]) == (
            2,
            2,
            3,
            2,
        )

    async def test_an_unknown_name_is_a_404(self, od: httpx.AsyncClient) -> None:
        response = await od.get("/v1/products", params={"ProductName": "Nope"})

        assert problem(response, 404)["detail"] == "product 'Nope' not found"

    async def test_another_accounts_product_is_a_404_like_a_missing_one(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await od.post("/v1/products", json=product())

        response = await od.get(
            "/v1/products",
            params={"ProductName": "Runner"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert problem(response, 404)["detail"] == "product 'Runner' not found"


class TestUpdate:
    async def test_given_fields_change_and_absent_ones_stay(self, od: httpx.AsyncClient) -> None:
        created = (await od.post("/v1/products", json=product())).json()

        response = await od.put(
            "/v1/products", json={"ProductBackendName": "STYLE-1", "ProductName": "Racer"}
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["ProductName"], body["Description"]) == ("Racer", "A shoe")
        assert body["CreatedDateTimeUtc"] == created["CreatedDateTimeUtc"]

    async def test_an_unknown_backend_name_is_a_404(self, od: httpx.AsyncClient) -> None:
        response = await od.put("/v1/products", json={"ProductBackendName": "NOPE"})

        assert problem(response, 404)["detail"] == "product 'NOPE' not found"

    async def test_a_name_another_product_has_is_a_409_and_changes_nothing(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post("/v1/products", json=product())
        await od.post("/v1/products", json=product("STYLE-2", "Walker"))

        response = await od.put(
            "/v1/products",
            json={"ProductBackendName": "STYLE-2", "ProductName": "Runner", "Description": "x"},
        )

        assert problem(response, 409)["errors"] == {
            "ProductName": ["a product is already named 'Runner'"]
        }
        kept = await od.get("/v1/products", params={"ProductName": "Walker"})
        assert kept.json()["Description"] == "A shoe"

    async def test_another_accounts_product_is_a_404(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await od.post("/v1/products", json=product())

        response = await od.put(
            "/v1/products",
            json={"ProductBackendName": "STYLE-1", "ProductName": "Stolen"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        problem(response, 404)
        kept = await od.get("/v1/products", params={"ProductName": "Runner"})
        assert kept.status_code == 200


class TestDelete:
    async def test_by_backend_name_or_by_name(self, od: httpx.AsyncClient, make: Factory) -> None:
        await od.post("/v1/products", json=product())
        await od.post("/v1/products", json=product("STYLE-2", "Walker"))

        first = await od.delete("/v1/products", params={"ProductBackendName": "STYLE-1"})
        second = await od.delete("/v1/products", params={"productName": "Walker"})

        assert (first.status_code, second.status_code) == (204, 204)
        assert await count_rows(make, "products") == 0

    async def test_a_product_that_groups_items_is_a_409_and_stays(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/products", json=product())
        await od.post("/v1/items", json={"Sku": "A-1", "ProductBackendName": "STYLE-1"})

        response = await od.delete("/v1/products", params={"ProductBackendName": "STYLE-1"})

        assert problem(response, 409)["errors"] == {
            "ProductBackendName": [
                "product 'STYLE-1' still groups 1 item(s); move or delete them first"
            ]
        }
        assert await count_rows(make, "products") == 1

    async def test_neither_name_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.delete("/v1/products")

        assert problem(response, 400)["errors"] == {
            "ProductName": ["ProductName or ProductBackendName is required"]
        }

    async def test_names_that_disagree_are_a_404(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/products", json=product())

        response = await od.delete(
            "/v1/products", params={"ProductBackendName": "STYLE-1", "ProductName": "Other"}
        )

        problem(response, 404)
        assert await count_rows(make, "products") == 1

    async def test_another_accounts_product_is_a_404_and_stays(
        self, od: httpx.AsyncClient, other_key: str, make: Factory
    ) -> None:
        await od.post("/v1/products", json=product())

        response = await od.delete(
            "/v1/products",
            params={"ProductName": "Runner"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        problem(response, 404)
        assert await count_rows(make, "products") == 1
