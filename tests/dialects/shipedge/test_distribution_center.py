from decimal import Decimal

import httpx

from orderyard.domain.values import Address
from orderyard.services import account as account_service
from orderyard.services import location as location_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory


async def test_lists_every_distribution_center_by_priority(
    client: httpx.AsyncClient, make: Factory
) -> None:
    second = await make.location("DC-2", priority=2)
    first = await make.location("DC-1", priority=1)

    response = await client.get("/distribution_centers")

    assert response.status_code == 200
    assert [(dc["distribution_center_id"], dc["code"]) for dc in response.json()["data"]] == [
        (first.id, "DC-1"),
        (second.id, "DC-2"),
    ]


async def test_gets_one_distribution_center_with_its_fields(
    client: httpx.AsyncClient, make: Factory
) -> None:
    location = await make.location("DC-1", priority=1)

    response = await client.get(f"/distribution_centers/{location.id}")

    assert response.status_code == 200
    data = response.json()["data"]
    assert {k: v for k, v in data.items() if k != "created_at"} == {
        "distribution_center_id": location.id,
        "code": "DC-1",
        "name": "Location DC-1",
        "type": "warehouse",
        "priority": 1,
        "ships_orders": True,
        "active": True,
        "address": {"address1": "", "city": "", "state": "", "zip": "", "country": ""},
        "latitude": None,
        "longitude": None,
    }


async def test_a_distribution_center_shows_its_address_and_coordinates(
    client: httpx.AsyncClient, make: Factory
) -> None:
    address = Address(
        line1="1 Dock Rd",
        city="Reno",
        region="NV",
        postal_code="89501",
        country_code="US",
        latitude=Decimal("39.5296"),
        longitude=Decimal("-119.8138"),
    )
    command = location_service.CreateLocation(code="DC-1", name="Reno", address=address)
    location = await location_service.create_location(make.uow(), command)

    response = await client.get(f"/distribution_centers/{location.id}")

    data = response.json()["data"]
    assert data["address"] == {
        "address1": "1 Dock Rd",
        "city": "Reno",
        "state": "NV",
        "zip": "89501",
        "country": "US",
    }
    assert (data["latitude"], data["longitude"]) == ("39.5296", "-119.8138")


async def test_a_missing_or_foreign_distribution_center_answers_404(
    client: httpx.AsyncClient, engines: Engines
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    theirs = await Factory(engines, other.account_id).location("DC-1")

    foreign = await client.get(f"/distribution_centers/{theirs.id}")
    missing = await client.get("/distribution_centers/999999")

    assert (foreign.status_code, missing.status_code) == (404, 404)
    assert foreign.json()["response"]["message"] == f"distribution center {theirs.id} not found"


async def test_a_non_numeric_id_answers_400(client: httpx.AsyncClient) -> None:
    response = await client.get("/distribution_centers/DC-1")

    assert response.status_code == 400
    assert response.json()["response"]["errors"][0]["field"] == "distribution_center_id"


async def test_an_account_without_locations_lists_none(client: httpx.AsyncClient) -> None:
    response = await client.get("/distribution_centers")

    assert response.json() == {"data": []}
