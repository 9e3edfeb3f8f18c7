"""OrderDynamics order reads: List, CustomerHistory, Search, CancelledLineItems, Statistics."""

from datetime import timedelta
from typing import Any

import httpx

from orderyard.kit.clock import TestClock
from tests.dialects.orderdynamics.test_orders import order_body, stocked
from tests.factories import Factory

WINDOW = {
    "LastUpdatedDateTimeUtcAfter": "2026-12-06T00:00:00Z",
    "LastUpdatedDateTimeUtcBefore": "2026-12-07T00:00:00Z",
}


async def create(od: httpx.AsyncClient, number: str, **extra: Any) -> dict[str, Any]:
    response = await od.post("/v1/orders", json=order_body(number, **extra))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def numbers(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [order["ExternalOrderId"] for order in response.json()["Items"]]


def refused(response: httpx.Response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]


class TestList:
    async def test_orders_changed_in_the_window_come_oldest_change_first_as_get_shows_them(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await stocked(make)
        await create(od, "EXT-1")
        clock.advance(timedelta(hours=1))
        await create(od, "EXT-2")
        clock.advance(timedelta(days=1))
        await create(od, "EXT-LATE")

        response = await od.get("/v1/orders/List", params={**WINDOW, "PageSize": 1})

        assert response.status_code == 200, response.text
        body = response.json()
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert body == {
            "PageNumber": 1,
            "PageSize": 1,
            "TotalCount": 2,
            "TotalPages": 2,
            "Items": [got.json()],
        }
        second = await od.get("/v1/orders/List", params={**WINDOW, "PageSize": 1, "PageNumber": 2})
        assert numbers(second) == ["EXT-2"]

    async def test_a_shipedge_order_is_listed(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await stocked(make)
        await make.order(("SKU-1", 1), number="SE-1")

        assert numbers(await od.get("/v1/orders/List", params=WINDOW)) == ["SE-1"]

    async def test_filters_by_customer_and_status_words_in_any_case(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await stocked(make, on_hand=2)
        await create(od, "EXT-1")
        other = order_body("EXT-2")
        other["Customer"] = {"ExternalCustomerId": "C-1"}
        assert (await od.post("/v1/orders", json=other)).status_code == 201

        by_customer = await od.get(
            "/v1/orders/List", params={**WINDOW, "ExternalCustomerId": "C-9"}
        )
        backordered = await od.get(
            "/v1/orders/List", params={**WINDOW, "orderstatus": "backordered,Cancelled"}
        )
        to_store = await od.get("/v1/orders/List", params={**WINDOW, "IsShippedToStore": "true"})

        assert numbers(by_customer) == ["EXT-1"]
        assert numbers(backordered) == ["EXT-2"]
        assert numbers(to_store) == []

    async def test_a_missing_window_end_is_a_400_naming_it(self, od: httpx.AsyncClient) -> None:
        response = await od.get(
            "/v1/orders/List", params={"LastUpdatedDateTimeUtcAfter": "2026-12-06T00:00:00Z"}
        )

        refused(response, "LastUpdatedDateTimeUtcBefore")

    async def test_an_inverted_window_is_a_400(self, od: httpx.AsyncClient) -> None:
        response = await od.get(
            "/v1/orders/List",
            params={
                "LastUpdatedDateTimeUtcAfter": "2026-12-07T00:00:00Z",
                "LastUpdatedDateTimeUtcBefore": "2026-12-06T00:00:00Z",
            },
        )

        refused(response, "LastUpdatedDateTimeUtcBefore")

    async def test_bad_filters_are_400s_naming_them(self, od: httpx.AsyncClient) -> None:
        no_zone = {**WINDOW, "LastUpdatedDateTimeUtcAfter": "2026-12-06T00:00:00"}

        refused(await od.get("/v1/orders/List", params=no_zone), "LastUpdatedDateTimeUtcAfter")
        refused(
            await od.get("/v1/orders/List", params={**WINDOW, "OrderStatus": "Lost"}),
            "OrderStatus",
        )
        refused(
            await od.get("/v1/orders/List", params={**WINDOW, "InternalCustomerId": "seven"}),
            "InternalCustomerId",
        )
        unknown = await od.get("/v1/orders/List", params={**WINDOW, "InternalCustomerId": "7"})
        assert unknown.status_code == 404, unknown.text


class TestCustomerHistory:
    async def test_a_customers_orders_come_newest_first_by_id_or_email(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await stocked(make)
        await create(od, "EXT-1")
        await create(od, "EXT-2")
        other = order_body("EXT-3")
        other["Customer"] = {"ExternalCustomerId": "C-1", "Email": "bob@example.com"}
        assert (await od.post("/v1/orders", json=other)).status_code == 201

        by_id = await od.get("/v1/orders/CustomerHistory", params={"ExternalCustomerId": "C-9"})
        by_email = await od.get("/v1/orders/CustomerHistory", params={"Email": "bob@example.com"})
        oldest_first = await od.get(
            "/v1/orders/CustomerHistory",
            params={
                "ExternalCustomerId": "C-9",
                "Ascending": "true",
                "SortByColumn": "externalorderid",
            },
        )

        assert numbers(by_id) == ["EXT-2", "EXT-1"]
        assert numbers(by_email) == ["EXT-3"]
        assert numbers(oldest_first) == ["EXT-1", "EXT-2"]

    async def test_filter_is_an_external_id_prefix_or_an_internal_id(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await stocked(make)
        first = await create(od, "EXT-1")
        await create(od, "WEB-2")
        params = {"ExternalCustomerId": "C-9"}

        prefix = await od.get("/v1/orders/CustomerHistory", params={**params, "Filter": "WEB"})
        internal = await od.get(
            "/v1/orders/CustomerHistory",
            params={
                **params,
                "FilterByExternalId": "false",
                "Filter": str(first["InternalOrderId"]),
            },
        )

        assert numbers(prefix) == ["WEB-2"]
        assert numbers(internal) == ["EXT-1"]

    async def test_bad_parameters_are_400s_naming_them(self, od: httpx.AsyncClient) -> None:
        path = "/v1/orders/CustomerHistory"
        customer = {"ExternalCustomerId": "C-9"}

        refused(await od.get(path), "ExternalCustomerId")
        refused(await od.get(path, params={"InternalCustomerId": "x"}), "InternalCustomerId")
        assert (await od.get(path, params={"InternalCustomerId": "3"})).status_code == 404
        refused(await od.get(path, params={**customer, "SortByColumn": "Total"}), "SortByColumn")
        refused(
            await od.get(path, params={**customer, "FilterByExternalId": "false", "Filter": "x"}),
            "Filter",
        )


class TestSearch:
    async def test_every_filter_of_the_body_must_hold(
        self, od: httpx.AsyncClient, make: Factory, clock: TestClock
    ) -> None:
        await stocked(make, on_hand=2)
        await make.item("SKU-2")
        await create(od, "EXT-1")
        await create(od, "EXT-2", OrderDateTimeUtc="2026-11-01T00:00:00Z")
        await create(
            od,
            "EXT-3",
            OrderDetails=[{"Sku": "SKU-2", "Quantity": 1}],
            Customer={"Email": "bob@example.com"},
        )
        await make.order(("SKU-1", 1), number="SE-1")

        async def search(body: dict[str, Any]) -> list[str]:
            return numbers(await od.post("/v1/orders/Search", json=body))

        assert await search({}) == ["SE-1", "EXT-3", "EXT-2", "EXT-1"]
        assert await search({"OrderStatuses": ["Backordered"]}) == ["SE-1", "EXT-3", "EXT-2"]
        assert await search({"Sku": "SKU-2"}) == ["EXT-3"]
        assert await search({"CustomerEmail": "bob@example.com"}) == ["EXT-3"]
        assert await search({"ExternalCustomerId": "C-9", "Sku": "SKU-1"}) == ["EXT-2", "EXT-1"]
        assert await search({"Channel": "My Shop", "LocationInternalName": "DC-1"}) == ["EXT-1"]
        assert await search(
            {
                "OrderDateTimeUtcFrom": "2026-11-01T00:00:00Z",
                "OrderDateTimeUtcTo": "2026-11-02T00:00:00Z",
            }
        ) == ["EXT-2"]

    async def test_pages_by_query(self, od: httpx.AsyncClient, make: Factory) -> None:
        await stocked(make)
        await create(od, "EXT-1")
        await create(od, "EXT-2")

        response = await od.post("/v1/orders/Search", params={"pageSize": 1, "pageNumber": 2})

        assert numbers(response) == ["EXT-1"]
        assert response.json()["TotalCount"] == 2

    async def test_bad_filters_are_400s_naming_them(self, od: httpx.AsyncClient) -> None:
        async def search(body: dict[str, Any]) -> httpx.Response:
            return await od.post("/v1/orders/Search", json=body)

        refused(await search({"OrderStatuses": ["Lost"]}), "OrderStatuses[0]")
        refused(await search({"LocationInternalName": "NOPE"}), "LocationInternalName")
        refused(
            await search(
                {
                    "OrderDateTimeUtcFrom": "2026-11-02T00:00:00Z",
                    "OrderDateTimeUtcTo": "2026-11-01T00:00:00Z",
                }
            ),
            "OrderDateTimeUtcTo",
        )


class TestCancelledLineItems:
    async def test_lists_the_lines_with_cancelled_units(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        await make.item("SKU-2")
        details = (
            {"ExternalOrderDetailId": "L-1", "Sku": "SKU-1", "Quantity": 2},
            {"ExternalOrderDetailId": "L-2", "Sku": "SKU-2", "Quantity": 3},
        )
        await create(od, "EXT-1", OrderDetails=list(details))
        await od.post(
            "/v1/orders/Cancel",
            params={"ExternalOrderId": "EXT-1"},
            json={"OrderDetails": [{"ExternalOrderDetailId": "L-2", "Quantity": 1}]},
        )

        response = await od.get(
            "/v1/orders/CancelledLineItems", params={"ExternalOrderId": "EXT-1"}
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["TotalCount"], body["PageSize"]) == (1, 20)
        [line] = body["Items"]
        assert (line["ExternalOrderDetailId"], line["Quantity"], line["CancelledQuantity"]) == (
            "L-2",
            3,
            1,
        )

    async def test_an_unknown_order_or_two_ids_of_different_orders_are_404s(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        created = await create(od, "EXT-1")
        path = "/v1/orders/CancelledLineItems"

        missing = await od.get(path, params={"ExternalOrderId": "NOPE"})
        mixed = await od.get(
            path, params={"InternalOrderId": created["InternalOrderId"], "ExternalOrderId": "X"}
        )
        neither = await od.get(path)

        assert (missing.status_code, mixed.status_code) == (404, 404)
        refused(neither, "InternalOrderId")


class TestStatistics:
    async def test_counts_lines_units_amounts_per_state_and_shipments(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        await make.item("SKU-2")
        await make.stock("DC-1", "SKU-2", 5)
        details = [
            {"Sku": "SKU-1", "Quantity": 2, "UnitPrice": 10.5},
            {"ExternalOrderDetailId": "L-2", "Sku": "SKU-2", "Quantity": 3, "UnitPrice": 2},
        ]
        created = await create(od, "EXT-1", OrderDetails=details)
        await od.post(
            "/v1/orders/Cancel",
            params={"ExternalOrderId": "EXT-1"},
            json={"OrderDetails": [{"ExternalOrderDetailId": "L-2", "Quantity": 1}]},
        )
        await make.ship(created["InternalOrderId"], (1, 1))
        invoiced = await od.post(
            "/v1/paymentprocessing/Invoices/AutoInvoice",
            json={"IDType": "Order", "ID": created["InternalOrderId"]},
        )
        assert invoiced.status_code == 200, invoiced.text

        response = await od.get("/v1/orders/Statistics", params={"ExternalOrderId": "EXT-1"})

        assert response.status_code == 200, response.text
        assert response.json() == {
            "InternalOrderId": created["InternalOrderId"],
            "ExternalOrderId": "EXT-1",
            "CurrencyCode": "CAD",
            "Ordered": {"LineCount": 2, "UnitCount": 5, "Amount": 27.0},
            "Allocated": {"LineCount": 2, "UnitCount": 3, "Amount": 14.5},
            "Shipped": {"LineCount": 1, "UnitCount": 1, "Amount": 10.5},
            "Cancelled": {"LineCount": 1, "UnitCount": 1, "Amount": 2.0},
            "Returned": {"LineCount": 0, "UnitCount": 0, "Amount": 0.0},
            "NumberOfShipments": 1,
            "Invoiced": {"LineCount": 1, "UnitCount": 1, "Amount": 10.5},
        }

    async def test_another_accounts_order_is_a_404(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await stocked(make)
        await create(od, "EXT-1")

        response = await od.get(
            "/v1/orders/Statistics",
            params={"ExternalOrderId": "EXT-1"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert response.status_code == 404
