"""Reserved inventory, end to end through HTTP: set, expire, release, and what ShipEdge sees."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.domain.order import OrderStatus
from orderyard.kit.clock import TestClock
from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.shipedge.conftest import order_body
from tests.factories import CLOCK_START, Factory
from tests.services.checks import count_rows, load_order

START = CLOCK_START
URL = "/v1/inventory/reserved"


@pytest.fixture
async def stocked(make: Factory, clock: TestClock) -> Factory:
    """WH1 (priority 1) holds 10 of A-1; WH2 holds 3."""
    await make.location("WH1", priority=1)
    await make.location("WH2", priority=2)
    await make.item("A-1")
    await make.stock("WH1", "A-1", 10)
    await make.stock("WH2", "A-1", 3)
    return make


def item(location: str, quantity: Any, **more: Any) -> dict[str, Any]:
    return {"Sku": "A-1", "LocationInternalName": location, "Quantity": quantity, **more}


async def overall(od: httpx.AsyncClient, location: str) -> dict[str, Any]:
    response = await od.get(
        "/v1/inventory/overall", params={"locationInternalNames": location, "skus": "A-1"}
    )
    assert response.status_code == 200, response.text
    row: dict[str, Any] = response.json()["Items"][0]
    return row


async def test_a_reservation_is_held_until_its_expiry_and_not_a_moment_longer(
    od: httpx.AsyncClient, stocked: Factory, clock: TestClock
) -> None:
    response = await od.put(
        URL,
        json={
            "Items": [
                item("WH1", 4, Reference="cart-7", ExpiryDateTimeUtc="2026-12-06T09:30:00Z"),
                item("WH1", 1, Reference="b2b"),
            ]
        },
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"Rows": 2, "OrdersAllocated": 0}
    held = await overall(od, "WH1")
    assert (held["Reserved"], held["Available"]) == (5, 5)
    clock.advance(timedelta(minutes=30))
    held = await overall(od, "WH1")
    assert (held["Reserved"], held["Available"]) == (1, 9)


async def test_property_names_and_an_offset_are_read_as_the_platform_reads_them(
    od: httpx.AsyncClient, stocked: Factory, clock: TestClock
) -> None:
    body = {
        "items": [
            {
                "sku": "A-1",
                "LOCATIONINTERNALNAME": "WH2",
                "quantity": 2,
                "expiryDateTimeUtc": "2026-12-06T12:00:00+02:00",
            }
        ]
    }
    response = await od.put(URL, json=body)
    assert response.status_code == 200, response.text

    clock.advance(timedelta(minutes=59))  # 09:59Z; it expires at 10:00Z
    assert (await overall(od, "WH2"))["Reserved"] == 2
    clock.advance(timedelta(minutes=1))
    assert (await overall(od, "WH2"))["Reserved"] == 0


async def test_delete_releases_and_gives_the_units_to_waiting_orders(
    od: httpx.AsyncClient, stocked: Factory
) -> None:
    put = await od.put(URL, json={"Items": [item("WH1", 10, Reference="b2b"), item("WH2", 3)]})
    assert put.status_code == 200, put.text
    waiting = await stocked.order(("A-1", 2))

    response = await od.request(
        "DELETE", URL, json={"Items": [{"Sku": "A-1", "LocationInternalName": "WH1"}]}
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"Rows": 1, "OrdersAllocated": 1}
    assert (await load_order(stocked, waiting.order_id)).status is OrderStatus.allocated
    assert (await overall(od, "WH2"))["Reserved"] == 3


async def test_reserved_units_are_what_shipedge_shows_and_cannot_be_ordered_there(
    od: httpx.AsyncClient, stocked: Factory, account: NewAccount
) -> None:
    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    put = await od.put(URL, json={"Items": [item("WH1", 8), item("WH2", 3)]})
    assert put.status_code == 200, put.text

    stock = await od.get(f"{SHIPEDGE_ROOT}/inventory/stock?sku=A-1", headers=shipedge)
    [view] = stock.json()["data"]
    assert [
        (dc["distribution_center"], dc["on_hand"], dc["reserved"], dc["available"])
        for dc in view["distribution_centers"]
    ] == [("WH1", 10, 8, 2), ("WH2", 3, 3, 0)]

    placed = await od.post(
        f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body("SE-1", ("A-1", 3))]}, headers=shipedge
    )
    assert placed.status_code == 200, placed.text
    allocated = await od.get(
        "/v1/inventory/allocated", params={"locationInternalNames": "WH1,WH2", "skus": "A-1"}
    )
    assert [r["Quantity"] for r in allocated.json()["Items"]] == [2, 0]


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        (item("WH1", 1) | {"Sku": "NOPE"}, "Items[1].Sku", "unknown SKU 'NOPE'"),
        (item("WH9", 1), "Items[1].LocationInternalName", "unknown location 'WH9'"),
        (item("WH1", -1), "Items[1].Quantity", None),
        (item("WH1", "two"), "Items[1].Quantity", None),
        (
            item("WH1", 1, ExpiryDateTimeUtc="2026-12-06T09:00:00Z"),
            "Items[1].ExpiryDateTimeUtc",
            "the expiry must be in the future",
        ),
        (
            item("WH1", 1, ExpiryDateTimeUtc="2026-12-06T10:00:00"),
            "Items[1].ExpiryDateTimeUtc",
            None,
        ),
        (
            item("WH1", 1, ExpiryDateTimeUtc="9999-12-31T23:00:00-05:00"),
            "Items[1].ExpiryDateTimeUtc",
            None,
        ),
        (item("WH1", 1, ExpiryDateTimeUtc="soon"), "Items[1].ExpiryDateTimeUtc", None),
        (
            item("WH2", 2),
            "Items[1].Reference",
            "WH2/A-1/'' already set in Items[0]",
        ),
    ],
    ids=[
        "unknown sku",
        "unknown location",
        "negative",
        "text quantity",
        "past expiry",
        "expiry without offset",
        "expiry out of range",
        "expiry not a time",
        "repeated",
    ],
)
async def test_a_bad_row_is_named_and_nothing_is_held(
    od: httpx.AsyncClient, stocked: Factory, bad: dict[str, Any], field: str, message: str | None
) -> None:
    response = await od.put(URL, json={"Items": [item("WH2", 1), bad]})

    body = problem(response, 400)
    assert list(body["errors"]) == [field]
    if message is not None:
        assert body["errors"][field] == [message]
    assert await count_rows(stocked, "reservations") == 0


async def test_more_than_is_free_is_a_409_and_nothing_is_held(
    od: httpx.AsyncClient, stocked: Factory
) -> None:
    response = await od.put(URL, json={"Items": [item("WH1", 1), item("WH2", 4)]})

    body = problem(response, 409)
    assert body["errors"] == {"Items[1].Quantity": ["only 3 units of 'A-1' at 'WH2' are free"]}
    assert await count_rows(stocked, "reservations") == 0


async def test_deleting_what_is_not_reserved_is_a_404_and_nothing_is_released(
    od: httpx.AsyncClient, stocked: Factory
) -> None:
    assert (await od.put(URL, json={"Items": [item("WH1", 2, Reference="x")]})).status_code == 200

    response = await od.request(
        "DELETE",
        URL,
        json={
            "Items": [
                {"Sku": "A-1", "LocationInternalName": "WH1", "Reference": "x"},
                {"Sku": "A-1", "LocationInternalName": "WH2"},
            ]
        },
    )

    body = problem(response, 404)
    assert body["detail"] == "no reservation of 'A-1' at 'WH2'"
    assert (await overall(od, "WH1"))["Reserved"] == 2


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
@pytest.mark.parametrize("payload", [{}, {"Items": []}], ids=["no items", "empty items"])
async def test_a_body_without_rows_is_refused(
    od: httpx.AsyncClient, stocked: Factory, method: str, payload: dict[str, Any]
) -> None:
    body = problem(await od.request(method, URL, json=payload), 400)

    assert list(body["errors"]) == ["Items"]
    assert await count_rows(stocked, "reservations") == 0


async def test_another_accounts_location_is_unknown(
    od: httpx.AsyncClient, stocked: Factory, other_key: str
) -> None:
    other = {"Ocp-Apim-Subscription-Key": other_key}
    await od.post("/v1/inventorylocations", json={"InternalName": "THEIRS"}, headers=other)

    response = await od.put(URL, json={"Items": [item("THEIRS", 1)]})

    body = problem(response, 400)
    assert body["errors"] == {"Items[0].LocationInternalName": ["unknown location 'THEIRS'"]}
