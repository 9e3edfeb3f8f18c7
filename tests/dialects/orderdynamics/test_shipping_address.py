"""OrderDynamics PUT /v1/orders/UpdateShippingAddress: before shipping, and re-sourced."""

from decimal import Decimal

import httpx
import pytest

from orderyard.domain.values import AddressPatch
from orderyard.services import order as order_service
from orderyard.services.order import LineInput, OrderRef, PlaceOrder, UpdateOrder
from tests.dialects.orderdynamics.test_allocation_strategies import (
    LOCATIONS,
    TORONTO,
    allocated,
    stock,
    switch,
)
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, ledger, load_order

UPDATE = "/v1/orders/UpdateShippingAddress"


@pytest.fixture
async def sites(od: httpx.AsyncClient, make: Factory) -> Factory:
    """VAN, NYC and MTL with their coordinates (as the strategies' tests); item A-1."""
    for code, (priority, latitude, longitude) in LOCATIONS.items():
        body = {"InternalName": code, "Name": code, "Priority": priority,
                "Latitude": latitude, "Longitude": longitude}  # fmt: skip
        created = await od.post("/v1/inventorylocations", json=body)
        assert created.status_code == 201, created.text
    await make.item("A-1")
    return make


VANCOUVER = {"City": "Vancouver", "Latitude": 49.2609, "Longitude": -123.1139}


async def placed(make: Factory, quantity: int = 2) -> int:
    command = PlaceOrder("N-1", (LineInput("A-1", quantity),), "Pick", address=TORONTO)
    [outcome] = await order_service.place_orders(make.uow(), [command])
    assert outcome.order_id is not None, outcome.error
    return outcome.order_id


class TestUpdateShippingAddress:
    async def test_the_given_fields_change_and_the_others_stay(
        self, od: httpx.AsyncClient, sites: Factory
    ) -> None:
        await stock(od, ("VAN", 9), ("NYC", 9), ("MTL", 9))
        order_id = await placed(sites)

        response = await od.put(
            UPDATE,
            json={"InternalOrderId": order_id, "ShippingAddress": {"AddressLine1": "1 Main St"}},
        )

        assert response.status_code == 200, response.text
        address = response.json()["ShippingAddress"]
        assert (address["AddressLine1"], address["City"]) == ("1 Main St", "Toronto")
        assert await allocated(od) == {"VAN": 2, "NYC": 0, "MTL": 0}

    async def test_under_nearest_the_allocation_moves_to_the_now_nearest_location(
        self, od: httpx.AsyncClient, sites: Factory
    ) -> None:
        await switch(od, "Nearest")
        await stock(od, ("VAN", 9), ("NYC", 9), ("MTL", 9))
        await placed(sites)
        assert await allocated(od) == {"VAN": 0, "NYC": 0, "MTL": 2}

        response = await od.put(
            UPDATE, json={"ExternalOrderId": "N-1", "ShippingAddress": VANCOUVER}
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ShippingAddress"]["City"] == "Vancouver"
        assert (body["OrderStatus"], body["OrderDetails"][0]["AllocatedQuantity"]) == (
            "Allocated",
            2,
        )
        assert await allocated(od) == {"VAN": 2, "NYC": 0, "MTL": 0}
        await assert_ledger_balances(sites)

    async def test_after_shipping_it_is_a_409_and_nothing_changes(
        self, od: httpx.AsyncClient, sites: Factory
    ) -> None:
        await switch(od, "Nearest")
        await stock(od, ("VAN", 9), ("NYC", 9), ("MTL", 9))
        order_id = await placed(sites)
        await sites.ship(order_id, (1, 1))
        moves = len(await ledger(sites))

        response = await od.put(
            UPDATE, json={"InternalOrderId": order_id, "ShippingAddress": VANCOUVER}
        )

        assert response.status_code == 409, response.text
        assert list(response.json()["errors"]) == ["ShippingAddress"]
        got = (await od.get("/v1/orders", params={"InternalOrderId": order_id})).json()
        assert got["ShippingAddress"]["City"] == "Toronto"
        assert len(await ledger(sites)) == moves
        assert await allocated(od) == {"VAN": 0, "NYC": 0, "MTL": 1}

    async def test_an_unknown_order_is_a_404(self, od: httpx.AsyncClient, sites: Factory) -> None:
        response = await od.put(UPDATE, json={"ExternalOrderId": "NOPE", "ShippingAddress": {}})

        assert response.status_code == 404, response.text
        assert await count_rows(sites, "orders") == 0

    async def test_bad_address_fields_are_a_400_naming_them_and_nothing_changes(
        self, od: httpx.AsyncClient, sites: Factory
    ) -> None:
        await stock(od, ("VAN", 9))
        order_id = await placed(sites)

        response = await od.put(
            UPDATE,
            json={
                "InternalOrderId": order_id,
                "ShippingAddress": {"Latitude": 91, "City": "x" * 101},
            },
        )

        assert response.status_code == 400, response.text
        assert set(response.json()["errors"]) == {
            "ShippingAddress.Latitude",
            "ShippingAddress.City",
        }
        assert (await load_order(sites, order_id)).header.order_number == "N-1"
        got = (await od.get("/v1/orders", params={"InternalOrderId": order_id})).json()
        assert got["ShippingAddress"]["City"] == "Toronto"

    async def test_neither_id_is_a_400_naming_internal_order_id(
        self, od: httpx.AsyncClient, sites: Factory
    ) -> None:
        response = await od.put(UPDATE, json={"ShippingAddress": VANCOUVER})

        assert response.status_code == 400, response.text
        assert list(response.json()["errors"]) == ["InternalOrderId"]


class TestUpdateOrderAddressOrdering:
    async def test_an_update_saves_the_address_before_allocating_under_nearest(
        self, od: httpx.AsyncClient, sites: Factory
    ) -> None:
        await switch(od, "Nearest")
        await stock(od, ("VAN", 9), ("NYC", 9), ("MTL", 9))
        await placed(sites)
        patch = AddressPatch(
            city="Vancouver", latitude=Decimal("49.2609"), longitude=Decimal("-123.1139")
        )
        command = UpdateOrder(
            OrderRef("order_number", "N-1"), address=patch, lines=(LineInput("A-1", 3),)
        )

        [outcome] = await order_service.update_orders(sites.uow(), [command])

        assert outcome.error is None
        assert await allocated(od) == {"VAN": 3, "NYC": 0, "MTL": 0}
        await assert_ledger_balances(sites)
