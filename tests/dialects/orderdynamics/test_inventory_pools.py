"""Inventory pools and pool groups (Orderyard's additions), end to end through HTTP."""

from typing import Any

import httpx
import pytest

from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows

POOLS = "/v1/inventorypools"
GROUPS = "/v1/inventorypoolgroups"
TABLES = (
    "inventory_pools",
    "inventory_pool_locations",
    "inventory_pool_groups",
    "inventory_pool_group_members",
)


@pytest.fixture
async def places(make: Factory) -> Factory:
    for code in ("WH1", "WH2", "WH3"):
        await make.location(code)
    return make


def pool(name: str = "EAST", *locations: str, **fields: Any) -> dict[str, Any]:
    return {"InternalName": name, "LocationInternalNames": list(locations or ("WH2", "WH1")),
            **fields}  # fmt: skip


def group(name: str = "WEB", *pools: str, **fields: Any) -> dict[str, Any]:
    return {"InternalName": name, "InventoryPoolNames": list(pools or ("EAST",)), **fields}


async def created(od: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await od.post(path, json=body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def rows(make: Factory) -> tuple[int, ...]:
    return tuple([await count_rows(make, table) for table in TABLES])


class TestPools:
    async def test_a_created_pool_answers_201_with_its_locations_by_name(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        body = await created(od, POOLS, pool("EAST", "WH2", "WH1", Percentage=80, Buffer=3))

        assert body.pop("CreatedDateTimeUtc").endswith("Z")
        assert body == {
            "InternalName": "EAST",
            "DisplayName": "EAST",
            "LocationInternalNames": ["WH1", "WH2"],
            "Percentage": 80,
            "Buffer": 3,
        }
        got = await od.get(POOLS, params={"INVENTORYPOOLNAME": "EAST"})
        assert got.status_code == 200
        assert got.json()["LocationInternalNames"] == ["WH1", "WH2"]

    async def test_defaults_are_the_whole_sum_without_buffer(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        body = await created(
            od, POOLS, {"internalname": "ALL", "locationinternalnames": ["WH3"], "DisplayName": "x"}
        )

        assert (body["Percentage"], body["Buffer"], body["DisplayName"]) == (100, 0, "x")

    async def test_pools_are_listed_by_internal_name_in_pages(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        for name in ("b", "A", "C"):
            await created(od, POOLS, pool(name))

        response = await od.get(POOLS, params={"pageSize": 2, "pageNumber": 1})

        body = response.json()
        assert [p["InternalName"] for p in body["Items"]] == ["A", "C"]
        assert (body["TotalCount"], body["TotalPages"]) == (3, 2)

    async def test_update_changes_the_given_fields_and_replaces_the_locations(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST", Percentage=80, Buffer=3))

        response = await od.put(
            POOLS,
            params={"inventoryPoolName": "EAST"},
            json={"LocationInternalNames": ["WH3"], "Buffer": 0, "Percentage": None},
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["LocationInternalNames"], body["Percentage"], body["Buffer"]) == (
            ["WH3"],
            80,
            0,
        )
        assert await count_rows(places, "inventory_pool_locations") == 1

    async def test_delete_removes_the_pool_and_frees_its_name(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))

        deleted = await od.delete(POOLS, params={"inventoryPoolName": "EAST"})
        again = await od.delete(POOLS, params={"inventoryPoolName": "EAST"})

        assert deleted.status_code == 204
        assert problem(again, 404)["detail"] == "inventory pool 'EAST' not found"
        assert await rows(places) == (0, 0, 0, 0)
        await created(od, POOLS, pool("EAST"))


class TestPoolRefusals:
    @pytest.mark.parametrize(
        ("body", "errors"),
        [
            (pool(Percentage=101), "Percentage"),
            (pool(Percentage=-1), "Percentage"),
            (pool(Percentage=50.5), "Percentage"),
            (pool(Buffer=-1), "Buffer"),
            (pool(Buffer="2"), "Buffer"),
            ({"LocationInternalNames": ["WH1"]}, "InternalName"),
            ({"InternalName": "X"}, "LocationInternalNames"),
            (pool("X", LocationInternalNames=[]), "LocationInternalNames"),
            (pool("x" * 65), "InternalName"),
        ],
    )
    async def test_a_bad_field_is_a_400_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, places: Factory, body: dict[str, Any], errors: str
    ) -> None:
        response = await od.post(POOLS, json=body)

        assert list(problem(response, 400)["errors"]) == [errors]
        assert await rows(places) == (0, 0, 0, 0)

    async def test_unknown_locations_are_named_all_together(
        self, od: httpx.AsyncClient, places: Factory, other_key: str
    ) -> None:
        theirs = {"Ocp-Apim-Subscription-Key": other_key}
        await od.post("/v1/inventorylocations", json={"InternalName": "THEIRS", "Name": "T"},
                      headers=theirs)  # fmt: skip

        response = await od.post(POOLS, json=pool("EAST", "WH1", "NOPE", "THEIRS"))

        assert problem(response, 400)["errors"] == {
            "LocationInternalNames": ["unknown locations 'NOPE', 'THEIRS'"]
        }
        assert await rows(places) == (0, 0, 0, 0)

    async def test_a_location_named_twice_is_refused_at_its_place(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        response = await od.post(POOLS, json=pool("EAST", "WH1", "WH2", "WH1"))

        assert problem(response, 400)["errors"] == {
            "LocationInternalNames[2]": ["location 'WH1' is already named at [0]"]
        }
        assert await rows(places) == (0, 0, 0, 0)

    async def test_a_taken_internal_name_is_a_409(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))

        response = await od.post(POOLS, json=pool("EAST", "WH3"))

        assert problem(response, 409)["errors"] == {
            "InternalName": ["inventory pool 'EAST' already exists"]
        }
        assert await rows(places) == (1, 2, 0, 0)

    async def test_a_bad_update_changes_nothing(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        before = await created(od, POOLS, pool("EAST"))

        bad = await od.put(
            POOLS,
            params={"inventoryPoolName": "EAST"},
            json={"LocationInternalNames": ["WH3", "NOPE"], "Buffer": 4},
        )
        unnamed = await od.put(POOLS, json={"Buffer": 4})
        missing = await od.put(POOLS, params={"inventoryPoolName": "WEST"}, json={"Buffer": 4})

        assert problem(bad, 400)["errors"] == {"LocationInternalNames": ["unknown location 'NOPE'"]}
        assert problem(unnamed, 400)["errors"] == {
            "inventoryPoolName": ["inventoryPoolName is required"]
        }
        assert problem(missing, 404)["detail"] == "inventory pool 'WEST' not found"
        assert (await od.get(POOLS, params={"inventoryPoolName": "EAST"})).json() == before

    async def test_another_accounts_pool_is_not_found(
        self, od: httpx.AsyncClient, places: Factory, other_key: str
    ) -> None:
        await created(od, POOLS, pool("EAST"))
        theirs = {"Ocp-Apim-Subscription-Key": other_key}

        got = await od.get(POOLS, params={"inventoryPoolName": "EAST"}, headers=theirs)
        deleted = await od.delete(POOLS, params={"inventoryPoolName": "EAST"}, headers=theirs)
        listed = await od.get(POOLS, headers=theirs)

        assert problem(got, 404)["detail"] == "inventory pool 'EAST' not found"
        assert problem(deleted, 404)["detail"] == "inventory pool 'EAST' not found"
        assert listed.json()["Items"] == []
        assert await rows(places) == (1, 2, 0, 0)


class TestGroups:
    async def test_a_group_collects_pools_and_is_read_back(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))
        await created(od, POOLS, pool("WEST", "WH3"))

        body = await created(od, GROUPS, group("WEB", "WEST", "EAST", DisplayName="Web shop"))
        listed = await od.get(GROUPS)

        assert body.pop("CreatedDateTimeUtc").endswith("Z")
        assert body == {
            "InternalName": "WEB",
            "DisplayName": "Web shop",
            "InventoryPoolNames": ["EAST", "WEST"],
        }
        assert [g["InternalName"] for g in listed.json()["Items"]] == ["WEB"]

    async def test_update_replaces_the_pools_and_delete_keeps_them(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))
        await created(od, POOLS, pool("WEST", "WH3"))
        await created(od, GROUPS, group("WEB", "EAST"))

        updated = await od.put(
            GROUPS, params={"inventoryPoolGroupName": "WEB"}, json={"InventoryPoolNames": ["WEST"]}
        )
        deleted = await od.delete(GROUPS, params={"inventoryPoolGroupName": "WEB"})

        assert updated.json()["InventoryPoolNames"] == ["WEST"]
        assert deleted.status_code == 204
        assert await rows(places) == (2, 3, 0, 0)

    async def test_a_pool_in_a_group_cannot_be_deleted(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))
        await created(od, GROUPS, group("WEB", "EAST"))
        await created(od, GROUPS, group("APP", "EAST"))

        response = await od.delete(POOLS, params={"inventoryPoolName": "EAST"})

        assert problem(response, 409)["errors"] == {
            "inventoryPoolName": [
                "inventory pool 'EAST' is in pool groups 'APP', 'WEB'; remove it from them first"
            ]
        }
        assert await rows(places) == (1, 2, 2, 2)

    async def test_a_location_in_a_pool_cannot_be_deleted(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST", "WH1"))

        response = await od.delete("/v1/inventorylocations", params={"locationInternalName": "WH1"})

        assert problem(response, 409)["errors"] == {
            "LocationInternalName": [
                "location 'WH1' is in inventory pool 'EAST'; remove it from them first"
            ]
        }
        assert (await od.get("/v1/inventorylocations?locationInternalName=WH1")).status_code == 200


class TestGroupRefusals:
    async def test_unknown_pools_are_a_400_naming_them(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))

        response = await od.post(GROUPS, json=group("WEB", "EAST", "NOPE", "GONE"))

        assert problem(response, 400)["errors"] == {
            "InventoryPoolNames": ["unknown inventory pools 'NOPE', 'GONE'"]
        }
        assert await rows(places) == (1, 2, 0, 0)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"InternalName": "WEB"}, "InventoryPoolNames"),
            (group("WEB", InventoryPoolNames=[]), "InventoryPoolNames"),
            ({"InventoryPoolNames": ["EAST"]}, "InternalName"),
            (group("WEB", DisplayName="d" * 201), "DisplayName"),
        ],
    )
    async def test_a_bad_field_is_a_400_naming_it(
        self, od: httpx.AsyncClient, places: Factory, body: dict[str, Any], field: str
    ) -> None:
        await created(od, POOLS, pool("EAST"))

        response = await od.post(GROUPS, json=body)

        assert list(problem(response, 400)["errors"]) == [field]
        assert await rows(places) == (1, 2, 0, 0)

    async def test_a_taken_name_is_a_409_and_an_unknown_group_a_404(
        self, od: httpx.AsyncClient, places: Factory
    ) -> None:
        await created(od, POOLS, pool("EAST"))
        await created(od, GROUPS, group("WEB"))

        taken = await od.post(GROUPS, json=group("WEB"))
        missing = await od.get(GROUPS, params={"inventoryPoolGroupName": "APP"})
        update = await od.put(GROUPS, params={"inventoryPoolGroupName": "APP"}, json={})
        bad_update = await od.put(
            GROUPS, params={"inventoryPoolGroupName": "WEB"}, json={"InventoryPoolNames": ["X"]}
        )

        assert problem(taken, 409)["errors"] == {
            "InternalName": ["inventory pool group 'WEB' already exists"]
        }
        assert problem(missing, 404)["detail"] == "inventory pool group 'APP' not found"
        assert problem(update, 404)["detail"] == "inventory pool group 'APP' not found"
        assert problem(bad_update, 400)["errors"] == {
            "InventoryPoolNames": ["unknown inventory pool 'X'"]
        }
        assert await rows(places) == (1, 2, 1, 1)
