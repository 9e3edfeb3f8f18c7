"""The Pre-order API end to end: waves, schedules, sequencing, releases, both dialects' views."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.kit.clock import TestClock
from orderyard.services.account import NewAccount
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, level

WAVES = "/preorder/waves/v1/"
SCHEDULES = "/preorder/releaseschedules/v1/"
RELEASE_ITEM = "/preorder/sequences/releaseiteminpreorders/v1/"
RELEASE_ITEM_BYPASS = "/preorder/sequences/releaseiteminpreordersbypassinventoryrequirement/v1/"
RELEASE = "/preorder/sequences/releasepreorders/v1/"
RELEASE_BYPASS = "/preorder/sequences/releasepreordersbypassinventoryrequirement/v1/"
OVERRIDE = "/preorder/sequences/updatedeliverydateoverride/v1/"
LATER = "2026-12-20T00:00:00Z"
TABLES = ("preorder_waves", "preorder_lines", "preorder_release_schedules", "reservations")


@pytest.fixture
async def shop(make: Factory, clock: TestClock) -> Factory:
    """WH1 and WH2, the item P-1 with no stock anywhere; the clock at 2026-12-06T09:00Z."""
    await make.location("WH1")
    await make.location("WH2", priority=2)
    await make.item("P-1")
    return make


def wave(planned: int = 3, **fields: Any) -> dict[str, Any]:
    return {"ItemId": "P-1", "InventoryLocationId": "WH1", "PlannedQuantity": planned,
            "ReleaseDateTimeUtc": LATER, "ExternalId": "W-1", **fields}  # fmt: skip


async def created(od: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await od.post(path, json=body)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def order(od: httpx.AsyncClient, number: str, quantity: int = 1, country: str = "CA") -> int:
    body = {
        "ExternalOrderId": number,
        "OrderDetails": [{"Sku": "P-1", "Quantity": quantity}],
        "ShippingAddress": {"AddressLine1": "1 Main", "City": "X", "CountryCode": country},
    }
    response = await od.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    detail_id: int = response.json()["OrderDetails"][0]["OrderDetailId"]
    return detail_id


async def status(od: httpx.AsyncClient, number: str) -> tuple[str, int, int]:
    response = await od.get("/v1/orders", params={"ExternalOrderId": number})
    assert response.status_code == 200, response.text
    body = response.json()
    [detail] = body["OrderDetails"]
    return body["OrderStatus"], detail["AllocatedQuantity"], detail["BackorderedQuantity"]


async def receive(od: httpx.AsyncClient, on_hand: int, location: str = "WH1") -> None:
    body = {"Items": [{"Sku": "P-1", "LocationInternalName": location, "Quantity": on_hand}]}
    response = await od.put("/v1/inventory/onhand", json=body)
    assert response.status_code == 200, response.text


async def overall(od: httpx.AsyncClient, location: str = "WH1") -> dict[str, Any]:
    response = await od.get(
        "/v1/inventory/overall", params={"locationInternalNames": location, "skus": "P-1"}
    )
    assert response.status_code == 200, response.text
    [row] = response.json()["Items"]
    found: dict[str, Any] = row
    return found


def problem_fields(response: httpx.Response) -> dict[str, list[str]]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    errors: dict[str, list[str]] = response.json().get("errors", {})
    return errors


async def untouched(make: Factory, *expected: int) -> None:
    assert tuple([await count_rows(make, t) for t in TABLES]) == expected


async def shortfall(make: Factory, location: str = "WH1") -> tuple[int, int, int]:
    """``(on_hand, allocated, bypassed)`` of P-1 at the location, as stored."""
    async with make.uow() as uow:
        location_id = (await uow.locations.ids_by_code([location]))[location]
        item_id = (await uow.catalog.item_ids(["P-1"]))["P-1"]
        found = (await uow.stock.levels([(location_id, item_id)]))[(location_id, item_id)]
    return found.on_hand, found.allocated, found.bypassed


async def shipedge_stock(
    client: httpx.AsyncClient, account: NewAccount
) -> tuple[dict[str, tuple[int, int, int]], int]:
    """ShipEdge's ``/inventory/stock`` of P-1: (on hand, allocated, available) per
    distribution center, and the total available."""
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    response = await client.get(
        f"{SHIPEDGE_ROOT}/inventory/stock", params={"sku": "P-1"}, headers=headers
    )
    assert response.status_code == 200, response.text
    [stock] = response.json()["data"]
    rows = {
        dc["distribution_center"]: (dc["on_hand"], dc["allocated"], dc["available"])
        for dc in stock["distribution_centers"]
    }
    return rows, stock["total"]["available"]


async def ship_all(od: httpx.AsyncClient, number: str) -> int:
    """CreateAllShipments for the order; its one shipment's id."""
    response = await od.post(
        "/v1/orderfulfillment/shipments/CreateAllShipments", json={"ExternalOrderId": number}
    )
    assert response.status_code == 201, response.text
    [shipment] = response.json()["Shipments"]
    shipment_id: int = shipment["ShipmentId"]
    return shipment_id


async def shipped(od: httpx.AsyncClient, shipment_id: int) -> httpx.Response:
    return await od.put(
        "/v1/orderfulfillment/shipments/Status",
        json={"ShipmentId": shipment_id, "ShipmentStatus": "Shipped"},
    )


async def test_a_wave_of_100_releases_the_first_100_of_120_preorders_and_both_dialects_show_it(
    od: httpx.AsyncClient, app_client: httpx.AsyncClient, shop: Factory, account: NewAccount
) -> None:
    made = await created(od, WAVES, wave(100))
    for number in range(1, 121):
        await order(od, f"PO-{number}")

    got = (await od.get(WAVES + str(made["WaveId"]))).json()
    assert (got["SequencedQuantity"], got["AvailableQuantity"]) == (100, 0)
    assert await status(od, "PO-100") == ("Backordered", 0, 0)
    assert await status(od, "PO-101") == ("Backordered", 0, 1)
    await receive(od, 100)
    assert await status(od, "PO-101") == ("Backordered", 0, 1)  # the stock waits for the wave

    response = await od.post(RELEASE_ITEM, json={"ItemId": "P-1"})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "ReleasedQuantity": 100,
        "ReleasedOrderDetails": 100,
        "Waves": [{"WaveId": made["WaveId"], "ReleasedQuantity": 100,
                   "ReleasedOrderDetails": 100, "SequencedQuantity": 0, "Status": "Released"}],
    }  # fmt: skip
    for number in (1, 50, 100):
        assert await status(od, f"PO-{number}") == ("Allocated", 1, 0)
    for number in (101, 120):
        assert await status(od, f"PO-{number}") == ("Backordered", 0, 1)
    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    for number, word in (("PO-1", "Processing"), ("PO-100", "Processing"), ("PO-101", "Backorder")):
        seen = await app_client.get(
            f"{SHIPEDGE_ROOT}/orders/{number}",
            params={"identify_by": "order_number"},
            headers=shipedge,
        )
        assert seen.status_code == 200, seen.text
        assert seen.json()["data"]["status"] == word
    assert await level(shop, "WH1", "P-1") == (100, 100)
    await assert_ledger_balances(shop)


async def test_release_goes_as_far_as_stock_allows_and_keeps_the_rest_in_order(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    made = await created(od, WAVES, wave(3))
    for number in range(1, 4):
        await order(od, f"PO-{number}")
    await receive(od, 2)
    figures = await overall(od)
    assert (figures["OnHand"], figures["Reserved"], figures["Available"]) == (2, 3, 0)

    first = await od.post(RELEASE, json={"WaveIds": [made["WaveId"]]})

    assert first.json()["ReleasedQuantity"] == 2
    assert [await status(od, f"PO-{n}") for n in (1, 2, 3)] == [
        ("Allocated", 1, 0), ("Allocated", 1, 0), ("Backordered", 0, 0)]  # fmt: skip
    await receive(od, 3)
    assert await status(od, "PO-3") == ("Backordered", 0, 0)  # held for its wave, not a backorder
    second = await od.post(RELEASE, json={"WaveIds": [made["WaveId"]]})
    assert second.json()["ReleasedQuantity"] == 1
    assert await status(od, "PO-3") == ("Allocated", 1, 0)
    await assert_ledger_balances(shop)


async def test_a_cancelled_preorder_frees_its_place_without_later_lines_jumping_ahead(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    made = await created(od, WAVES, wave(2))
    first = await order(od, "PO-1")
    await order(od, "PO-2")
    await order(od, "PO-3")  # no room: backordered

    cancelled = await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "PO-1"})
    assert cancelled.status_code == 200, cancelled.text
    fourth = await order(od, "PO-4")

    assert (await od.get(WAVES + str(made["WaveId"]))).json()["SequencedQuantity"] == 2
    dates = (await od.get(f"/preorder/releasedates/v1/{fourth}")).json()
    assert (dates["SequenceNumber"], dates["SequencedQuantity"]) == (3, 1)
    assert (await od.get(f"/preorder/releasedates/v1/{first}")).json()["SequencedQuantity"] == 0
    await receive(od, 1)
    await od.post(RELEASE_ITEM, json={"ItemId": "P-1"})
    assert await status(od, "PO-2") == ("Allocated", 1, 0)
    assert await status(od, "PO-4") == ("Backordered", 0, 0)


async def test_a_bypass_release_allocates_beyond_on_hand_and_the_next_receipt_settles_it(
    od: httpx.AsyncClient, app_client: httpx.AsyncClient, shop: Factory, account: NewAccount
) -> None:
    await created(od, WAVES, wave(3))
    for number in range(1, 3):
        await order(od, f"PO-{number}")

    response = await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})

    assert response.json()["ReleasedQuantity"] == 2
    assert await status(od, "PO-2") == ("Allocated", 1, 0)
    figures = await overall(od)
    assert (figures["OnHand"], figures["Allocated"], figures["Reserved"]) == (0, 2, 0)
    assert figures["Available"] == -2
    assert await shortfall(shop) == (0, 2, 2)
    assert await shipedge_stock(app_client, account) == ({"WH1": (0, 2, -2)}, 0)
    await receive(od, 1)
    assert (await overall(od))["Available"] == -1
    assert await shortfall(shop) == (1, 2, 1)
    await receive(od, 5)
    figures = await overall(od)
    assert (figures["OnHand"], figures["Allocated"], figures["Available"]) == (5, 2, 3)
    assert await shortfall(shop) == (5, 2, 0)
    assert await shipedge_stock(app_client, account) == ({"WH1": (5, 2, 3)}, 3)
    await assert_ledger_balances(shop)


async def test_a_shortfall_shows_only_at_its_location_and_stock_elsewhere_still_sells(
    od: httpx.AsyncClient, app_client: httpx.AsyncClient, shop: Factory, account: NewAccount
) -> None:
    await created(od, WAVES, wave(3))
    for number in range(1, 4):
        await order(od, f"PO-{number}")
    await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})
    await receive(od, 4, "WH2")

    seen = await shipedge_stock(app_client, account)
    totals = (await od.get("/v1/inventory/totals", params={"skus": "P-1"})).json()

    assert seen == ({"WH1": (0, 3, -3), "WH2": (4, 0, 4)}, 4)
    assert totals["Items"][0]["Available"] == 4
    await order(od, "PO-4")  # WH1 has nothing to give: WH2 serves it
    assert await status(od, "PO-4") == ("Allocated", 1, 0)
    assert await level(shop, "WH2", "P-1") == (4, 1)
    assert await shortfall(shop) == (0, 3, 3)


async def test_shipping_units_a_bypass_release_allocated_ahead_of_stock_is_a_409_writing_nothing(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    await created(od, WAVES, wave(3))
    for number in range(1, 3):
        await order(od, f"PO-{number}")
    await receive(od, 1)
    await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})
    one = await ship_all(od, "PO-1")
    two = await ship_all(od, "PO-2")
    assert (await shipped(od, one)).status_code == 200  # the one unit on hand leaves
    before = (await shortfall(shop), await count_rows(shop, "inventory_movements"))

    response = await shipped(od, two)

    assert response.status_code == 409, response.text
    assert response.json()["detail"] == (
        "1 units of P-1 to ship from WH1, but 0 on hand: 1 were allocated ahead of their "
        "stock and not received yet"
    )
    assert (await shortfall(shop), await count_rows(shop, "inventory_movements")) == before
    assert before[0] == (0, 1, 1)
    got = await od.get("/v1/orderfulfillment/shipments/", params={"ShipmentStatus": "Created"})
    assert [s["ShipmentId"] for s in got.json()["Items"]] == [two]
    assert await status(od, "PO-2") == ("Allocated", 1, 0)
    await receive(od, 1)
    assert (await shipped(od, two)).status_code == 200
    assert await shortfall(shop) == (0, 0, 0)
    await assert_ledger_balances(shop)


async def test_cancelling_a_bypass_released_line_gives_back_its_allocation_and_its_shortfall(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    await created(od, WAVES, wave(3))
    for number in range(1, 4):
        await order(od, f"PO-{number}", quantity=1)
    await receive(od, 1)
    await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})
    assert await shortfall(shop) == (1, 3, 2)

    cancelled = await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "PO-3"})

    assert cancelled.status_code == 200, cancelled.text
    assert await shortfall(shop) == (1, 2, 1)
    assert (await overall(od))["Available"] == -1
    await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "PO-2"})
    await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "PO-1"})
    assert await shortfall(shop) == (1, 0, 0)
    assert (await overall(od))["Available"] == 1
    await assert_ledger_balances(shop)


async def test_a_count_below_what_on_hand_backs_releases_the_newest_and_keeps_the_shortfall(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    await created(od, WAVES, wave(3))
    for number in range(1, 4):
        await order(od, f"PO-{number}")
    await receive(od, 1)
    await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})

    await receive(od, 0)  # the one unit on hand was lost

    assert await shortfall(shop) == (0, 2, 2)
    assert await status(od, "PO-3") == ("Backordered", 0, 1)
    assert (await overall(od))["Available"] == -2
    await receive(od, 4)  # pays the shortfall off, then the backorder takes its unit
    assert await shortfall(shop) == (4, 3, 0)
    assert await status(od, "PO-3") == ("Allocated", 1, 0)
    assert (await overall(od))["Available"] == 1
    await assert_ledger_balances(shop)


async def test_release_preorders_without_waves_releases_only_lines_that_are_due(
    od: httpx.AsyncClient, shop: Factory, clock: TestClock
) -> None:
    await created(od, WAVES, wave(5))
    await order(od, "PO-US", country="US")
    await order(od, "PO-CA", country="CA")
    schedule = await created(
        od,
        SCHEDULES,
        {"ItemId": "P-1", "CountryId": "ca", "ReleaseDateTimeUtc": "2026-12-10T00:00:00Z"},
    )
    assert schedule["CountryId"] == "CA"
    await receive(od, 5)

    early = await od.post(RELEASE_BYPASS, json={"WaveIds": []})
    assert early.json()["ReleasedQuantity"] == 0
    clock.advance(timedelta(days=5))  # past CA's schedule, before the wave's date
    due = await od.post(RELEASE, json={})

    assert due.json()["ReleasedQuantity"] == 1
    assert await status(od, "PO-CA") == ("Allocated", 1, 0)
    assert await status(od, "PO-US") == ("Backordered", 0, 0)


async def test_waves_are_created_read_listed_updated_and_deleted(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    made = await created(od, WAVES, wave(5, ExternalId="X-9"))
    assert {k: made[k] for k in ("ExternalId", "ItemId", "InventoryLocationId", "PlannedQuantity",
                                  "SequencedQuantity", "ReleasedQuantity", "AvailableQuantity",
                                  "Status", "ReleaseDateTimeUtc")} == {
        "ExternalId": "X-9", "ItemId": "P-1", "InventoryLocationId": "WH1", "PlannedQuantity": 5,
        "SequencedQuantity": 0, "ReleasedQuantity": 0, "AvailableQuantity": 5, "Status": "Open",
        "ReleaseDateTimeUtc": "2026-12-20T00:00:00Z"}  # fmt: skip
    await created(od, WAVES, wave(1, InventoryLocationId="WH2", ExternalId="Y"))
    listed = (await od.get(WAVES, params={"externalid": "X-9", "itemId": "P-1"})).json()
    assert [w["WaveId"] for w in listed["Items"]] == [made["WaveId"]]
    by_place = (await od.get(WAVES, params={"inventoryLocationId": "WH2"})).json()
    assert [w["ExternalId"] for w in by_place["Items"]] == ["Y"]

    changed = await od.put(WAVES + str(made["WaveId"]), json={"PlannedQuantity": 7})
    assert (changed.status_code, changed.json()["AvailableQuantity"]) == (200, 7)
    assert (await od.delete(WAVES + str(made["WaveId"]))).status_code == 204
    assert (await od.get(WAVES + str(made["WaveId"]))).status_code == 404


async def test_deleting_a_wave_moves_its_lines_to_the_next_wave_and_backorders_the_rest(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    first = await created(od, WAVES, wave(3))
    await order(od, "PO-1")
    await order(od, "PO-2")
    second = await created(od, WAVES, wave(1, InventoryLocationId="WH2"))

    assert (await od.delete(WAVES + str(first["WaveId"]))).status_code == 204

    moved = (await od.get(WAVES + str(second["WaveId"]))).json()
    assert moved["SequencedQuantity"] == 1
    assert await status(od, "PO-1") == ("Backordered", 0, 0)
    assert await status(od, "PO-2") == ("Backordered", 0, 1)
    assert (await overall(od))["Reserved"] == 0
    assert (await overall(od, "WH2"))["Reserved"] == 1


async def test_schedules_are_created_read_listed_recalculated_and_deleted_with_a_fallback(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    await created(od, WAVES, wave(2))
    there = await created(od, WAVES, wave(2, InventoryLocationId="WH2"))
    await order(od, "PO-1", country="US")
    body = {"ItemId": "P-1", "CountryId": "US", "ReleaseDateTimeUtc": LATER}
    made = await created(od, SCHEDULES, body)
    assert (await od.get(SCHEDULES + str(made["ReleaseScheduleId"]))).json() == made
    listed = (await od.get(SCHEDULES, params={"itemId": "P-1", "countryId": "us"})).json()
    assert [s["ReleaseScheduleId"] for s in listed["Items"]] == [made["ReleaseScheduleId"]]

    changed = await od.put(
        SCHEDULES + str(made["ReleaseScheduleId"]),
        params={"recalculate": "true"},
        json={"InventoryLocationId": "WH2"},
    )
    assert changed.json()["InventoryLocationId"] == "WH2"
    assert (await od.get(WAVES + str(there["WaveId"]))).json()["SequencedQuantity"] == 1
    gone = await od.delete(
        SCHEDULES,
        params={"releaseScheduleId": made["ReleaseScheduleId"], "fallbackMode": "Backorder"},
    )
    assert gone.status_code == 204
    assert (await od.get(WAVES + str(there["WaveId"]))).json()["SequencedQuantity"] == 0
    assert await status(od, "PO-1") == ("Backordered", 0, 1)


async def test_release_dates_delivery_override_and_preorder_inventory(
    od: httpx.AsyncClient, shop: Factory
) -> None:
    made = await created(od, WAVES, wave(4))
    detail = await order(od, "PO-1", quantity=3)

    override = await od.put(
        OVERRIDE, params={"orderDetailId": detail, "deliveryDateOverride": "2026-12-24T12:00:00Z"}
    )
    assert override.status_code == 204, override.text

    dates = (await od.get(f"/preorder/releasedates/v1/{detail}")).json()
    assert dates == {
        "OrderDetailId": detail, "InternalOrderId": dates["InternalOrderId"], "Sku": "P-1",
        "WaveId": made["WaveId"], "SequenceNumber": 1, "SequencedQuantity": 3,
        "ReleasedQuantity": 0, "WaveReleaseDateTimeUtc": LATER,
        "ScheduledReleaseDateTimeUtc": None, "ReleaseDateTimeUtc": LATER,
        "DeliveryDateOverrideUtc": "2026-12-24T12:00:00Z"}  # fmt: skip
    inventory = (await od.get("/v1/preorderinventory/", params={"sku": "P-1"})).json()
    assert {k: v for k, v in inventory.items() if k != "Waves"} == {
        "Sku": "P-1", "PlannedQuantity": 4, "SequencedQuantity": 3, "ReleasedQuantity": 0,
        "AvailableQuantity": 1}  # fmt: skip
    assert [w["WaveId"] for w in inventory["Waves"]] == [made["WaveId"]]


class TestBadInputs:
    async def test_unknown_item_location_and_past_dates_are_400s_naming_the_field(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        cases = [
            (wave(ItemId="NOPE"), "ItemId"),
            (wave(InventoryLocationId="NOPE"), "InventoryLocationId"),
            (wave(ReleaseDateTimeUtc="2026-12-01T00:00:00Z"), "ReleaseDateTimeUtc"),
            (wave(PlannedQuantity=-1), "PlannedQuantity"),
            ({"ItemId": "P-1"}, "InventoryLocationId"),
        ]
        for body, field in cases:
            response = await od.post(WAVES, json=body)
            assert response.status_code == 400, (body, response.text)
            assert field in problem_fields(response), (field, response.text)
        bad_schedule = await od.post(
            SCHEDULES, json={"ItemId": "P-1", "CountryId": "C1", "ReleaseDateTimeUtc": LATER}
        )
        assert "CountryId" in problem_fields(bad_schedule)
        await untouched(shop, 0, 0, 0, 0)

    async def test_a_wave_cannot_drop_below_what_it_sequenced_and_nothing_changes(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        made = await created(od, WAVES, wave(2))
        await order(od, "PO-1")
        await order(od, "PO-2")
        path = WAVES + str(made["WaveId"])

        response = await od.put(path, json={"PlannedQuantity": 1})
        past = await od.put(path, json={"ReleaseDateTimeUtc": "2026-12-05T00:00:00Z"})

        assert "PlannedQuantity" in problem_fields(response)
        assert "ReleaseDateTimeUtc" in problem_fields(past)
        after = (await od.get(path)).json()
        assert (after["PlannedQuantity"], after["ReleaseDateTimeUtc"]) == (2, LATER)

    async def test_unknown_or_foreign_waves_schedules_and_details_are_404s(
        self, od: httpx.AsyncClient, shop: Factory, other_key: str
    ) -> None:
        made = await created(od, WAVES, wave(2))
        detail = await order(od, "PO-1")
        od.headers["Ocp-Apim-Subscription-Key"] = other_key
        for response in (
            await od.get(WAVES + str(made["WaveId"])),
            await od.put(WAVES + str(made["WaveId"]), json={"PlannedQuantity": 9}),
            await od.delete(WAVES + str(made["WaveId"])),
            await od.get(SCHEDULES + "9"),
            await od.put(SCHEDULES + "9", json={}),
            await od.delete(SCHEDULES, params={"releaseScheduleId": 9}),
            await od.get(f"/preorder/releasedates/v1/{detail}"),
            await od.put(OVERRIDE, params={"orderDetailId": detail}),
            await od.get("/v1/preorderinventory/", params={"Sku": "P-1"}),
        ):
            assert response.status_code == 404, response.text
            assert response.headers["content-type"] == "application/problem+json"
        refused = await od.post(RELEASE, json={"WaveIds": [made["WaveId"]]})
        assert "WaveIds[0]" in problem_fields(refused)
        unknown = await od.post(RELEASE_ITEM, json={"ItemId": "P-1"})
        assert "ItemId" in problem_fields(unknown)
        await untouched(shop, 1, 1, 0, 1)

    async def test_a_wave_with_released_units_cannot_be_deleted(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        made = await created(od, WAVES, wave(2))
        await order(od, "PO-1")
        await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})

        response = await od.delete(WAVES + str(made["WaveId"]))

        assert response.status_code == 409, response.text
        assert (await od.get(WAVES + str(made["WaveId"]))).json()["ReleasedQuantity"] == 1

    async def test_a_past_delivery_override_and_a_never_sequenced_detail_are_refused(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        await created(od, WAVES, wave(1))
        sequenced = await order(od, "PO-1")
        backordered = await order(od, "PO-2")

        past = await od.put(
            OVERRIDE,
            params={"orderDetailId": sequenced, "deliveryDateOverride": "2026-12-01T00:00:00Z"},
        )
        never = await od.get(f"/preorder/releasedates/v1/{backordered}")

        assert "deliveryDateOverride" in problem_fields(past)
        assert never.status_code == 404
        dates = (await od.get(f"/preorder/releasedates/v1/{sequenced}")).json()
        assert dates["DeliveryDateOverrideUtc"] is None

    async def test_clients_cannot_set_or_drop_a_waves_hold_through_reservations(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        await created(od, WAVES, wave(2))
        await order(od, "PO-1")
        row = {"Sku": "P-1", "LocationInternalName": "WH1"}

        set_hold = await od.put(
            "/v1/inventory/reserved",
            json={"Items": [{**row, "Quantity": 0, "Reference": "preorder-wave-1"}]},
        )
        drop_all = await od.request("DELETE", "/v1/inventory/reserved", json={"Items": [row]})

        assert set_hold.status_code == 400, set_hold.text
        assert drop_all.status_code == 404, drop_all.text
        assert (await overall(od))["Reserved"] == 1


async def test_shipedge_receipts_pay_a_shortfall_off_first_as_its_docs_show(
    od: httpx.AsyncClient, app_client: httpx.AsyncClient, shop: Factory, account: NewAccount
) -> None:
    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    await created(od, WAVES, wave(3))
    for number in range(1, 4):
        await order(od, f"PO-{number}")
    await receive(od, 1)
    before = await shipedge_stock(app_client, account)
    await od.post(RELEASE_ITEM_BYPASS, json={"ItemId": "P-1"})
    after = await shipedge_stock(app_client, account)
    made = await app_client.post(
        f"{SHIPEDGE_ROOT}/inventory/replenishments",
        headers=shipedge,
        json={"data": [{"items": [{"sku": "P-1", "quantity": 5}], "distribution_center": "WH1"}]},
    )
    assert made.status_code == 200, made.text
    replenishment = made.json()["data"][0]["replenishment_id"]
    seen = []
    for received in (1, 5):
        response = await app_client.patch(
            f"{SHIPEDGE_ROOT}/inventory/replenishments",
            headers=shipedge,
            json={"data": [{"replenishment_id": replenishment,
                            "items": [{"sku": "P-1", "received": received}]}]},
        )  # fmt: skip
        assert response.status_code == 200, response.text
        seen.append(await shipedge_stock(app_client, account))

    assert (before, after) == (({"WH1": (1, 0, 0)}, 0), ({"WH1": (1, 3, -2)}, 0))
    assert seen == [({"WH1": (2, 3, -1)}, 0), ({"WH1": (6, 3, 3)}, 3)]
    assert await shortfall(shop) == (6, 3, 0)
    await assert_ledger_balances(shop)
