"""Allocation strategies (Orderyard's additions), end to end through HTTP.

Each strategy is switched on through ``PUT /v1/allocationstrategies/current``, orders are
placed (through ShipEdge's ``POST /orders``, or the service where an order needs coordinates,
which ShipEdge's bodies cannot carry), and OrderDynamics' ``GET /v1/inventory/allocated``
shows where the stock went.
"""

from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.domain.allocation.policy import DESCRIPTIONS, AllocationStrategy
from orderyard.services import order as order_service
from orderyard.services.account import NewAccount
from orderyard.services.order import LineInput, PlaceOrder
from tests.dialects.event_walk import expecting_no_event
from tests.dialects.orderdynamics.test_inventory import counts
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.shipedge.conftest import order_body
from tests.factories import ADDRESS, Factory
from tests.services.checks import assert_ledger_balances, count_rows

STRATEGIES = "/v1/allocationstrategies"
CURRENT = "/v1/allocationstrategies/current"
LOCATIONS = {
    "VAN": (1, 49.2827, -123.1207),
    "NYC": (2, 40.7128, -74.0060),
    "MTL": (3, 45.5017, -73.5673),
}
"""Priority, latitude, longitude. From Toronto: Montreal 504 km, New York 550, Vancouver 3,359."""
TORONTO = replace(
    ADDRESS, city="Toronto", latitude=Decimal("43.6532"), longitude=Decimal("-79.3832")
)
WIRE = {
    AllocationStrategy.by_priority: "LocationPriority",
    AllocationStrategy.single_location: "SingleLocation",
    AllocationStrategy.nearest: "Nearest",
    AllocationStrategy.most_stock: "MostStock",
}


def described(strategy: AllocationStrategy) -> dict[str, str]:
    return {"StrategyName": WIRE[strategy], "Description": DESCRIPTIONS[strategy]}


@pytest.fixture
async def places(od: httpx.AsyncClient, make: Factory) -> Factory:
    """VAN, NYC and MTL created through OrderDynamics with their coordinates; item A-1."""
    for code, (priority, latitude, longitude) in LOCATIONS.items():
        body = {"InternalName": code, "Name": code, "Priority": priority,
                "Latitude": latitude, "Longitude": longitude}  # fmt: skip
        created = await od.post("/v1/inventorylocations", json=body)
        assert created.status_code == 201, created.text
    await make.item("A-1")
    return make


def shipedge(account: NewAccount) -> dict[str, str]:
    return {"AccountID": str(account.account_id), "Key": account.key}


async def switch(od: httpx.AsyncClient, name: str) -> None:
    response = await od.put(CURRENT, json={"StrategyName": name})
    assert response.status_code == 200, response.text


async def stock(od: httpx.AsyncClient, *rows: tuple[str, int]) -> dict[str, Any]:
    response = await od.put(
        "/v1/inventory/onhand", json=counts(*(("A-1", code, n) for code, n in rows))
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def shipedge_order(
    od: httpx.AsyncClient, account: NewAccount, number: str, quantity: int
) -> None:
    response = await od.post(
        f"{SHIPEDGE_ROOT}/orders",
        json={"data": [order_body(number, ("A-1", quantity))]},
        headers=shipedge(account),
    )
    assert response.status_code == 200, response.text


async def allocated(od: httpx.AsyncClient) -> dict[str, int]:
    response = await od.get(
        "/v1/inventory/allocated", params={"locationInternalNames": "VAN,NYC,MTL", "skus": "A-1"}
    )
    assert response.status_code == 200, response.text
    return {row["LocationInternalName"]: row["Quantity"] for row in response.json()["Items"]}


class TestTheApi:
    async def test_the_list_names_every_strategy_with_what_it_does(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.get(STRATEGIES)

        assert response.status_code == 200, response.text
        assert response.json() == {
            "PageNumber": 1,
            "PageSize": 20,
            "TotalCount": 4,
            "TotalPages": 1,
            "Items": [described(strategy) for strategy in AllocationStrategy],
        }
        assert [item["StrategyName"] for item in response.json()["Items"]] == [
            "LocationPriority",
            "SingleLocation",
            "Nearest",
            "MostStock",
        ]

    async def test_the_list_is_paged(self, od: httpx.AsyncClient) -> None:
        response = await od.get(
            "/V1/AllocationStrategies/", params={"pagesize": 3, "PAGENUMBER": 2}
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["TotalCount"], body["TotalPages"]) == (4, 2)
        assert body["Items"] == [described(AllocationStrategy.most_stock)]

    async def test_a_new_account_allocates_by_location_priority(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.get(CURRENT)

        assert response.status_code == 200, response.text
        assert response.json() == described(AllocationStrategy.by_priority)

    async def test_a_put_switches_the_strategy_and_records_it(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        response = await od.put(CURRENT, json={"StrategyName": "Nearest"})

        assert response.status_code == 200, response.text
        assert response.json() == described(AllocationStrategy.nearest)
        assert (await od.get(CURRENT)).json() == described(AllocationStrategy.nearest)
        async with make.uow() as uow:
            logged = await uow.events.of("account", account.account_id)
        assert logged == [(f"api:{account.account_id}", "allocation_strategy_switched")]

    async def test_the_name_and_its_property_match_in_any_case(self, od: httpx.AsyncClient) -> None:
        response = await od.put(CURRENT, json={"strategyname": " mostSTOCK "})

        assert response.status_code == 200, response.text
        assert response.json()["StrategyName"] == "MostStock"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"StrategyName": "Closest"}, "StrategyName: Input should be 'LocationPriority',"
             " 'SingleLocation', 'Nearest' or 'MostStock'."),
            ({"StrategyName": "by_priority"}, "StrategyName: Input should be 'LocationPriority',"
             " 'SingleLocation', 'Nearest' or 'MostStock'."),
            ({"StrategyName": 3}, "StrategyName: Input should be 'LocationPriority',"
             " 'SingleLocation', 'Nearest' or 'MostStock'."),
            ({}, "StrategyName: is required."),
            ({"Name": "Nearest"}, "StrategyName: is required."),
        ],
        ids=["unknown", "core name", "number", "empty", "another property"],
    )  # fmt: skip
    async def test_a_bad_name_is_a_400_naming_the_field_and_changes_nothing(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        body: dict[str, Any],
        message: str,
    ) -> None:
        response = await od.put(CURRENT, json=body)

        assert problem(response, 400)["errors"] == {"StrategyName": [message]}
        assert (await od.get(CURRENT)).json()["StrategyName"] == "LocationPriority"
        assert await count_rows(make, "events") == 0

    async def test_choosing_the_current_strategy_again_records_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        with expecting_no_event():
            response = await od.put(CURRENT, json={"StrategyName": "LocationPriority"})

        assert response.json() == described(AllocationStrategy.by_priority)
        assert await count_rows(make, "events") == 0

    async def test_a_switch_is_the_accounts_own(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await switch(od, "SingleLocation")

        theirs = await od.get(CURRENT, headers={"Ocp-Apim-Subscription-Key": other_key})

        assert theirs.json()["StrategyName"] == "LocationPriority"

    @pytest.mark.parametrize(
        ("method", "path"), [("GET", STRATEGIES), ("GET", CURRENT), ("PUT", CURRENT)]
    )
    async def test_every_call_needs_the_key(
        self, app_client: httpx.AsyncClient, method: str, path: str
    ) -> None:
        response = await app_client.request(method, path, json={"StrategyName": "Nearest"})

        assert response.status_code == 401
        assert response.json()["statusCode"] == 401

    async def test_the_list_cannot_be_written(self, od: httpx.AsyncClient) -> None:
        response = await od.post(STRATEGIES, json={"StrategyName": "Nearest"})

        assert problem(response, 405)
        assert response.headers["allow"] == "GET"


class TestEachStrategyEndToEnd:
    async def test_location_priority_splits_from_the_lowest_priority_number(
        self, od: httpx.AsyncClient, places: Factory, account: NewAccount
    ) -> None:
        with expecting_no_event():  # already the account's strategy
            await switch(od, "LocationPriority")
        await stock(od, ("VAN", 2), ("NYC", 9), ("MTL", 9))

        await shipedge_order(od, account, "SE-1", 5)

        assert await allocated(od) == {"VAN": 2, "NYC": 3, "MTL": 0}
        await assert_ledger_balances(places)

    async def test_single_location_backorders_rather_than_split(
        self, od: httpx.AsyncClient, places: Factory, account: NewAccount
    ) -> None:
        await switch(od, "SingleLocation")
        await stock(od, ("VAN", 4), ("NYC", 4), ("MTL", 4))

        await shipedge_order(od, account, "SE-1", 5)
        assert await allocated(od) == {"VAN": 0, "NYC": 0, "MTL": 0}
        raised = await stock(od, ("MTL", 6))

        assert raised["OrdersAllocated"] == 1
        assert await allocated(od) == {"VAN": 0, "NYC": 0, "MTL": 5}
        await assert_ledger_balances(places)

    async def test_nearest_ships_from_the_nearest_and_by_priority_without_coordinates(
        self, od: httpx.AsyncClient, places: Factory, account: NewAccount
    ) -> None:
        await switch(od, "Nearest")
        await stock(od, ("VAN", 9), ("NYC", 9), ("MTL", 3))
        command = PlaceOrder("N-1", (LineInput("A-1", 5),), "Pick", address=TORONTO)

        [outcome] = await order_service.place_orders(places.uow(), [command])
        assert outcome.error is None
        await shipedge_order(od, account, "SE-1", 1)

        assert await allocated(od) == {"VAN": 1, "NYC": 2, "MTL": 3}
        await assert_ledger_balances(places)

    async def test_most_stock_ships_from_the_fullest(
        self, od: httpx.AsyncClient, places: Factory, account: NewAccount
    ) -> None:
        await switch(od, "MostStock")
        await stock(od, ("VAN", 3), ("NYC", 7), ("MTL", 4))

        await shipedge_order(od, account, "SE-1", 9)
        await shipedge_order(od, account, "SE-2", 2)

        assert await allocated(od) == {"VAN": 2, "NYC": 7, "MTL": 2}
        await assert_ledger_balances(places)

    async def test_a_switch_changes_only_what_is_allocated_after_it(
        self, od: httpx.AsyncClient, places: Factory, account: NewAccount
    ) -> None:
        """SE-1 took VAN's 2 by priority and keeps them; SE-2 waited, and once switched to a
        single location it takes NYC's 3 whole instead of VAN's 2 and one of NYC's."""
        await stock(od, ("VAN", 2))
        await shipedge_order(od, account, "SE-1", 2)
        await shipedge_order(od, account, "SE-2", 3)
        assert await allocated(od) == {"VAN": 2, "NYC": 0, "MTL": 0}

        await switch(od, "SingleLocation")
        await stock(od, ("VAN", 4), ("NYC", 3))

        assert await allocated(od) == {"VAN": 2, "NYC": 3, "MTL": 0}
        await assert_ledger_balances(places)
