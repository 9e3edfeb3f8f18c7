from datetime import datetime
from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory

SEED = {"data": [{"attribute": "custom_field", "value": "custom_value"}]}


def body(*pairs: tuple[str, Any]) -> dict[str, Any]:
    return {"data": [{"attribute": name, "value": value} for name, value in pairs]}


async def listed(client: httpx.AsyncClient, path: str) -> list[tuple[str, str]]:
    response = await client.get(path, params={"per_page": 100})
    assert response.status_code == 200, response.text
    return [(a["attribute"], a["value"]) for a in response.json()["data"]]


@pytest.fixture
async def product(make: Factory) -> int:
    """PROD-001 exists; its id."""
    return await make.item("PROD-001")


class TestCreate:
    async def test_the_seed_example_creates_an_attribute_on_an_order(
        self, client: httpx.AsyncClient, make: Factory, product: int
    ) -> None:
        order = await make.order(("PROD-001", 1))

        response = await client.post(f"/attributes/order/{order.order_id}", json=SEED)

        assert response.status_code == 200
        assert response.json() == {
            "data": [
                {
                    "attribute": "custom_field",
                    "value": "custom_value",
                    "success": True,
                    "message": None,
                    "field": None,
                }
            ]
        }
        assert await listed(client, f"/attributes/order/{order.order_id}") == [
            ("custom_field", "custom_value")
        ]

    async def test_a_product_is_named_by_id_or_by_sku_and_owner_type_ignores_case(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        by_id = await client.post(f"/attributes/product/{product}", json=body(("a", "1")))
        by_sku = await client.post("/attributes/Product/PROD-001", json=body(("b", "2")))

        assert (by_id.status_code, by_sku.status_code) == (200, 200)
        assert await listed(client, "/attributes/product/PROD-001") == [("a", "1"), ("b", "2")]
        assert await listed(client, f"/attributes/PRODUCT/{product}") == [("a", "1"), ("b", "2")]

    async def test_a_sku_with_a_slash_names_its_product(
        self, client: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.item("BOX/RED")

        response = await client.post("/attributes/product/BOX/RED", json=body(("a", "1")))

        assert response.status_code == 200
        assert await listed(client, "/attributes/product/BOX/RED") == [("a", "1")]

    async def test_an_existing_attribute_is_refused_beside_the_new_ones(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post("/attributes/product/PROD-001", json=body(("color", "red")))

        response = await client.post(
            "/attributes/product/PROD-001", json=body(("size", "L"), ("color", "blue"))
        )

        assert response.status_code == 200
        results = response.json()["data"]
        assert [(r["success"], r["field"]) for r in results] == [
            (True, None),
            (False, "data[1].attribute"),
        ]
        assert results[1]["message"] == "attribute 'color' already exists, use PATCH to change it"
        assert await listed(client, "/attributes/product/PROD-001") == [
            ("color", "red"),
            ("size", "L"),
        ]

    async def test_when_every_attribute_fails_the_answer_is_400(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post("/attributes/product/PROD-001", json=body(("color", "red")))

        response = await client.post("/attributes/product/PROD-001", json=body(("color", "blue")))

        assert response.status_code == 400
        error = response.json()["response"]
        assert error["message"] == "attribute 'color' already exists, use PATCH to change it"
        assert error["errors"][0]["field"] == "data[0].attribute"
        assert await listed(client, "/attributes/product/PROD-001") == [("color", "red")]

    @pytest.mark.parametrize(
        ("_case", "pair", "field", "message"),
        [
            ("empty name", ("", "x"), "data[0].attribute", "attribute must not be empty"),
            (
                "long name",
                ("n" * 101, "x"),
                "data[0].attribute",
                "attribute must be at most 100 characters (got 101)",
            ),
            (
                "long value",
                ("n", "v" * 4001),
                "data[0].value",
                "value must be at most 4000 characters (got 4001)",
            ),
        ],
    )
    async def test_a_bad_name_or_value_answers_400_naming_it_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        product: int,
        _case: str,
        pair: tuple[str, str],
        field: str,
        message: str,
    ) -> None:
        response = await client.post("/attributes/product/PROD-001", json=body(pair))

        assert response.status_code == 400
        assert response.json()["response"]["errors"] == [
            {"field": field, "message": message, "index": 0}
        ]
        assert await listed(client, "/attributes/product/PROD-001") == []

    @pytest.mark.parametrize(
        ("_case", "payload", "field"),
        [
            ("no data", {}, "data"),
            ("empty data", {"data": []}, "data"),
            ("no attribute", {"data": [{"value": "x"}]}, "data[0].attribute"),
            ("no value", {"data": [{"attribute": "x"}]}, "data[0].value"),
            ("number value", body(("x", 5)), "data[0].value"),
            ("null value", body(("x", None)), "data[0].value"),
        ],
    )
    async def test_a_missing_or_malformed_field_answers_400_naming_it(
        self, client: httpx.AsyncClient, product: int, _case: str, payload: Any, field: str
    ) -> None:
        response = await client.post("/attributes/product/PROD-001", json=payload)

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field
        assert await listed(client, "/attributes/product/PROD-001") == []


class TestOwners:
    @pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
    async def test_an_unknown_owner_type_answers_400_naming_it(
        self, client: httpx.AsyncClient, method: str
    ) -> None:
        response = await client.request(
            method, "/attributes/customer/1", params={"attribute": "a"}, json=SEED
        )

        assert response.status_code == 400
        error = response.json()["response"]
        assert error["message"] == "owner_type 'customer' is not one of order, product, serial"
        assert error["errors"][0]["field"] == "owner_type"

    @pytest.mark.parametrize("path", ["order/999", "order/ORD-1", "product/NOPE", "serial/999"])
    @pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
    async def test_a_missing_owner_answers_404_naming_owner_id(
        self, client: httpx.AsyncClient, product: int, path: str, method: str
    ) -> None:
        response = await client.request(
            method, f"/attributes/{path}", params={"attribute": "a"}, json=SEED
        )

        assert response.status_code == 404
        assert response.json()["response"]["errors"][0]["field"] == "owner_id"

    @pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
    async def test_an_owner_of_another_account_answers_404_and_is_untouched(
        self, client: httpx.AsyncClient, engines: Engines, method: str
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        theirs = Factory(engines, other.account_id)
        item_id = await theirs.item("THEIRS")
        order = await theirs.order(("THEIRS", 1))

        for path in (f"product/{item_id}", "product/THEIRS", f"order/{order.order_id}"):
            response = await client.request(
                method, f"/attributes/{path}", params={"attribute": "a"}, json=SEED
            )
            assert response.status_code == 404, path
        async with theirs.uow() as uow:
            assert await uow.events.of("item", item_id) == [("test", "item_created")]


class TestUpdate:
    async def test_patch_replaces_an_existing_value(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post("/attributes/product/PROD-001", json=body(("color", "red")))

        [before] = (await client.get("/attributes/product/PROD-001")).json()["data"]

        response = await client.patch("/attributes/product/PROD-001", json=body(("color", "blue")))

        assert response.status_code == 200
        assert response.json()["data"][0]["success"] is True
        [after] = (await client.get("/attributes/product/PROD-001")).json()["data"]
        assert (after["attribute"], after["value"]) == ("color", "blue")
        assert after["created_at"] == before["created_at"]
        assert datetime.fromisoformat(after["updated_at"]) > datetime.fromisoformat(
            before["updated_at"]
        )

    async def test_patch_refuses_a_missing_attribute_and_creates_nothing(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        response = await client.patch("/attributes/product/PROD-001", json=body(("size", "L")))

        assert response.status_code == 400
        error = response.json()["response"]
        assert error["message"] == "attribute 'size' does not exist, use POST to create it"
        assert error["errors"][0]["field"] == "data[0].attribute"
        assert await listed(client, "/attributes/product/PROD-001") == []


class TestDelete:
    async def test_delete_removes_the_attribute_and_answers_its_last_value(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post("/attributes/product/PROD-001", json=body(("color", "red"), ("a", "1")))

        response = await client.delete(
            "/attributes/product/PROD-001", params={"attribute": "color"}
        )

        assert response.status_code == 200
        assert response.json()["data"] == {
            "attribute": "color",
            "value": "red",
            "success": True,
            "message": None,
            "field": None,
        }
        assert await listed(client, "/attributes/product/PROD-001") == [("a", "1")]

    async def test_an_unknown_attribute_answers_404(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post("/attributes/product/PROD-001", json=body(("color", "red")))

        response = await client.delete("/attributes/product/PROD-001", params={"attribute": "x"})

        assert response.status_code == 404
        assert response.json()["response"]["message"] == "attribute 'x' not found"
        assert await listed(client, "/attributes/product/PROD-001") == [("color", "red")]

    async def test_a_missing_attribute_parameter_answers_400_naming_it(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post("/attributes/product/PROD-001", json=body(("color", "red")))

        response = await client.delete("/attributes/product/PROD-001")

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "attribute"
        assert response.json()["response"]["message"] == "attribute: is required"
        assert await listed(client, "/attributes/product/PROD-001") == [("color", "red")]

    async def test_an_empty_attribute_parameter_answers_400(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        response = await client.delete("/attributes/product/PROD-001", params={"attribute": ""})

        assert response.status_code == 400
        assert response.json()["response"]["message"] == "attribute must not be empty"


class TestList:
    async def test_pages_with_the_seed_metadata(
        self, client: httpx.AsyncClient, product: int
    ) -> None:
        await client.post(
            "/attributes/product/PROD-001", json=body(("c", "3"), ("a", "1"), ("b", "2"))
        )

        response = await client.get(
            "/attributes/product/PROD-001", params={"page": 2, "per_page": 2}
        )

        assert response.status_code == 200
        page = response.json()
        assert [(a["attribute"], a["value"]) for a in page["data"]] == [("c", "3")]
        assert set(page["data"][0]) == {"attribute", "value", "created_at", "updated_at"}
        assert page["metadata"] == {
            "page": 2,
            "per_page": 2,
            "total_records": 3,
            "total_pages": 2,
            "total_current_page": 1,
        }

    async def test_defaults_to_page_1_of_20(self, client: httpx.AsyncClient, product: int) -> None:
        response = await client.get("/attributes/product/PROD-001")

        assert response.json() == {
            "data": [],
            "metadata": {
                "page": 1,
                "per_page": 20,
                "total_records": 0,
                "total_pages": 0,
                "total_current_page": 0,
            },
        }

    @pytest.mark.parametrize("params", [{"page": 0}, {"per_page": 0}, {"page": "x"}])
    async def test_bad_paging_answers_400(
        self, client: httpx.AsyncClient, product: int, params: dict[str, Any]
    ) -> None:
        response = await client.get("/attributes/product/PROD-001", params=params)

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == next(iter(params))

    async def test_serial_attributes_are_listed_by_serial_id(
        self, client: httpx.AsyncClient, make: Factory, product: int
    ) -> None:
        [serial_id] = await make.serials("PROD-001", "SN1")

        created = await client.post(f"/attributes/serial/{serial_id}", json=body(("lot", "L1")))

        assert created.status_code == 200
        assert await listed(client, f"/attributes/serial/{serial_id}") == [("lot", "L1")]


async def test_names_values_and_the_delete_parameter_are_trimmed(
    client: httpx.AsyncClient, product: int
) -> None:
    await client.post("/attributes/product/PROD-001", json=body((" lot ", " L1 ")))

    listed_before = await listed(client, "/attributes/product/PROD-001")
    response = await client.delete("/attributes/product/PROD-001", params={"attribute": " lot "})

    assert listed_before == [("lot", "L1")]
    assert response.status_code == 200
    assert await listed(client, "/attributes/product/PROD-001") == []


async def test_timestamps_are_utc_iso_8601(client: httpx.AsyncClient, product: int) -> None:
    await client.post("/attributes/product/PROD-001", json=body(("lot", "L1")))

    [attribute] = (await client.get("/attributes/product/PROD-001")).json()["data"]

    assert attribute["created_at"].endswith("Z")
    assert attribute["updated_at"] == attribute["created_at"]
