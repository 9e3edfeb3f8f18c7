"""Inventory locations, store locations and shipping centers, end to end through HTTP."""

from typing import Any

import httpx
import pytest

from orderyard.services.account import NewAccount
from tests.factories import Factory
from tests.services.checks import count_rows

PROBLEM = "application/problem+json"


def warehouse(name: str = "WH1", **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "InternalName": name,
        "Name": "Main warehouse",
        "LocationType": "Warehouse",
        "Address": {
            "AddressLine1": "123 Bloor St",
            "AddressLine2": "Dock 4",
            "City": "Toronto",
            "State": "ON",
            "ZipCode": "L4K1L6",
            "CountryCode": "CA",
            "AddressNickname": "Main",
            "FirstName": "Jane",
            "LastName": "Smith",
            "CompanyName": "Tecsys",
            "Phone": "+1 416 555 0100",
            "Email": "dock@example.com",
            "Latitude": 43.6532,
            "Longitude": -79.3832,
        },
        "Priority": 5,
    }
    body.update(fields)
    return body


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["traceId"] == response.headers["x-trace-id"]
    return body


async def locations_in_db(make: Factory) -> int:
    return await count_rows(make, "locations")


class TestCreate:
    async def test_a_created_location_answers_201_with_every_field(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.post("/v1/inventorylocations", json=warehouse())

        assert response.status_code == 201, response.text
        body = response.json()
        created = body.pop("CreatedDateTimeUtc")
        assert created.endswith("Z")
        assert body == {
            "InternalName": "WH1",
            "Name": "Main warehouse",
            "LocationType": "Warehouse",
            "Address": {**warehouse()["Address"]},
            "Latitude": 43.6532,
            "Longitude": -79.3832,
            "Priority": 5,
            "ShipsOrders": True,
            "AllowsPickup": False,
            "IsActive": True,
        }

    async def test_property_names_match_in_any_case(self, od: httpx.AsyncClient) -> None:
        body = {"internalname": "WH2", "NAME": "Second", "address": {"city": "Ottawa"}}

        response = await od.post("/v1/inventorylocations", json=body)

        assert response.status_code == 201, response.text
        assert (response.json()["InternalName"], response.json()["Address"]["City"]) == (
            "WH2",
            "Ottawa",
        )

    async def test_the_store_api_creates_stores_whatever_the_body_says(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.post("/v1/storelocations", json=warehouse("S1"))

        assert response.json()["LocationType"] == "Store"

    async def test_a_duplicate_internal_name_is_a_409_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())

        response = await od.post("/v1/inventorylocations", json=warehouse(Name="Other"))

        body = problem(response, 409)
        assert body["errors"] == {"InternalName": ["location code 'WH1' already exists"]}
        assert await locations_in_db(make) == 1

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"InternalName": None}, "InternalName"),
            ({"Name": ""}, "Name"),
            ({"LocationType": "Moon"}, "LocationType"),
            ({"Priority": -1}, "Priority"),
            ({"Priority": True}, "Priority"),
            ({"Latitude": 91}, "Latitude"),
        ],
    )
    async def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, change: dict[str, Any], field: str
    ) -> None:
        body = {k: v for k, v in warehouse(**change).items() if v is not None}

        response = await od.post("/v1/inventorylocations", json=body)

        assert field in problem(response, 400)["errors"]
        assert await locations_in_db(make) == 0

    async def test_coordinates_that_disagree_are_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post("/v1/inventorylocations", json=warehouse(Latitude=10))

        assert "Latitude" in problem(response, 400)["errors"]
        assert await locations_in_db(make) == 0


class TestRead:
    async def test_one_by_internal_name_in_any_case_of_path_and_parameter(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())

        response = await od.get("/V1/InventoryLocations/?LOCATIONINTERNALNAME=WH1")

        assert response.status_code == 200, response.text
        assert response.json()["InternalName"] == "WH1"

    async def test_the_list_is_paged_by_priority(self, od: httpx.AsyncClient) -> None:
        for name, priority in (("C", 3), ("A", 1), ("B", 2)):
            await od.post("/v1/inventorylocations", json=warehouse(name, Priority=priority))

        response = await od.get("/v1/inventorylocations", params={"pageSize": 2, "pageNumber": 2})

        body = response.json()
        assert [i["InternalName"] for i in body["Items"]] == ["C"]
        assert {k: v for k, v in body.items() if k != "Items"} == {
            "PageNumber": 2,
            "PageSize": 2,
            "TotalCount": 3,
            "TotalPages": 2,
        }

    async def test_each_api_sees_its_own_kind_only(self, od: httpx.AsyncClient) -> None:
        await od.post("/v1/inventorylocations", json=warehouse("WH1"))
        await od.post("/v1/storelocations", json=warehouse("S1"))
        await od.post("/v1/shippingcenters", json=warehouse("SC1"))

        stores = (await od.get("/v1/storelocations")).json()["Items"]
        centers = (await od.get("/v1/shippingcenters")).json()["Items"]
        every = (await od.get("/v1/inventorylocations")).json()["Items"]

        assert [s["InternalName"] for s in stores] == ["S1"]
        assert [c["InternalName"] for c in centers] == ["SC1"]
        assert sorted(i["InternalName"] for i in every) == ["S1", "SC1", "WH1"]
        problem(await od.get("/v1/storelocations", params={"storeInternalName": "WH1"}), 404)

    async def test_the_seeds_misspelled_parameter_names_a_shipping_center(
        self, od: httpx.AsyncClient
    ) -> None:
        await od.post("/v1/shippingcenters", json=warehouse("SC1"))

        response = await od.put(
            "/v1/shippingcenters/?shippingCenterInteralName=SC1", json={"Name": "Renamed"}
        )

        assert response.json()["Name"] == "Renamed"

    async def test_an_unknown_name_is_a_404_problem(self, od: httpx.AsyncClient) -> None:
        body = problem(await od.get("/v1/inventorylocations?locationInternalName=NOPE"), 404)

        assert body["detail"] == "location 'NOPE' not found"

    async def test_another_accounts_location_answers_like_a_missing_one(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse("MINE"))

        response = await od.get(
            "/v1/inventorylocations",
            params={"locationInternalName": "MINE"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        problem(response, 404)


class TestUpdate:
    async def test_only_given_fields_change(self, od: httpx.AsyncClient) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())

        response = await od.put(
            "/v1/inventorylocations?locationInternalName=WH1",
            json={"Name": "Renamed", "Address": {"City": "Ottawa"}, "IsActive": False},
        )

        body = response.json()
        assert (body["Name"], body["Address"]["City"], body["IsActive"]) == (
            "Renamed",
            "Ottawa",
            False,
        )
        assert body["Address"]["AddressLine1"] == "123 Bloor St"
        assert body["Priority"] == 5

    async def test_an_update_without_a_name_is_a_400(self, od: httpx.AsyncClient) -> None:
        body = problem(await od.put("/v1/inventorylocations", json={"Name": "X"}), 400)

        assert "locationInternalName" in body["errors"]


class TestEachApiWritesItsOwnKind:
    """The store and shipping-center APIs update and delete their own kind, by their own name."""

    API_PARAMS = (
        ("/v1/storelocations", "storeInternalName"),
        ("/v1/shippingcenters", "shippingCenterInternalName"),
        ("/v1/shippingcenters", "shippingCenterInteralName"),
    )

    @pytest.mark.parametrize(("path", "param"), API_PARAMS)
    async def test_an_update_renames_the_apis_own_location(
        self, od: httpx.AsyncClient, path: str, param: str
    ) -> None:
        await od.post(path, json=warehouse("MINE"))

        response = await od.put(f"{path}?{param}=MINE", json={"Name": "Renamed"})

        assert response.status_code == 200
        assert response.json()["Name"] == "Renamed"
        listed = (await od.get(path)).json()["Items"]
        assert [(item["InternalName"], item["Name"]) for item in listed] == [("MINE", "Renamed")]

    @pytest.mark.parametrize(("path", "param"), API_PARAMS)
    async def test_a_delete_removes_the_apis_own_location(
        self, od: httpx.AsyncClient, path: str, param: str
    ) -> None:
        await od.post(path, json=warehouse("MINE"))

        response = await od.delete(f"{path}?{param}=MINE")

        assert response.status_code == 204
        problem(await od.get("/v1/inventorylocations?locationInternalName=MINE"), 404)

    @pytest.mark.parametrize(("path", "param"), API_PARAMS)
    async def test_another_kinds_location_is_a_404_and_stays_as_it_was(
        self, od: httpx.AsyncClient, path: str, param: str
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse("WH1"))

        renamed = await od.put(f"{path}?{param}=WH1", json={"Name": "Renamed"})
        deleted = await od.delete(f"{path}?{param}=WH1")

        problem(renamed, 404)
        problem(deleted, 404)
        kept = (await od.get("/v1/inventorylocations?locationInternalName=WH1")).json()
        assert kept["Name"] == warehouse("WH1")["Name"]


class TestDelete:
    async def test_an_empty_location_is_deleted_and_gone_from_both_dialects(
        self, od: httpx.AsyncClient, account: NewAccount
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())

        response = await od.delete("/v1/inventorylocations?locationInternalName=WH1")

        assert response.status_code == 204
        problem(await od.get("/v1/inventorylocations?locationInternalName=WH1"), 404)
        shipedge = await od.get(
            "/apirest/v4/oms/distribution_centers",
            headers={"AccountID": str(account.account_id), "Key": account.key},
        )
        assert shipedge.json()["data"] == []

    async def test_a_deleted_locations_name_is_never_reused(self, od: httpx.AsyncClient) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())
        await od.delete("/v1/inventorylocations?locationInternalName=WH1")

        problem(await od.post("/v1/inventorylocations", json=warehouse()), 409)

    async def test_a_location_holding_stock_is_a_409_naming_it_and_stays(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())
        await make.item("A")
        await make.stock("WH1", "A", 7)

        response = await od.delete("/v1/inventorylocations?locationInternalName=WH1")

        body = problem(response, 409)
        assert body["detail"] == "location 'WH1' still holds 7 on hand"
        assert (await od.get("/v1/inventorylocations?locationInternalName=WH1")).status_code == 200

    async def test_a_location_with_open_allocations_says_how_many_orders(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())
        await make.item("A")
        await make.stock("WH1", "A", 7)
        await make.order(("A", 2))

        response = await od.delete("/v1/inventorylocations?locationInternalName=WH1")

        assert problem(response, 409)["detail"] == (
            "location 'WH1' still holds 7 on hand, 2 allocated to 1 open order"
        )


class TestAcrossDialects:
    async def test_a_location_made_here_is_a_shipedge_distribution_center_that_allocates(
        self, od: httpx.AsyncClient, account: NewAccount, make: Factory
    ) -> None:
        await od.post("/v1/inventorylocations", json=warehouse())
        await make.item("A")
        await make.stock("WH1", "A", 3)
        shipedge = {"AccountID": str(account.account_id), "Key": account.key}

        [center] = (await od.get("/apirest/v4/oms/distribution_centers", headers=shipedge)).json()[
            "data"
        ]
        await make.order(("A", 2))
        stock = await od.get("/apirest/v4/oms/inventory/stock?sku=A", headers=shipedge)

        assert (center["code"], center["address"]["city"]) == ("WH1", "Toronto")
        [level] = stock.json()["data"][0]["distribution_centers"]
        assert (level["distribution_center"], level["allocated"]) == ("WH1", 2)

    async def test_a_shipedge_distribution_center_is_an_inventory_location(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("DC-CODE")

        response = await od.get(
            "/v1/inventorylocations", params={"locationInternalName": "DC-CODE"}
        )

        assert response.json()["LocationType"] == "Warehouse"


class TestAuthentication:
    async def test_no_key_is_the_gateways_401(self, app_client: httpx.AsyncClient) -> None:
        response = await app_client.get("/v1/inventorylocations")

        assert response.status_code == 401
        assert response.json() == {
            "statusCode": 401,
            "message": "Access denied due to missing subscription key. Make sure to include"
            " subscription key when making requests to an API.",
        }

    async def test_a_wrong_key_is_the_gateways_other_401(
        self, app_client: httpx.AsyncClient
    ) -> None:
        response = await app_client.get(
            "/v1/inventorylocations", headers={"Ocp-Apim-Subscription-Key": "nope"}
        )

        assert response.status_code == 401
        assert response.json()["message"].startswith("Access denied due to invalid subscription")

    async def test_the_key_may_come_as_a_query_parameter(
        self, app_client: httpx.AsyncClient, account: NewAccount
    ) -> None:
        response = await app_client.get(
            "/v1/inventorylocations", params={"Subscription-Key": account.key}
        )

        assert response.status_code == 200, response.text


class TestEdges:
    async def test_an_unknown_path_is_a_404_problem_with_a_trace_id(
        self, od: httpx.AsyncClient
    ) -> None:
        problem(await od.get("/v1/nothing-here"), 404)

    async def test_a_wrong_method_is_a_405_naming_the_allowed_ones(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.patch("/v1/inventorylocations", json={})

        problem(response, 405)
        assert response.headers["allow"] == "DELETE, GET, POST, PUT"

    async def test_nul_in_a_body_is_a_400_problem_naming_the_field(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        response = await od.post("/v1/inventorylocations", json=warehouse(Name="A\x00"))

        assert problem(response, 400)["errors"] == {
            "Name": ["Name: must not contain NUL characters or unpaired surrogates"]
        }
        assert await locations_in_db(make) == 0

    async def test_a_page_size_above_the_cap_is_lowered_to_it(self, od: httpx.AsyncClient) -> None:
        response = await od.get("/v1/inventorylocations", params={"pageSize": 100000})

        assert response.json()["PageSize"] == 250
