"""OrderDynamics order import: historical orders kept as given, idempotent, stock untouched."""

from typing import Any

import httpx

from orderyard.app import SHIPEDGE_ROOT
from orderyard.services.account import NewAccount
from tests.dialects.event_walk import expecting_no_event
from tests.dialects.orderdynamics.test_allocation_strategies import shipedge
from tests.dialects.orderdynamics.test_order_custom_fields import define
from tests.dialects.orderdynamics.test_orders import order_body
from tests.factories import Factory
from tests.services.checks import count_rows, ledger, level

IMPORT = "/v1/orders/Import"


def historical(
    number: str = "H-1", status: str = "PartiallyShipped", shipped: int = 1, cancelled: int = 0
) -> dict[str, Any]:
    """An order of 3 SKU-1 placed elsewhere in 2020, with what became of its units."""
    body = order_body(number, OrderStatus=status, OrderDateTimeUtc="2020-03-04T05:06:07Z")
    body["OrderDetails"] = [
        {
            "ExternalOrderDetailId": "L-1",
            "Sku": "SKU-1",
            "Quantity": 3,
            "UnitPrice": 4,
            "ShippedQuantity": shipped,
            "CancelledQuantity": cancelled,
        }
    ]
    return body


async def stocked(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)


async def written(make: Factory) -> tuple[int, int, int, int]:
    """Orders, lines, allocations and movements of the account."""
    return (
        await count_rows(make, "orders"),
        await count_rows(make, "order_lines"),
        await count_rows(make, "allocations"),
        len(await ledger(make)),
    )


class TestImport:
    async def test_an_order_is_imported_as_given_and_reads_in_both_dialects(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await stocked(make)
        before = await written(make)

        response = await od.post(IMPORT, json=[historical()])

        assert response.status_code == 200, response.text
        [result] = response.json()
        assert result["Result"] == "Imported"
        assert (result["ExternalOrderId"], result["Errors"]) == ("H-1", {})
        got = (await od.get("/v1/orders", params={"ExternalOrderId": "H-1"})).json()
        assert got["InternalOrderId"] == result["InternalOrderId"]
        assert (got["OrderStatus"], got["IsOnHold"]) == ("PartiallyShipped", False)
        assert got["OrderDateTimeUtc"] == "2020-03-04T05:06:07Z"
        [line] = got["OrderDetails"]
        figures = ("Quantity", "AllocatedQuantity", "ShippedQuantity", "CancelledQuantity")
        assert [line[k] for k in figures] == [3, 0, 1, 0]
        assert line["BackorderedQuantity"] == 2  # fmt: skip
        se = await od.get(
            f"{SHIPEDGE_ROOT}/orders", params={"order_number": "H-1"}, headers=shipedge(account)
        )
        assert se.status_code == 200, se.text
        [order] = [o for o in se.json()["data"] if o["order_number"] == "H-1"]
        assert order["order_id"] == result["InternalOrderId"]
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await written(make) == (before[0] + 1, before[1] + 1, before[2], before[3])

    async def test_the_same_import_twice_changes_nothing_and_says_so(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        first = (await od.post(IMPORT, json=[historical(), historical("H-2", "Shipped", 3)])).json()
        stored = await written(make)
        events = await count_rows(make, "events")

        with expecting_no_event():
            again = await od.post(IMPORT, json=[historical(), historical("H-2", "Shipped", 3)])

        assert again.status_code == 200, again.text
        assert [r["Result"] for r in again.json()] == ["AlreadyImported", "AlreadyImported"]
        assert [r["InternalOrderId"] for r in again.json()] == [r["InternalOrderId"] for r in first]
        assert await written(make) == stored
        assert await count_rows(make, "events") == events
        assert await level(make, "DC-1", "SKU-1") == (5, 0)

    async def test_statuses_follow_the_quantities(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        orders = [
            historical("D", "Delivered", 2, 1),
            historical("C", "Cancelled", 0, 3),
            historical("P", "Pending", 0, 0),
            historical("B", "Backordered", 0, 1),
        ]

        response = await od.post(IMPORT, json=orders)

        assert [r["Result"] for r in response.json()] == ["Imported"] * 4
        statuses = {}
        for number in "DCPB":
            got = (await od.get("/v1/orders", params={"ExternalOrderId": number})).json()
            statuses[number] = (got["OrderStatus"], got["IsOnHold"])
        assert statuses == {
            "D": ("Delivered", False),
            "C": ("Cancelled", False),
            "P": ("Pending", True),
            "B": ("Backordered", False),
        }
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await count_rows(make, "allocations") == 0

    async def test_bad_orders_fail_alone_and_leave_no_trace(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        unknown = historical("U")
        unknown["OrderDetails"][0]["Sku"] = "NOPE"
        orders = [
            historical("OVER", "Shipped", 3, 1),
            unknown,
            historical("DISAGREE", "Shipped", 1),
            historical("ALLOC", "Allocated", 0),
            historical("OK"),
        ]
        before = await written(make)

        response = await od.post(IMPORT, json=orders)

        assert response.status_code == 200, response.text
        results = response.json()
        assert [r["Result"] for r in results] == ["Failed"] * 4 + ["Imported"]
        assert [list(r["Errors"]) for r in results[:4]] == [
            ["OrderDetails[0].ShippedQuantity"],
            ["OrderDetails[0].Sku"],
            ["OrderStatus"],
            ["OrderStatus"],
        ]
        assert all(r["InternalOrderId"] is None for r in results[:4])
        assert await written(make) == (before[0] + 1, before[1] + 1, before[2], before[3])
        assert await level(make, "DC-1", "SKU-1") == (5, 0)

    async def test_when_every_order_fails_the_answer_is_a_400_naming_them(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post(IMPORT, json=[historical("OVER", "Shipped", 4)])

        assert response.status_code == 400, response.text
        assert list(response.json()["errors"]) == ["[0].OrderDetails[0].ShippedQuantity"]
        assert await written(make) == (0, 0, 0, 1)

    async def test_a_bad_status_word_is_a_400_naming_it_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)

        response = await od.post(IMPORT, json=[historical(status="Lost")])

        assert response.status_code == 400, response.text
        assert list(response.json()["errors"]) == ["[0].OrderStatus"]
        assert await written(make) == (0, 0, 0, 1)


class TestImportCustomFields:
    async def test_an_imports_custom_fields_are_checked_and_kept(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        await define(od, "Order", "Ref", "Text")
        await define(od, "OrderLineItem", "Gift", "Boolean")
        await define(od, "Order", "Must", "Text", IsRequired=True)
        good = historical("H-1")
        good["CustomFields"] = [{"Name": "Ref", "Value": "legacy-17"}]
        good["OrderDetails"][0]["CustomFields"] = [{"Name": "Gift", "Value": True}]
        bad = historical("H-2")
        bad["CustomFields"] = [{"Name": "Nope", "Value": "x"}]

        response = await od.post(IMPORT, json=[good, bad])

        assert [r["Result"] for r in response.json()] == ["Imported", "Failed"]
        assert list(response.json()[1]["Errors"]) == ["CustomFields[0].Name"]
        got = (await od.get("/v1/orders", params={"ExternalOrderId": "H-1"})).json()
        assert got["CustomFields"] == [{"Name": "Ref", "Value": "legacy-17"}]
        assert got["OrderDetails"][0]["CustomFields"] == [{"Name": "Gift", "Value": "true"}]
        assert await count_rows(make, "orders") == 1
        assert await count_rows(make, "attributes") == 2
