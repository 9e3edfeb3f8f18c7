"""``GET /v1/virtualinventory``, end to end through HTTP, and what moves it from ShipEdge."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.kit.clock import frozen_at
from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory

READ = "/v1/virtualinventory"


@pytest.fixture
async def pooled(make: Factory, od: httpx.AsyncClient) -> Factory:
    """WH1: A-1 10 (2 ordered), B-2 4; WH2: A-1 3; WH3: B-2 7; kit K-1 = 2 x A-1.

    Pools: EAST = WH1 + WH2 (all of it); HALF = WH2 + WH3 (50 %, minus 1).
    Groups: WEB = EAST + HALF; STORES = HALF.
    """
    for code, priority in (("WH1", 1), ("WH2", 2), ("WH3", 3)):
        await make.location(code, priority=priority)
    await make.item("A-1")
    await make.item("B-2")
    await make.kit("K-1", ("A-1", 2))
    for location, sku, units in (("WH1", "A-1", 10), ("WH2", "A-1", 3), ("WH1", "B-2", 4),
                                 ("WH3", "B-2", 7)):  # fmt: skip
        await make.stock(location, sku, units)
    await make.order(("A-1", 2))
    definitions = [
        ("/v1/inventorypools", {"InternalName": "EAST", "LocationInternalNames": ["WH1", "WH2"]}),
        (
            "/v1/inventorypools",
            {
                "InternalName": "HALF",
                "LocationInternalNames": ["WH2", "WH3"],
                "Percentage": 50,
                "Buffer": 1,
            },
        ),
        (
            "/v1/inventorypoolgroups",
            {"InternalName": "WEB", "InventoryPoolNames": ["HALF", "EAST"]},
        ),
        ("/v1/inventorypoolgroups", {"InternalName": "STORES", "InventoryPoolNames": ["HALF"]}),
    ]
    for path, body in definitions:
        response = await od.post(path, json=body)
        assert response.status_code == 201, response.text
    return make


def rows(response: httpx.Response) -> list[tuple[str, str, str, int]]:
    assert response.status_code == 200, response.text
    return [
        (r["InventoryPoolGroupName"], r["InventoryPoolName"], r["Sku"], r["Quantity"])
        for r in response.json()["Items"]
    ]


class TestRead:
    async def test_each_pool_of_the_group_shows_its_calculated_figure_per_sku(
        self, od: httpx.AsyncClient, pooled: Factory
    ) -> None:
        response = await od.get(READ, params={"inventoryPoolGroupNames": "WEB", "skus": "B-2,A-1"})

        assert response.json() == {
            "PageNumber": 1,
            "PageSize": 20,
            "TotalCount": 4,
            "TotalPages": 1,
            "Items": [
                {"InventoryPoolGroupName": "WEB", "InventoryPoolName": "EAST", "Sku": "A-1",
                 "Quantity": 11},
                {"InventoryPoolGroupName": "WEB", "InventoryPoolName": "HALF", "Sku": "A-1",
                 "Quantity": 0},
                {"InventoryPoolGroupName": "WEB", "InventoryPoolName": "EAST", "Sku": "B-2",
                 "Quantity": 4},
                {"InventoryPoolGroupName": "WEB", "InventoryPoolName": "HALF", "Sku": "B-2",
                 "Quantity": 2},
            ],
        }  # fmt: skip

    async def test_without_skus_every_sku_is_listed_and_a_kit_follows_its_parts(
        self, od: httpx.AsyncClient, pooled: Factory
    ) -> None:
        response = await od.get(f"{READ.upper()}?INVENTORYPOOLGROUPNAMES=STORES,WEB")

        assert rows(response)[:3] == [
            ("STORES", "HALF", "A-1", 0),
            ("WEB", "EAST", "A-1", 11),
            ("WEB", "HALF", "A-1", 0),
        ]
        assert rows(response)[6:] == [
            ("STORES", "HALF", "K-1", 0),
            ("WEB", "EAST", "K-1", 5),
            ("WEB", "HALF", "K-1", 0),
        ]
        assert response.json()["TotalCount"] == 9

    async def test_pages_cut_across_skus(self, od: httpx.AsyncClient, pooled: Factory) -> None:
        response = await od.get(
            READ, params={"inventoryPoolGroupNames": "WEB", "pageSize": 4, "pageNumber": 2}
        )

        assert rows(response) == [("WEB", "EAST", "K-1", 5), ("WEB", "HALF", "K-1", 0)]
        body = response.json()
        assert (body["TotalCount"], body["TotalPages"]) == (6, 2)

    async def test_a_changed_calculation_shows_at_once(
        self, od: httpx.AsyncClient, pooled: Factory
    ) -> None:
        changed = await od.put(
            "/v1/inventorypools", params={"inventoryPoolName": "EAST"},
            json={"Percentage": 30, "Buffer": 2},
        )  # fmt: skip
        assert changed.status_code == 200, changed.text

        response = await od.get(READ, params={"inventoryPoolGroupNames": "WEB", "skus": "A-1"})

        assert rows(response) == [("WEB", "EAST", "A-1", 1), ("WEB", "HALF", "A-1", 0)]


class TestRefusals:
    @pytest.mark.parametrize(
        ("query", "errors"),
        [
            ({}, {"inventoryPoolGroupNames": ["inventoryPoolGroupNames: is required."]}),
            ({"inventoryPoolGroupNames": " , "},
             {"inventoryPoolGroupNames": ["at least one inventory pool group is required"]}),
            ({"inventoryPoolGroupNames": "WEB,NOPE,GONE"},
             {"inventoryPoolGroupNames": ["unknown inventory pool groups 'NOPE', 'GONE'"]}),
            ({"inventoryPoolGroupNames": "WEB", "skus": "A-1,ZZ"},
             {"skus": ["unknown SKU 'ZZ'"]}),
            ({"inventoryPoolGroupNames": "WEB", "pageSize": "0"},
             {"pageSize": ["pageSize: Input should be greater than or equal to 1."]}),
        ],
    )  # fmt: skip
    async def test_bad_parameters_are_a_400_naming_them(
        self, od: httpx.AsyncClient, pooled: Factory, query: dict[str, str], errors: object
    ) -> None:
        response = await od.get(READ, params=query)

        assert problem(response, 400)["errors"] == errors

    async def test_another_accounts_group_is_unknown(
        self, od: httpx.AsyncClient, pooled: Factory, other_key: str
    ) -> None:
        theirs = {"Ocp-Apim-Subscription-Key": other_key}

        response = await od.get(READ, params={"inventoryPoolGroupNames": "WEB"}, headers=theirs)

        assert problem(response, 400)["errors"] == {
            "inventoryPoolGroupNames": ["unknown inventory pool group 'WEB'"]
        }


class TestAcrossDialects:
    async def test_a_shipedge_order_and_an_on_hand_count_move_the_virtual_figure(
        self, od: httpx.AsyncClient, pooled: Factory, account: NewAccount
    ) -> None:
        shipedge = {"AccountID": str(account.account_id), "Key": account.key}
        query = {"inventoryPoolGroupNames": "WEB", "skus": "B-2"}

        placed = await od.post(
            f"{SHIPEDGE_ROOT}/orders",
            json={"data": [order_body("SE-1", ("B-2", 3))]},
            headers=shipedge,
        )
        after_order = rows(await od.get(READ, params=query))
        counted = await od.put(
            "/v1/inventory/onhand",
            json={"Items": [{"Sku": "B-2", "LocationInternalName": "WH3", "Quantity": 11}]},
        )
        after_count = rows(await od.get(READ, params=query))

        assert placed.status_code == 200, placed.text
        assert after_order == [("WEB", "EAST", "B-2", 1), ("WEB", "HALF", "B-2", 2)]
        assert counted.status_code == 200, counted.text
        assert after_count == [("WEB", "EAST", "B-2", 1), ("WEB", "HALF", "B-2", 4)]

    async def test_a_reservation_holds_units_out_of_the_pools_until_it_expires(
        self, od: httpx.AsyncClient, pooled: Factory
    ) -> None:
        query = {"inventoryPoolGroupNames": "WEB", "skus": "B-2"}
        with frozen_at(datetime(2026, 12, 6, 9, 0, tzinfo=UTC)) as clock:
            reserved = await od.put(
                "/v1/inventory/reserved",
                json={
                    "Items": [
                        {
                            "Sku": "B-2",
                            "LocationInternalName": "WH1",
                            "Quantity": 3,
                            "ExpiryDateTimeUtc": "2026-12-06T10:00:00Z",
                        }
                    ]
                },
            )
            held = rows(await od.get(READ, params=query))
            clock.advance(timedelta(hours=1))
            expired = rows(await od.get(READ, params=query))

        assert reserved.status_code == 200, reserved.text
        assert held == [("WEB", "EAST", "B-2", 1), ("WEB", "HALF", "B-2", 2)]
        assert expired == [("WEB", "EAST", "B-2", 4), ("WEB", "HALF", "B-2", 2)]
