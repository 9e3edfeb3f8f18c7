"""OrderDynamics order fulfillment: shipments created, read, moved and changed over HTTP."""

from typing import Any

import httpx

from orderyard.services.account import NewAccount
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, level

SHIPMENTS = "/v1/orderfulfillment/shipments"
SHIPEDGE = "/apirest/v4/oms"
TABLES = ("shipments", "shipment_lines", "shipment_tracking", "attributes", "allocations")


async def two_locations(make: Factory, dc1: int = 5, dc2: int = 5) -> None:
    """DC-1 (first by priority) and DC-2 both hold SKU-1 and SKU-2."""
    await make.location("DC-1", priority=1)
    await make.location("DC-2", priority=2)
    for sku in ("SKU-1", "SKU-2"):
        await make.item(sku)
        await make.stock("DC-1", sku, dc1)
        await make.stock("DC-2", sku, dc2)


async def placed(od: httpx.AsyncClient, number: str = "EXT-1") -> dict[str, Any]:
    """An OrderDynamics order of 2 SKU-1 and 1 SKU-2, allocated at DC-1."""
    details = [{"Sku": "SKU-1", "Quantity": 2}, {"Sku": "SKU-2", "Quantity": 1}]
    response = await od.post(
        "/v1/orders", json={"ExternalOrderId": number, "OrderDetails": details}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def shipped_all(od: httpx.AsyncClient, number: str = "EXT-1") -> dict[str, Any]:
    """CreateAllShipments for the order; its one shipment."""
    response = await od.post(f"{SHIPMENTS}/CreateAllShipments", json={"ExternalOrderId": number})
    assert response.status_code == 201, response.text
    [shipment] = response.json()["Shipments"]
    result: dict[str, Any] = shipment
    return result


async def state(make: Factory) -> tuple[Any, ...]:
    """Everything a refused call must leave as it was."""
    counts = [await count_rows(make, table) for table in TABLES]
    levels = [await level(make, loc, sku) for loc in ("DC-1", "DC-2") for sku in ("SKU-1", "SKU-2")]
    return (*counts, *levels)


def lines(shipment: dict[str, Any]) -> list[tuple[str, int]]:
    return [(d["Sku"], d["Quantity"]) for d in shipment["ShipmentDetails"]]


class TestCreateAllShipments:
    async def test_the_order_gets_one_shipment_of_everything_allocated(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        order = await placed(od)

        shipment = await shipped_all(od)

        assert shipment["InternalOrderId"] == order["InternalOrderId"]
        assert shipment["ExternalOrderId"] == "EXT-1"
        assert shipment["LocationInternalName"] == "DC-1"
        assert shipment["ShipmentStatus"] == "Created"
        assert [d["OrderDetailId"] for d in shipment["ShipmentDetails"]] == [
            d["OrderDetailId"] for d in order["OrderDetails"]
        ]
        assert lines(shipment) == [("SKU-1", 2), ("SKU-2", 1)]
        assert shipment["TrackingNumbers"] == []
        assert shipment["CreatedDateTimeUtc"].endswith("Z")
        assert shipment["ShippedDateTimeUtc"] is None

    async def test_one_shipment_per_location(self, od: httpx.AsyncClient, make: Factory) -> None:
        await two_locations(make, dc1=1)
        await placed(od)

        response = await od.post(f"{SHIPMENTS}/CreateAllShipments", json={"InternalOrderId": 1})

        assert response.status_code == 201, response.text
        assert [(s["LocationInternalName"], lines(s)) for s in response.json()["Shipments"]] == [
            ("DC-1", [("SKU-1", 1), ("SKU-2", 1)]),
            ("DC-2", [("SKU-1", 1)]),
        ]

    async def test_nothing_left_to_ship_is_a_409_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        await shipped_all(od)
        before = await state(make)

        response = await od.post(
            f"{SHIPMENTS}/CreateAllShipments", json={"ExternalOrderId": "EXT-1"}
        )

        assert response.status_code == 409, response.text
        assert "nothing allocated" in response.json()["detail"]
        assert await state(make) == before

    async def test_an_unknown_or_foreign_order_is_a_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await two_locations(make)
        order = await placed(od)

        unknown = await od.post(f"{SHIPMENTS}/CreateAllShipments", json={"ExternalOrderId": "NO"})
        foreign = await od.post(
            f"{SHIPMENTS}/CreateAllShipments",
            json={"InternalOrderId": order["InternalOrderId"]},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        neither = await od.post(f"{SHIPMENTS}/CreateAllShipments", json={})

        assert (unknown.status_code, foreign.status_code) == (404, 404)
        assert neither.status_code == 400
        assert list(neither.json()["errors"]) == ["InternalOrderId"]
        assert await count_rows(make, "shipments") == 0


class TestGetShipments:
    async def test_every_filter_of_the_seed(self, od: httpx.AsyncClient, make: Factory) -> None:
        await two_locations(make)
        await placed(od, "EXT-1")
        await placed(od, "EXT-2")
        first = await shipped_all(od, "EXT-1")
        second = await shipped_all(od, "EXT-2")
        await od.put(
            f"{SHIPMENTS}/Status",
            params={"ShipmentId": second["ShipmentId"]},
            json={"ShipmentStatus": "Picked"},
        )
        await od.post(
            f"{SHIPMENTS}/Reroute",
            json={"ShipmentId": second["ShipmentId"], "LocationInternalName": "DC-2"},
        )

        async def ids(**params: Any) -> list[int]:
            response = await od.get(f"{SHIPMENTS}/", params=params)
            assert response.status_code == 200, response.text
            return [s["ShipmentId"] for s in response.json()["Items"]]

        both = [first["ShipmentId"], second["ShipmentId"]]
        assert await ids() == both
        assert await ids(ShipmentId=second["ShipmentId"]) == both[1:]
        assert await ids(InternalOrderId=first["InternalOrderId"]) == both[:1]
        assert await ids(ExternalOrderId="EXT-2") == both[1:]
        assert await ids(shipmentstatus="created") == both
        assert await ids(ShipmentStatus="Picked") == []
        assert await ids(RouteDestinationName="DC-2") == both[1:]
        assert await ids(CreateDateTimeUtcAfter="2000-01-01T00:00:00Z") == both
        assert await ids(CreateDateTimeUtcBefore="2000-01-01T00:00:00Z") == []
        assert await ids(ExternalOrderId="EXT-1", RouteDestinationName="DC-2") == []
        page = (await od.get(SHIPMENTS, params={"pageSize": 1, "pageNumber": 2})).json()
        assert (page["TotalCount"], page["TotalPages"], page["PageNumber"]) == (2, 2, 2)
        assert [s["ShipmentId"] for s in page["Items"]] == both[1:]

    async def test_a_status_word_it_does_not_know_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.get(SHIPMENTS, params={"ShipmentStatus": "Lost"})

        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["ShipmentStatus"]

    async def test_another_accounts_shipments_are_not_listed(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await two_locations(make)
        await placed(od)
        await shipped_all(od)

        response = await od.get(SHIPMENTS, headers={"Ocp-Apim-Subscription-Key": other_key})

        assert response.json()["Items"] == []


class TestStatus:
    async def test_a_shipment_goes_through_every_status_and_stock_leaves_when_shipped(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        seen = []
        for word in ("Released", "Picked", "Packed", "Shipped", "Delivered"):
            response = await od.put(
                f"{SHIPMENTS}/Status", params={"ShipmentId": shipment_id},
                json={"ShipmentStatus": word},
            )  # fmt: skip
            assert response.status_code == 200, response.text
            seen.append(response.json()["ShipmentStatus"])

        assert seen == ["Released", "Picked", "Packed", "Shipped", "Delivered"]
        assert await level(make, "DC-1", "SKU-1") == (3, 0)
        assert await level(make, "DC-1", "SKU-2") == (4, 0)
        order = (await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})).json()
        assert order["OrderStatus"] == "Shipped"
        shipedge = await od.get(
            f"{SHIPEDGE}/orders/EXT-1",
            params={"identify_by": "order_number"},
            headers={"AccountID": str(account.account_id), "Key": account.key},
        )
        assert shipedge.json()["data"]["status"] == "Shipped", shipedge.text
        await assert_ledger_balances(make)

    async def test_a_wrong_transition_is_a_409_naming_both_states(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        await od.put(
            f"{SHIPMENTS}/Status", json={"ShipmentId": shipment_id, "ShipmentStatus": "Packed"}
        )
        before = await state(make)

        response = await od.put(
            f"{SHIPMENTS}/Status", json={"ShipmentId": shipment_id, "ShipmentStatus": "Picked"}
        )

        assert response.status_code == 409
        assert response.json()["detail"] == "cannot move a shipment from 'packed' to 'picked'"
        assert await state(make) == before

    async def test_bad_inputs(self, od: httpx.AsyncClient, make: Factory, other_key: str) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        missing = await od.put(f"{SHIPMENTS}/Status", json={"ShipmentStatus": "Packed"})
        word = await od.put(
            f"{SHIPMENTS}/Status", json={"ShipmentId": shipment_id, "ShipmentStatus": "Lost"}
        )
        unknown = await od.put(
            f"{SHIPMENTS}/Status", json={"ShipmentId": 999, "ShipmentStatus": "Packed"}
        )
        foreign = await od.put(
            f"{SHIPMENTS}/Status",
            json={"ShipmentId": shipment_id, "ShipmentStatus": "Packed"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert (missing.status_code, list(missing.json()["errors"])) == (400, ["ShipmentId"])
        assert (word.status_code, list(word.json()["errors"])) == (400, ["ShipmentStatus"])
        assert (unknown.status_code, foreign.status_code) == (404, 404)
        listed = (await od.get(SHIPMENTS)).json()["Items"]
        assert [s["ShipmentStatus"] for s in listed] == ["Created"]


class TestCancel:
    async def test_cancelled_units_stay_allocated_and_go_into_the_next_shipment(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        response = await od.post(f"{SHIPMENTS}/Cancel", params={"Shipment": shipment_id})

        assert response.status_code == 200, response.text
        assert response.json()["ShipmentStatus"] == "Cancelled"
        assert await level(make, "DC-1", "SKU-1") == (5, 2)
        again = await shipped_all(od)
        assert (again["LocationInternalName"], lines(again)) == (
            "DC-1",
            [("SKU-1", 2), ("SKU-2", 1)],
        )

    async def test_a_closed_unknown_or_foreign_shipment_is_refused(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        await od.post(f"{SHIPMENTS}/Cancel", params={"ShipmentId": shipment_id})
        before = await state(make)

        closed = await od.post(f"{SHIPMENTS}/Cancel", params={"Shipment": shipment_id})
        unknown = await od.post(f"{SHIPMENTS}/Cancel", params={"Shipment": 999})
        foreign = await od.post(
            f"{SHIPMENTS}/Cancel",
            params={"Shipment": shipment_id},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        neither = await od.post(f"{SHIPMENTS}/Cancel")

        assert closed.status_code == 409
        assert closed.json()["detail"] == "cannot move a shipment from 'cancelled' to 'cancelled'"
        assert (unknown.status_code, foreign.status_code) == (404, 404)
        assert (neither.status_code, list(neither.json()["errors"])) == (400, ["Shipment"])
        assert await state(make) == before


class TestReject:
    async def test_the_units_are_released_and_sourced_elsewhere(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        response = await od.post(
            f"{SHIPMENTS}/Reject", json={"ShipmentId": shipment_id, "Reason": "flooded"}
        )

        assert response.status_code == 200, response.text
        assert response.json()["ShipmentStatus"] == "Rejected"
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await level(make, "DC-2", "SKU-1") == (5, 2)
        again = await shipped_all(od)
        assert (again["LocationInternalName"], lines(again)) == (
            "DC-2",
            [("SKU-1", 2), ("SKU-2", 1)],
        )
        await assert_ledger_balances(make)

    async def test_what_no_other_location_holds_is_backordered(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make, dc2=0)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        await od.post(f"{SHIPMENTS}/Reject", json={"ShipmentId": shipment_id})

        order = (await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})).json()
        assert order["OrderStatus"] == "Backordered"
        assert [d["BackorderedQuantity"] for d in order["OrderDetails"]] == [2, 1]
        assert await level(make, "DC-1", "SKU-1") == (5, 0)

    async def test_a_shipped_shipment_cannot_be_rejected(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        await od.put(
            f"{SHIPMENTS}/Status", json={"ShipmentId": shipment_id, "ShipmentStatus": "Shipped"}
        )
        before = await state(make)

        response = await od.post(f"{SHIPMENTS}/Reject", json={"ShipmentId": shipment_id})
        missing = await od.post(f"{SHIPMENTS}/Reject", json={})

        assert response.status_code == 409
        assert response.json()["detail"] == "cannot move a shipment from 'shipped' to 'rejected'"
        assert (missing.status_code, list(missing.json()["errors"])) == (400, ["ShipmentId"])
        assert await state(make) == before


class TestReroute:
    async def test_the_whole_shipment_moves(self, od: httpx.AsyncClient, make: Factory) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        response = await od.post(
            f"{SHIPMENTS}/Reroute", json={"ShipmentId": shipment_id, "LocationInternalName": "DC-2"}
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["ShipmentId"], body["LocationInternalName"]) == (shipment_id, "DC-2")
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await level(make, "DC-2", "SKU-1") == (5, 2)

    async def test_a_location_lacking_units_or_unknown_changes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make, dc2=1)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        before = await state(make)

        short = await od.post(
            f"{SHIPMENTS}/Reroute", json={"ShipmentId": shipment_id, "LocationInternalName": "DC-2"}
        )
        unknown = await od.post(
            f"{SHIPMENTS}/Reroute", json={"ShipmentId": shipment_id, "LocationInternalName": "XX"}
        )

        assert short.status_code == 409
        assert "DC-2" in short.json()["detail"]
        assert unknown.status_code == 400
        assert list(unknown.json()["errors"]) == ["LocationInternalName"]
        assert await state(make) == before


class TestSplit:
    async def test_by_order_detail_id(self, od: httpx.AsyncClient, make: Factory) -> None:
        await two_locations(make)
        order = await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        second_line = order["OrderDetails"][1]["OrderDetailId"]

        response = await od.post(
            f"{SHIPMENTS}/SplitShipmentByOrderDetailId",
            json={"ShipmentId": shipment_id, "OrderDetailIds": [second_line]},
        )

        assert response.status_code == 200, response.text
        original, split = response.json()["Shipments"]
        assert (original["ShipmentId"], lines(original)) == (shipment_id, [("SKU-1", 2)])
        assert (split["ShipmentStatus"], lines(split)) == ("Created", [("SKU-2", 1)])
        assert split["LocationInternalName"] == "DC-1"

    async def test_by_sku(self, od: httpx.AsyncClient, make: Factory) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]

        response = await od.post(
            f"{SHIPMENTS}/SplitShipmentBySku", json={"ShipmentId": shipment_id, "Skus": ["SKU-1"]}
        )

        original, split = response.json()["Shipments"]
        assert (lines(original), lines(split)) == ([("SKU-2", 1)], [("SKU-1", 2)])

    async def test_a_split_naming_nothing_something_absent_or_everything_is_refused(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        order = await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        every = [d["OrderDetailId"] for d in order["OrderDetails"]]
        before = await state(make)

        nothing = await od.post(
            f"{SHIPMENTS}/SplitShipmentBySku", json={"ShipmentId": shipment_id, "Skus": []}
        )
        absent = await od.post(
            f"{SHIPMENTS}/SplitShipmentBySku", json={"ShipmentId": shipment_id, "Skus": ["NO"]}
        )
        line = await od.post(
            f"{SHIPMENTS}/SplitShipmentByOrderDetailId",
            json={"ShipmentId": shipment_id, "OrderDetailIds": [every[1], 99999]},
        )
        whole = await od.post(
            f"{SHIPMENTS}/SplitShipmentByOrderDetailId",
            json={"ShipmentId": shipment_id, "OrderDetailIds": every},
        )

        assert (nothing.status_code, list(nothing.json()["errors"])) == (400, ["OrderDetailIds"])
        assert (absent.status_code, list(absent.json()["errors"])) == (400, ["Skus[0]"])
        assert (line.status_code, list(line.json()["errors"])) == (400, ["OrderDetailIds[1]"])
        assert whole.status_code == 409
        assert await state(make) == before


class TestTrackingNumbers:
    async def test_several_numbers_replace_those_the_shipment_had(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        parcels = [
            {"Carrier": "UPS", "TrackingNumber": "1Z1", "TrackingUrl": "https://ups.example/1Z1"},
            {"Carrier": "UPS", "TrackingNumber": "1Z2"},
        ]
        await od.put(
            f"{SHIPMENTS}/TrackingNumbers",
            params={"ShipmentId": shipment_id},
            json={"TrackingNumbers": [{"TrackingNumber": "OLD"}]},
        )

        response = await od.put(
            f"{SHIPMENTS}/TrackingNumbers",
            params={"ShipmentId": shipment_id},
            json={"TrackingNumbers": parcels},
        )

        assert response.status_code == 200, response.text
        assert response.json()["TrackingNumbers"] == [
            {"Carrier": "UPS", "TrackingNumber": "1Z1", "TrackingUrl": "https://ups.example/1Z1"},
            {"Carrier": "UPS", "TrackingNumber": "1Z2", "TrackingUrl": ""},
        ]

    async def test_a_repeated_number_or_unknown_shipment_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        before = await state(make)
        twice = {"TrackingNumbers": [{"TrackingNumber": "A"}, {"TrackingNumber": "A"}]}

        repeated = await od.put(
            f"{SHIPMENTS}/TrackingNumbers", params={"ShipmentId": shipment_id}, json=twice
        )
        unknown = await od.put(
            f"{SHIPMENTS}/TrackingNumbers",
            params={"ShipmentId": 999},
            json={"TrackingNumbers": [{"TrackingNumber": "A"}]},
        )

        assert repeated.status_code == 400
        assert list(repeated.json()["errors"]) == ["TrackingNumbers[1].TrackingNumber"]
        assert unknown.status_code == 404
        assert await state(make) == before


class TestCustomFields:
    async def test_on_the_shipment_and_its_lines_carried_by_a_split(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        order = await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        for owner, name in (("Shipment", "Dock"), ("ShipmentLineItem", "Gift")):
            defined = await od.post(
                "/v1/customfieldmetadata",
                json={"OwnerType": owner, "SystemName": name, "DataType": "Text"},
            )
            assert defined.status_code in (200, 201), defined.text
        line = order["OrderDetails"][1]["OrderDetailId"]

        on_shipment = await od.put(
            f"{SHIPMENTS}/CustomFields",
            json={"ShipmentId": shipment_id, "CustomFields": [{"Name": "Dock", "Value": "B"}]},
        )
        on_line = await od.put(
            f"{SHIPMENTS}/LineItems/CustomFields",
            json={
                "ShipmentId": shipment_id,
                "LineItems": [
                    {"OrderDetailId": line, "CustomFields": [{"Name": "Gift", "Value": "yes"}]}
                ],
            },
        )
        split = await od.post(
            f"{SHIPMENTS}/SplitShipmentByOrderDetailId",
            json={"ShipmentId": shipment_id, "OrderDetailIds": [line]},
        )

        assert on_shipment.json()["CustomFields"] == [{"Name": "Dock", "Value": "B"}]
        assert on_line.status_code == 200, on_line.text
        moved = split.json()["Shipments"][1]["ShipmentDetails"][0]
        assert moved["CustomFields"] == [{"Name": "Gift", "Value": "yes"}]

    async def test_undefined_fields_or_lines_not_in_the_shipment_write_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        await placed(od)
        shipment_id = (await shipped_all(od))["ShipmentId"]
        await od.post(
            "/v1/customfieldmetadata",
            json={"OwnerType": "ShipmentLineItem", "SystemName": "Gift", "DataType": "Text"},
        )
        before = await state(make)

        undefined = await od.put(
            f"{SHIPMENTS}/CustomFields",
            json={"ShipmentId": shipment_id, "CustomFields": [{"Name": "Dock", "Value": "B"}]},
        )
        absent = await od.put(
            f"{SHIPMENTS}/LineItems/CustomFields",
            json={
                "ShipmentId": shipment_id,
                "LineItems": [
                    {"OrderDetailId": 99999, "CustomFields": [{"Name": "Gift", "Value": "y"}]}
                ],
            },
        )

        assert undefined.status_code == 400
        assert list(undefined.json()["errors"]) == ["CustomFields[0].Name"]
        assert absent.status_code == 400
        assert list(absent.json()["errors"]) == ["LineItems[0].OrderDetailId"]
        assert await state(make) == before


class TestSettings:
    async def test_shipments_are_created_on_allocation_when_the_account_chooses(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        default = await od.get("/v1/orderfulfillment/settings")

        put = await od.put(
            "/v1/orderfulfillment/settings", json={"CreateShipmentsOnAllocation": True}
        )
        await placed(od)

        assert default.json() == {"CreateShipmentsOnAllocation": False}
        assert put.json() == {"CreateShipmentsOnAllocation": True}
        assert (await od.get("/v1/orderfulfillment/settings")).json()["CreateShipmentsOnAllocation"]
        [shipment] = (await od.get(SHIPMENTS, params={"ExternalOrderId": "EXT-1"})).json()["Items"]
        assert lines(shipment) == [("SKU-1", 2), ("SKU-2", 1)]

    async def test_a_value_that_is_not_a_boolean_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.put(
            "/v1/orderfulfillment/settings", json={"CreateShipmentsOnAllocation": "yes"}
        )

        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["CreateShipmentsOnAllocation"]


class TestAcrossDialects:
    async def test_a_shipedge_order_shipped_here_reads_shipped_there(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await two_locations(make)
        outcome = await make.order(("SKU-1", 3), number="SE-1")
        [shipment] = (
            await od.post(
                f"{SHIPMENTS}/CreateAllShipments", json={"InternalOrderId": outcome.order_id}
            )
        ).json()["Shipments"]

        await od.put(
            f"{SHIPMENTS}/Status",
            json={"ShipmentId": shipment["ShipmentId"], "ShipmentStatus": "Shipped"},
        )

        shipedge = await od.get(
            f"{SHIPEDGE}/orders/SE-1",
            params={"identify_by": "order_number"},
            headers={"AccountID": str(account.account_id), "Key": account.key},
        )
        data = shipedge.json()["data"]
        assert data["status"] == "Shipped"
        assert await level(make, "DC-1", "SKU-1") == (2, 0)
        await assert_ledger_balances(make)

    async def test_an_orderdynamics_order_shipped_by_the_core_reads_here(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await two_locations(make)
        order = await placed(od)

        await make.ship(order["InternalOrderId"])

        [shipment] = (await od.get(SHIPMENTS, params={"ExternalOrderId": "EXT-1"})).json()["Items"]
        assert shipment["ShipmentStatus"] == "Shipped"
        assert lines(shipment) == [("SKU-1", 2), ("SKU-2", 1)]
        assert shipment["TrackingNumbers"] == [
            {"Carrier": "", "TrackingNumber": "1Z", "TrackingUrl": ""}
        ]
        assert shipment["ShippedDateTimeUtc"] is not None


async def test_a_time_out_of_range_once_in_utc_is_a_400_naming_it(od: httpx.AsyncClient) -> None:
    response = await od.get(
        f"{SHIPMENTS}/", params={"CreateDateTimeUtcAfter": "0001-01-01T01:01:01+03:04"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["CreateDateTimeUtcAfter"]
