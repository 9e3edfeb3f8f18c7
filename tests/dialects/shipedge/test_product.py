from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.services import location as location_service
from orderyard.services.location import Registry
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory


def product(sku: str = "PROD-001", **fields: Any) -> dict[str, Any]:
    """The seed's example product (``None`` drops a field)."""
    body: dict[str, Any] = {
        "sku": sku,
        "description": "Product description",
        "width": 10,
        "length": 10,
        "height": 5,
        "weight": 1,
        "cost": 10.00,
        "retail": 29.99,
        "upc": "123456789012",
        "supplier": "Supplier Name",
        "distribution_center": "DC-CODE",
        "pick_style": "STANDARD",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
async def registered(make: Factory) -> Factory:
    """The seed example's supplier and distribution center, and a package type."""
    await make.location("DC-CODE")
    await location_service.register_name(make.uow(), Registry.suppliers, "Supplier Name")
    await location_service.register_name(make.uow(), Registry.package_types, "Box S")
    return make


async def create(client: httpx.AsyncClient, *products: dict[str, Any]) -> httpx.Response:
    return await client.post("/inventory/products", json={"data": list(products)})


async def product_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/inventory/products")
    return int(response.json()["metadata"]["total_records"])


class TestCreate:
    async def test_the_seed_example_creates_the_product(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        response = await create(client, product())

        assert response.status_code == 200
        [result] = response.json()["data"]
        assert result == {
            "sku": "PROD-001",
            "product_id": result["product_id"],
            "success": True,
            "message": None,
            "field": None,
        }
        got = (await client.get("/inventory/products/PROD-001")).json()["data"]
        assert {k: v for k, v in got.items() if k not in ("created_at", "updated_at")} == {
            "product_id": result["product_id"],
            "sku": "PROD-001",
            "description": "Product description",
            "width": "10.0000",
            "length": "10.0000",
            "height": "5.0000",
            "weight": "1.0000",
            "cost": "10.0000",
            "retail": "29.9900",
            "upc": "123456789012",
            "harmonization_code": "",
            "supplier": "Supplier Name",
            "distribution_center": "DC-CODE",
            "package_type": None,
            "pick_style": "STANDARD",
            "one_time_product": "No",
            "case_qty": None,
            "category": "",
            "model": "",
            "manufacturer": "",
            "client_option1": "",
            "client_option2": "",
            "client_option3": "",
            "image_url": "",
            "is_synset": False,
        }

    async def test_every_optional_field_is_stored(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        extras = {
            "harmonization_code": "6912.00",
            "package_type": "Box S",
            "pick_style": "fefo",
            "one_time_product": "Y",
            "case_qty": 12,
            "category": "Mugs",
            "model": "M-1",
            "manufacturer": "Acme",
            "client_option1": "a",
            "client_option2": "b",
            "client_option3": "c",
            "image_url": "https://example.com/mug.png",
        }

        await create(client, product(**extras))

        got = (await client.get("/inventory/products/PROD-001")).json()["data"]
        assert {k: got[k] for k in extras} == {
            **extras,
            "pick_style": "FEFO",
            "one_time_product": "Yes",
        }

    @pytest.mark.parametrize(
        "missing", ["sku", "description", "width", "length", "height", "weight", "cost", "retail"]
    )
    async def test_a_missing_required_field_is_named_and_nothing_is_written(
        self, client: httpx.AsyncClient, registered: Factory, missing: str
    ) -> None:
        response = await create(client, product("OK-1"), product(**{missing: None}))

        assert response.status_code == 400
        body = response.json()["response"]
        assert body["success"] is False
        assert body["errors"][0]["field"] == f"data[1].{missing}"
        assert body["message"] == f"data[1].{missing}: is required"
        assert await product_count(client) == 0

    @pytest.mark.parametrize(
        ("_case", "change", "field"),
        [
            ("bad pick_style", {"pick_style": "RANDOM"}, "data[0].pick_style"),
            ("bad one_time_product", {"one_time_product": "maybe"}, "data[0].one_time_product"),
            ("negative width", {"width": -1}, "data[0].width"),
            ("text weight", {"weight": "heavy"}, "data[0].weight"),
            ("five decimals", {"cost": 1.00001}, "data[0].cost"),
            ("empty sku", {"sku": ""}, "data[0].sku"),
            ("negative case_qty", {"case_qty": -2}, "data[0].case_qty"),
        ],
    )
    async def test_a_malformed_value_is_named_and_nothing_is_written(
        self,
        client: httpx.AsyncClient,
        registered: Factory,
        _case: str,
        change: dict[str, Any],
        field: str,
    ) -> None:
        response = await create(client, product(**change))

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field
        assert await product_count(client) == 0

    async def test_the_bad_pick_style_message_lists_the_allowed_values(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        response = await create(client, product(pick_style="RANDOM"))

        message = response.json()["response"]["message"]
        assert message.startswith("data[0].pick_style: Input should be 'STANDARD', 'SAVE_SPACE'")
        assert "'BIN_DESC'" in message

    @pytest.mark.parametrize(
        ("_case", "change", "field", "message"),
        [
            (
                "unregistered supplier",
                {"supplier": "Nobody"},
                "data[0].supplier",
                "supplier 'Nobody' is not registered",
            ),
            (
                "unregistered distribution center",
                {"distribution_center": "DC-9"},
                "data[0].distribution_center",
                "distribution center 'DC-9' is not registered",
            ),
            (
                "unregistered package type",
                {"package_type": "Crate"},
                "data[0].package_type",
                "package type 'Crate' is not registered",
            ),
        ],
    )
    async def test_an_unregistered_name_fails_the_item(
        self,
        client: httpx.AsyncClient,
        registered: Factory,
        _case: str,
        change: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        response = await create(client, product(**change))

        assert response.status_code == 400
        body = response.json()["response"]
        assert body["message"] == message
        assert body["errors"] == [{"field": field, "message": message, "index": 0}]
        assert await product_count(client) == 0

    async def test_a_duplicate_sku_fails_only_that_item(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product("PROD-001"))

        response = await create(client, product("PROD-002"), product("PROD-001"))

        assert response.status_code == 200
        assert [
            (r["sku"], r["success"], r["message"], r["field"]) for r in response.json()["data"]
        ] == [
            ("PROD-002", True, None, None),
            ("PROD-001", False, "SKU 'PROD-001' already exists", "data[1].sku"),
        ]
        assert await product_count(client) == 2

    async def test_a_sku_may_contain_a_slash(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product("SHIRT/RED/L"))

        response = await client.get("/inventory/products/SHIRT%2FRED%2FL")

        assert response.status_code == 200
        assert response.json()["data"]["sku"] == "SHIRT/RED/L"


class TestUpdate:
    async def test_only_the_given_fields_change(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product())

        response = await client.patch(
            "/inventory/products",
            json={"data": [{"sku": "PROD-001", "retail": 34.5, "supplier": "", "case_qty": 6}]},
        )

        assert response.status_code == 200
        assert response.json()["data"][0]["success"] is True
        got = (await client.get("/inventory/products/PROD-001")).json()["data"]
        assert (got["retail"], got["supplier"], got["case_qty"]) == ("34.5000", None, 6)
        assert (got["cost"], got["description"], got["distribution_center"]) == (
            "10.0000",
            "Product description",
            "DC-CODE",
        )

    async def test_an_unknown_sku_is_reported_per_item(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        response = await client.patch(
            "/inventory/products", json={"data": [{"sku": "NOPE", "retail": 1}]}
        )

        assert response.status_code == 400
        assert response.json()["response"]["errors"] == [
            {"field": "data[0].sku", "message": "SKU 'NOPE' not found", "index": 0}
        ]

    async def test_an_update_without_a_sku_is_refused(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        response = await client.patch("/inventory/products", json={"data": [{"retail": 1}]})

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "data[0].sku"

    async def test_a_bad_value_leaves_the_product_unchanged(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product())

        response = await client.patch(
            "/inventory/products",
            json={"data": [{"sku": "PROD-001", "retail": 5, "pick_style": "RANDOM"}]},
        )

        assert response.status_code == 400
        got = (await client.get("/inventory/products/PROD-001")).json()["data"]
        assert (got["retail"], got["pick_style"]) == ("29.9900", "STANDARD")


class TestGet:
    async def test_a_product_is_found_by_id_too(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        product_id = (await create(client, product())).json()["data"][0]["product_id"]

        response = await client.get(f"/inventory/products/{product_id}")

        assert response.json()["data"]["sku"] == "PROD-001"

    async def test_a_numeric_sku_wins_over_an_id_unless_asked_for_the_id(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        first = (await create(client, product("FIRST"))).json()["data"][0]["product_id"]
        await create(client, product(str(first)))

        default = await client.get(f"/inventory/products/{first}")
        as_id = await client.get(
            f"/inventory/products/{first}", params={"identify_by": "product_id"}
        )

        assert default.json()["data"]["sku"] == str(first)
        assert as_id.json()["data"]["sku"] == "FIRST"

    async def test_a_missing_product_answers_404(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        response = await client.get("/inventory/products/NOPE")

        assert response.status_code == 404
        assert response.json()["response"] == {
            "success": False,
            "message": "product 'NOPE' not found",
            "errors": [{"field": "product", "message": "product 'NOPE' not found", "index": None}],
        }

    async def test_another_accounts_product_answers_404(
        self, client: httpx.AsyncClient, engines: Engines
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        theirs = await Factory(engines, other.account_id).item("THEIRS")

        by_sku = await client.get("/inventory/products/THEIRS")
        by_id = await client.get(f"/inventory/products/{theirs}")
        uom = await client.get(f"/inventory/products/{theirs}/uom")

        assert (by_sku.status_code, by_id.status_code, uom.status_code) == (404, 404, 404)

    async def test_units_of_measure_are_each_and_case(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        product_id = (await create(client, product(case_qty=12))).json()["data"][0]["product_id"]

        response = await client.get(f"/inventory/products/{product_id}/uom")

        assert response.status_code == 200
        assert response.json()["data"] == [
            {
                "uom": "EACH",
                "quantity": 1,
                "width": "10.0000",
                "length": "10.0000",
                "height": "5.0000",
                "weight": "1.0000",
            },
            {
                "uom": "CASE",
                "quantity": 12,
                "width": None,
                "length": None,
                "height": None,
                "weight": "12.0000",
            },
        ]


class TestList:
    async def test_lists_newest_first_with_the_seed_metadata(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product("A"), product("B"), product("C"))

        response = await client.get("/inventory/products", params={"page": 1, "per_page": 2})

        body = response.json()
        assert [p["sku"] for p in body["data"]] == ["C", "B"]
        assert body["metadata"] == {
            "page": 1,
            "per_page": 2,
            "total_records": 3,
            "total_pages": 2,
            "total_current_page": 2,
        }

    async def test_per_page_above_the_cap_is_capped(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product("A"))

        response = await client.get("/inventory/products", params={"per_page": 10_000})

        assert response.json()["metadata"]["per_page"] == 250

    async def test_sorts_by_sku_ascending(
        self, client: httpx.AsyncClient, registered: Factory
    ) -> None:
        await create(client, product("B"), product("C"), product("A"))

        response = await client.get(
            "/inventory/products", params={"order_by": "sku", "order_direction": "asc"}
        )

        assert [p["sku"] for p in response.json()["data"]] == ["A", "B", "C"]

    @pytest.mark.parametrize(
        ("_case", "params", "field"),
        [
            ("unknown order_by", {"order_by": "price"}, "order_by"),
            ("bad order_direction", {"order_direction": "up"}, "order_direction"),
            ("page zero", {"page": 0}, "page"),
        ],
    )
    async def test_bad_list_parameters_answer_400(
        self,
        client: httpx.AsyncClient,
        registered: Factory,
        _case: str,
        params: dict[str, Any],
        field: str,
    ) -> None:
        response = await client.get("/inventory/products", params=params)

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field
