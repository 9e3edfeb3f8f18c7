"""OrderDynamics order orchestration: create, get and status, over the core's one service."""

from typing import Any

import httpx

from orderyard.domain.order import OrderStatus
from orderyard.services.account import NewAccount
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, level

SHIPEDGE = "/apirest/v4/oms"


def order_body(number: str = "EXT-1", *details: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A create body with the given lines (one of SKU-1 by default)."""
    return {
        "ExternalOrderId": number,
        "OrderDateTimeUtc": "2026-12-01T09:30:00Z",
        "CurrencyCode": "CAD",
        "ShippingMethod": "Pick",
        "Channel": "My Shop",
        "Customer": {
            "ExternalCustomerId": "C-9",
            "Email": "jane@example.com",
            "FirstName": "Jane",
            "LastName": "Smith",
            "Phone": "+1 416 555 0100",
        },
        "ShippingAddress": {
            "AddressLine1": "123 Bloor St",
            "City": "Toronto",
            "State": "ON",
            "ZipCode": "M4W1A8",
            "CountryCode": "CA",
            "FirstName": "Jane",
            "LastName": "Smith",
            "Latitude": 43.6709,
            "Longitude": -79.3857,
        },
        "BillingAddress": {"AddressLine1": "1 Bay St", "City": "Toronto", "CountryCode": "CA"},
        "OrderDetails": list(details)
        or [
            {
                "ExternalOrderDetailId": "L-1",
                "Sku": "SKU-1",
                "Quantity": 2,
                "UnitPrice": 10.5,
                "TaxAmount": 2.73,
                "DiscountAmount": 1,
            }
        ],
        **extra,
    }


async def stocked(make: Factory, on_hand: int = 5) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", on_hand)


async def nothing_written(make: Factory) -> None:
    assert await count_rows(make, "orders") == 0
    assert await count_rows(make, "order_lines") == 0
    assert await level(make, "DC-1", "SKU-1") == (5, 0)


class TestCreate:
    async def test_an_order_is_created_allocated_and_answered_whole(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body())

        assert response.status_code == 201, response.text
        body = response.json()
        [detail] = body["OrderDetails"]
        assert body["ExternalOrderId"] == "EXT-1"
        assert body["OrderStatus"] == "Allocated"
        assert (body["IsOnHold"], body["HoldReason"]) == (False, "")
        assert body["OrderDateTimeUtc"] == "2026-12-01T09:30:00Z"
        assert (body["CurrencyCode"], body["ShippingMethod"], body["Channel"]) == (
            "CAD",
            "Pick",
            "My Shop",
        )
        assert body["Customer"] == {
            "ExternalCustomerId": "C-9",
            "Email": "jane@example.com",
            "FirstName": "Jane",
            "LastName": "Smith",
            "Phone": "+1 416 555 0100",
        }
        assert body["ShippingAddress"]["AddressLine1"] == "123 Bloor St"
        assert (body["ShippingAddress"]["Latitude"], body["ShippingAddress"]["Longitude"]) == (
            43.6709,
            -79.3857,
        )
        assert body["BillingAddress"]["AddressLine1"] == "1 Bay St"
        assert (body["SubTotal"], body["TaxTotal"], body["DiscountTotal"]) == (21, 2.73, 1)
        assert body["OrderTotal"] == 22.73
        assert detail["OrderDetailId"] > 0
        assert {k: detail[k] for k in ("ExternalOrderDetailId", "Sku", "Quantity")} == {
            "ExternalOrderDetailId": "L-1",
            "Sku": "SKU-1",
            "Quantity": 2,
        }
        assert [
            detail[k]
            for k in (
                "AllocatedQuantity",
                "ShippedQuantity",
                "CancelledQuantity",
                "ReturnedQuantity",
                "BackorderedQuantity",
            )
        ] == [2, 0, 0, 0, 0]
        assert (detail["UnitPrice"], detail["TaxAmount"], detail["DiscountAmount"]) == (
            10.5,
            2.73,
            1,
        )
        assert await level(make, "DC-1", "SKU-1") == (5, 2)
        await assert_ledger_balances(make)

    async def test_without_stock_the_order_is_backordered(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make, on_hand=1)

        response = await od.post("/v1/orders", json=order_body())

        assert response.json()["OrderStatus"] == "PartiallyAllocated"
        [detail] = response.json()["OrderDetails"]
        assert (detail["AllocatedQuantity"], detail["BackorderedQuantity"]) == (1, 1)

    async def test_an_alias_resolves_and_a_kit_explodes_keeping_the_detail_id(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        await make.item("SKU-2")
        await make.stock("DC-1", "SKU-2", 5)
        await make.kit("KIT-1", ("SKU-1", 1), ("SKU-2", 2))
        detail = {"ExternalOrderDetailId": "K", "Sku": "KIT-1", "Quantity": 2, "TaxAmount": 3}

        response = await od.post("/v1/orders", json=order_body("EXT-K", detail))

        assert response.status_code == 201, response.text
        lines = response.json()["OrderDetails"]
        assert [(d["Sku"], d["Quantity"], d["KitSku"]) for d in lines] == [
            ("SKU-1", 2, "KIT-1"),
            ("SKU-2", 4, "KIT-1"),
        ]
        assert [d["ExternalOrderDetailId"] for d in lines] == ["K", "K"]
        assert [d["TaxAmount"] for d in lines] == [3, 0]
        assert response.json()["TaxTotal"] == 3

    async def test_property_names_match_in_any_case(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        body = {"externalorderid": "x-1", "ORDERDETAILS": [{"sku": "SKU-1", "QUANTITY": 1}]}

        response = await od.post("/v1/orders", json=body)

        assert response.status_code == 201, response.text
        assert response.json()["ExternalOrderId"] == "x-1"
        assert response.json()["Customer"]["ExternalCustomerId"] == ""


class TestCreateRefusals:
    async def test_a_duplicate_external_order_id_is_a_409_naming_it(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        assert (await od.post("/v1/orders", json=order_body())).status_code == 201

        response = await od.post("/v1/orders", json=order_body())

        assert response.status_code == 409
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"] == {
            "ExternalOrderId": ["order number 'EXT-1' already exists"]
        }
        assert await count_rows(make, "orders") == 1
        assert await level(make, "DC-1", "SKU-1") == (5, 2)

    async def test_an_unknown_sku_is_a_400_naming_the_detail(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        details = [{"Sku": "SKU-1", "Quantity": 1}, {"Sku": "NOPE", "Quantity": 1}]

        response = await od.post("/v1/orders", json=order_body("E", *details))

        assert response.status_code == 400
        assert response.json()["errors"] == {"OrderDetails[1].Sku": ["unknown SKU 'NOPE'"]}
        await nothing_written(make)

    async def test_an_unregistered_shipping_method_is_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body(ShippingMethod="Teleport"))

        assert response.status_code == 400
        assert response.json()["errors"] == {
            "ShippingMethod": ["shipping method 'Teleport' is not registered"]
        }
        await nothing_written(make)

    async def test_an_unregistered_channel_is_a_400(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json=order_body(Channel="Nowhere"))

        assert response.status_code == 400
        assert response.json()["errors"] == {
            "Channel": ["channel named 'Nowhere' is not registered"]
        }
        await nothing_written(make)

    async def test_bad_fields_are_400s_naming_each(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        body = order_body(
            "",
            {"Sku": "SKU-1", "Quantity": 0, "UnitPrice": -1},
            OrderDateTimeUtc="2026-12-01T09:30:00",
            CurrencyCode="DOLLARS",
        )

        response = await od.post("/v1/orders", json=body)

        assert response.status_code == 400
        assert sorted(response.json()["errors"]) == [
            "CurrencyCode",
            "ExternalOrderId",
            "OrderDateTimeUtc",
            "OrderDetails[0].Quantity",
            "OrderDetails[0].UnitPrice",
        ]
        await nothing_written(make)

    async def test_missing_external_id_and_details_are_required(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post("/v1/orders", json={"Customer": {}})

        assert response.status_code == 400
        assert response.json()["errors"] == {
            "ExternalOrderId": ["ExternalOrderId: is required."],
            "OrderDetails": ["OrderDetails: is required."],
        }
        await nothing_written(make)


class TestGet:
    async def test_get_and_status_by_either_id(self, od: httpx.AsyncClient, make: Factory) -> None:
        await stocked(make)
        created = (await od.post("/v1/orders", json=order_body())).json()
        internal = created["InternalOrderId"]

        by_internal = await od.get("/v1/orders", params={"InternalOrderId": internal})
        by_external = await od.get("/v1/orders/", params={"externalorderid": "EXT-1"})
        status = await od.get("/v1/orders/status", params={"ExternalOrderId": "EXT-1"})

        assert by_internal.json() == by_external.json() == created
        assert status.json() == {
            "InternalOrderId": internal,
            "ExternalOrderId": "EXT-1",
            "OrderStatus": "Allocated",
            "IsOnHold": False,
            "HoldReason": "",
            "LastUpdatedDateTimeUtc": created["LastUpdatedDateTimeUtc"],
        }

    async def test_neither_id_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.get("/v1/orders/Status")

        assert response.status_code == 400
        assert response.json()["errors"] == {
            "InternalOrderId": ["InternalOrderId or ExternalOrderId is required"]
        }

    async def test_an_unknown_or_mismatched_order_is_a_404(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        internal = (await od.post("/v1/orders", json=order_body())).json()["InternalOrderId"]

        unknown = await od.get("/v1/orders", params={"ExternalOrderId": "NOPE"})
        mismatched = await od.get(
            "/v1/orders", params={"InternalOrderId": internal, "ExternalOrderId": "OTHER"}
        )

        assert (unknown.status_code, mismatched.status_code) == (404, 404)
        assert unknown.headers["content-type"] == "application/problem+json"

    async def test_another_accounts_order_is_a_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await stocked(make)
        internal = (await od.post("/v1/orders", json=order_body())).json()["InternalOrderId"]

        response = await od.get(
            "/v1/orders",
            params={"InternalOrderId": internal},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert response.status_code == 404


class TestAcrossDialects:
    async def test_an_orderdynamics_order_reads_the_same_through_shipedge(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await stocked(make, on_hand=1)
        created = (await od.post("/v1/orders", json=order_body())).json()

        shipedge = await od.get(
            f"{SHIPEDGE}/orders/EXT-1",
            params={"identify_by": "order_number"},
            headers={"AccountID": str(account.account_id), "Key": account.key},
        )

        assert shipedge.status_code == 200, shipedge.text
        order = shipedge.json()["data"]
        assert order["order_id"] == created["InternalOrderId"]
        assert order["status"] == "Backorder"
        assert created["OrderStatus"] == "PartiallyAllocated"

    async def test_a_shipedge_order_reads_through_orderdynamics(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        outcome = await make.order(("SKU-1", 3), number="SE-1")

        response = await od.get("/v1/orders", params={"InternalOrderId": outcome.order_id})

        body = response.json()
        assert (body["ExternalOrderId"], body["OrderStatus"]) == ("SE-1", "Allocated")
        assert [
            (d["Sku"], d["Quantity"], d["AllocatedQuantity"]) for d in body["OrderDetails"]
        ] == [("SKU-1", 3, 3)]
        assert body["Customer"]["ExternalCustomerId"] == ""


async def placed(od: httpx.AsyncClient, make: Factory, on_hand: int = 5) -> dict[str, Any]:
    """An order of 2 SKU-1 (line L-1) and 1 SKU-2 (line L-2), both allocated at DC-1."""
    await stocked(make, on_hand)
    await make.item("SKU-2")
    await make.stock("DC-1", "SKU-2", 5)
    details = (
        {"ExternalOrderDetailId": "L-1", "Sku": "SKU-1", "Quantity": 2},
        {"ExternalOrderDetailId": "L-2", "Sku": "SKU-2", "Quantity": 1},
    )
    response = await od.post("/v1/orders", json=order_body("EXT-1", *details))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def quantities(order: dict[str, Any]) -> list[tuple[str, int, int, int]]:
    """``(Sku, Allocated, Shipped, Cancelled)`` of each line."""
    return [
        (d["Sku"], d["AllocatedQuantity"], d["ShippedQuantity"], d["CancelledQuantity"])
        for d in order["OrderDetails"]
    ]


class TestCancel:
    async def test_the_whole_order_is_cancelled_and_its_stock_given_back(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await placed(od, make)

        response = await od.post(
            "/v1/orders/Cancel", params={"ExternalOrderId": "EXT-1", "cancelReason": "fraud"}
        )

        assert response.status_code == 200, response.text
        assert response.json()["OrderStatus"] == "Cancelled"
        assert quantities(response.json()) == [("SKU-1", 0, 0, 2), ("SKU-2", 0, 0, 1)]
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await level(make, "DC-1", "SKU-2") == (5, 0)
        await assert_ledger_balances(make)

    async def test_named_lines_and_quantities_are_cancelled_by_either_id(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        created = await placed(od, make)
        first = created["OrderDetails"][0]["OrderDetailId"]
        body = {
            "OrderDetails": [
                {"OrderDetailId": first, "Quantity": 1},
                {"ExternalOrderDetailId": "L-2"},
            ]
        }

        response = await od.post(
            "/v1/orders/Cancel", params={"InternalOrderId": created["InternalOrderId"]}, json=body
        )

        assert response.status_code == 200, response.text
        assert response.json()["OrderStatus"] == "Allocated"
        assert quantities(response.json()) == [("SKU-1", 1, 0, 1), ("SKU-2", 0, 0, 1)]
        assert await level(make, "DC-1", "SKU-1") == (5, 1)
        assert await level(make, "DC-1", "SKU-2") == (5, 0)
        await assert_ledger_balances(make)

    async def test_a_partial_cancel_serves_a_waiting_backorder(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        created = await placed(od, make, on_hand=2)
        waiting = await make.order(("SKU-1", 1), number="SE-WAIT")
        assert waiting.status is OrderStatus.backordered
        first = created["OrderDetails"][0]["OrderDetailId"]

        await od.post(
            "/v1/orders/Cancel",
            params={"ExternalOrderId": "EXT-1"},
            json={"OrderDetails": [{"OrderDetailId": first, "Quantity": 1}]},
        )

        after = await od.get("/v1/orders/Status", params={"ExternalOrderId": "SE-WAIT"})
        assert after.json()["OrderStatus"] == "Allocated"
        assert await level(make, "DC-1", "SKU-1") == (2, 2)
        await assert_ledger_balances(make)

    async def test_shipped_units_cannot_be_cancelled(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        created = await placed(od, make)
        await make.ship(created["InternalOrderId"])
        first = created["OrderDetails"][0]["OrderDetailId"]

        whole = await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "EXT-1"})
        part = await od.post(
            "/v1/orders/Cancel",
            params={"ExternalOrderId": "EXT-1"},
            json={"OrderDetails": [{"OrderDetailId": first, "Quantity": 1}]},
        )

        assert (whole.status_code, part.status_code) == (409, 409)
        assert part.json()["errors"] == {
            "OrderDetails[0].Quantity": [
                "cannot cancel 1 of SKU-1: 0 open (2 shipped, 0 cancelled of 2)"
            ]
        }
        status = await od.get("/v1/orders/Status", params={"ExternalOrderId": "EXT-1"})
        assert status.json()["OrderStatus"] == "Shipped"

    async def test_more_than_is_open_is_a_409_and_nothing_changes(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        created = await placed(od, make)
        body = {"OrderDetails": [{"ExternalOrderDetailId": "L-2"}, {"Sku": "x"}]}
        over = {"OrderDetails": [{"ExternalOrderDetailId": "L-1", "Quantity": 3}]}

        too_many = await od.post(
            "/v1/orders/Cancel", params={"ExternalOrderId": "EXT-1"}, json=over
        )
        unnamed = await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "EXT-1"}, json=body)

        assert too_many.status_code == 409
        assert unnamed.status_code == 400
        assert unnamed.json()["errors"] == {
            "OrderDetails[1].OrderDetailId": ["a line id or an external line id is required"]
        }
        after = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert quantities(after.json()) == quantities(created)
        assert await level(make, "DC-1", "SKU-2") == (5, 1)

    async def test_an_unknown_line_is_a_400_and_an_unknown_order_a_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        created = await placed(od, make)
        body = {"OrderDetails": [{"ExternalOrderDetailId": "NOPE"}]}

        unknown_line = await od.post(
            "/v1/orders/Cancel", params={"ExternalOrderId": "EXT-1"}, json=body
        )
        unknown_order = await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "NOPE"})
        foreign = await od.post(
            "/v1/orders/Cancel",
            params={"InternalOrderId": created["InternalOrderId"]},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert unknown_line.status_code == 400
        assert unknown_line.json()["errors"] == {
            "OrderDetails[0].ExternalOrderDetailId": ["order 'EXT-1' has no line 'NOPE'"]
        }
        assert (unknown_order.status_code, foreign.status_code) == (404, 404)
        assert await level(make, "DC-1", "SKU-1") == (5, 2)


class TestHoldAndResume:
    async def test_a_held_order_keeps_nothing_and_resume_allocates_it(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await placed(od, make)

        held = await od.post(
            "/v1/orders/Hold", params={"externalOrderId": "EXT-1", "holdReason": "address check"}
        )

        assert held.status_code == 200, held.text
        assert (held.json()["IsOnHold"], held.json()["HoldReason"]) == (True, "address check")
        assert held.json()["OrderStatus"] == "Pending"
        assert quantities(held.json()) == [("SKU-1", 0, 0, 0), ("SKU-2", 0, 0, 0)]
        assert await level(make, "DC-1", "SKU-1") == (5, 0)

        resumed = await od.post("/v1/orders/Resume", params={"ExternalOrderId": "EXT-1"})

        assert (resumed.json()["IsOnHold"], resumed.json()["HoldReason"]) == (False, "")
        assert resumed.json()["OrderStatus"] == "Allocated"
        assert await level(make, "DC-1", "SKU-1") == (5, 2)
        await assert_ledger_balances(make)

    async def test_a_held_order_is_not_allocated_when_stock_arrives(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await placed(od, make, on_hand=0)
        await od.post("/v1/orders/Hold", params={"ExternalOrderId": "EXT-1"})

        await make.stock("DC-1", "SKU-1", 5)

        status = await od.get("/v1/orders/Status", params={"ExternalOrderId": "EXT-1"})
        assert (status.json()["OrderStatus"], status.json()["IsOnHold"]) == ("Pending", True)
        assert await level(make, "DC-1", "SKU-1") == (5, 0)

    async def test_a_cancelled_order_cannot_be_held_and_an_unknown_one_is_a_404(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await placed(od, make)
        await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "EXT-1"})

        cancelled = await od.post("/v1/orders/Hold", params={"ExternalOrderId": "EXT-1"})
        unknown = await od.post("/v1/orders/Resume", params={"ExternalOrderId": "NOPE"})
        unnamed = await od.post("/v1/orders/Hold")

        assert (cancelled.status_code, unknown.status_code, unnamed.status_code) == (409, 404, 400)
        status = await od.get("/v1/orders/Status", params={"ExternalOrderId": "EXT-1"})
        assert (status.json()["OrderStatus"], status.json()["IsOnHold"]) == ("Cancelled", False)


class TestCancelAcrossDialects:
    async def test_a_shipedge_cancel_of_an_orderdynamics_order_shows_here(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        created = await placed(od, make)

        response = await od.post(
            f"{SHIPEDGE}/orders/cancel",
            json={"order_id": created["InternalOrderId"]},
            headers={"AccountID": str(account.account_id), "Key": account.key},
        )

        assert response.status_code == 200, response.text
        after = (await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})).json()
        assert after["OrderStatus"] == "Cancelled"
        assert quantities(after) == [("SKU-1", 0, 0, 2), ("SKU-2", 0, 0, 1)]

    async def test_an_orderdynamics_cancel_of_a_shipedge_order_shows_there(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await stocked(make)
        outcome = await make.order(("SKU-1", 3), number="SE-1")

        await od.post("/v1/orders/Cancel", params={"ExternalOrderId": "SE-1"})

        shipedge = await od.get(
            f"{SHIPEDGE}/orders/{outcome.order_id}",
            headers={"AccountID": str(account.account_id), "Key": account.key},
        )
        assert shipedge.json()["data"]["status"] == "Cancelled"
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
