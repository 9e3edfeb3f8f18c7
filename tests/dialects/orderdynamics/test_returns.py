"""OrderDynamics returns over HTTP: the nine paths, shared with ShipEdge's returns."""

from typing import Any

import httpx
import pytest

from orderyard.domain.customer import Person
from orderyard.domain.order import Customer
from orderyard.services import customer as customer_service
from orderyard.services.account import NewAccount
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, level, load_order


@pytest.fixture
async def shipped(make: Factory) -> int:
    """Order ORD-1 of customer C-9 shipped 3 x SKU-1 and 1 x SKU-2 from DC-1 (RET-1 exists too)."""
    await make.location("DC-1")
    await make.location("RET-1", priority=2)
    for sku in ("SKU-1", "SKU-2", "SKU-3"):
        await make.item(sku)
    await make.stock("DC-1", "SKU-1", 10)
    await make.stock("DC-1", "SKU-2", 10)
    placed = await make.order(("SKU-1", 3), ("SKU-2", 1), customer=Customer(external_id="C-9"))
    await make.ship(placed.order_id or 0)
    return placed.order_id or 0


def items(*lines: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"Sku": sku, "Quantity": qty, "ReturnReason": "Too big"} for sku, qty in lines]


async def create(od: httpx.AsyncClient, order_id: int, *lines: tuple[str, int]) -> dict[str, Any]:
    body = {"InternalOrderId": order_id, "ReturnItems": items(*(lines or (("SKU-1", 2),)))}
    response = await od.post("/v1/returns", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def refused(response: httpx.Response, field: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert list(response.json()["errors"]) == [field]


async def returned(make: Factory, order_id: int) -> list[int]:
    """Each order line's ``returned`` (reserved by open returns, kept by committed ones)."""
    return [line.returned for line in (await load_order(make, order_id)).lines]


async def count(od: httpx.AsyncClient) -> int:
    response = await od.get("/v1/returns")
    assert response.status_code == 200, response.text
    return int(response.json()["TotalCount"])


def se_headers(account: NewAccount) -> dict[str, str]:
    return {"AccountID": str(account.account_id), "Key": account.key}


SE = "/apirest/v4/oms/inventory/returns"


class TestCreate:
    async def test_a_return_reserves_its_units_and_answers_the_whole_return(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = await create(od, shipped)

        [item] = created["ReturnItems"]
        assert created["InternalOrderId"] == shipped
        assert created["ExternalOrderId"] == "ORD-1"
        assert created["ExternalCustomerId"] == "C-9"
        assert created["ReturnStatus"] == "Pending"
        assert created["ReturnOutcome"] is None
        assert created["LocationInternalName"] is None
        assert created["CustomFields"] == []
        assert item["Sku"] == "SKU-1"
        assert (item["Quantity"], item["ReturnReason"]) == (2, "Too big")
        assert (item["ResellableQuantity"], item["DamagedQuantity"]) == (0, 0)
        assert await returned(make, shipped) == [2, 0]

    async def test_the_order_may_be_named_by_its_external_id(
        self, od: httpx.AsyncClient, shipped: int
    ) -> None:
        body = {"ExternalOrderId": "ORD-1", "ReturnItems": items(("SKU-2", 1))}
        response = await od.post("/v1/returns", json=body)

        assert response.status_code == 201, response.text
        assert response.json()["InternalOrderId"] == shipped

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"ReturnItems": items(("SKU-1", 1))}, "InternalOrderId"),
            ({"InternalOrderId": 1}, "ReturnItems"),
            ({"InternalOrderId": 1, "ReturnItems": []}, "ReturnItems"),
            ({"InternalOrderId": "one", "ReturnItems": items(("SKU-1", 1))}, "InternalOrderId"),
            ({"InternalOrderId": 1, "ReturnItems": [{"Quantity": 1}]}, "ReturnItems[0].Sku"),
            (
                {"InternalOrderId": 1, "ReturnItems": [{"Sku": "SKU-1", "Quantity": "2"}]},
                "ReturnItems[0].Quantity",
            ),
            (
                {"InternalOrderId": 1, "ReturnItems": [{"Sku": "SKU-1", "Quantity": 0}]},
                "ReturnItems[0].Quantity",
            ),
        ],
    )
    async def test_a_missing_or_malformed_field_is_a_400_naming_it(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, body: Any, field: str
    ) -> None:
        response = await od.post("/v1/returns", json={**body})

        refused(response, field)
        assert await count(od) == 0
        assert await returned(make, shipped) == [0, 0]

    async def test_more_than_shipped_is_a_400_naming_the_item_quantity(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        await create(od, shipped, ("SKU-1", 2))

        body = {"InternalOrderId": shipped, "ReturnItems": items(("SKU-1", 2))}
        response = await od.post("/v1/returns", json=body)

        refused(response, "ReturnItems[0].Quantity")
        assert (
            "1 returnable (3 shipped, 2 already returned or announced)"
            in (response.json()["detail"])
        )
        assert await count(od) == 1
        assert await returned(make, shipped) == [2, 0]

    async def test_a_sku_not_on_the_order_is_a_400_naming_it(
        self, od: httpx.AsyncClient, shipped: int
    ) -> None:
        body = {"InternalOrderId": shipped, "ReturnItems": items(("SKU-3", 1))}
        refused(await od.post("/v1/returns", json=body), "ReturnItems[0].Sku")
        assert await count(od) == 0

    async def test_an_unknown_or_foreign_order_is_a_404(
        self, od: httpx.AsyncClient, shipped: int, other_key: str
    ) -> None:
        unknown = {"InternalOrderId": shipped + 99, "ReturnItems": items(("SKU-1", 1))}
        by_number = {"ExternalOrderId": "NOPE", "ReturnItems": items(("SKU-1", 1))}
        mismatched = {**by_number, "InternalOrderId": shipped}
        assert (await od.post("/v1/returns", json=unknown)).status_code == 404
        assert (await od.post("/v1/returns", json=by_number)).status_code == 404
        assert (await od.post("/v1/returns", json=mismatched)).status_code == 404

        foreign = {"InternalOrderId": shipped, "ReturnItems": items(("SKU-1", 1))}
        response = await od.post(
            "/v1/returns", json=foreign, headers={"Ocp-Apim-Subscription-Key": other_key}
        )
        assert response.status_code == 404
        assert await count(od) == 0


class TestPut:
    async def test_without_an_id_put_creates(self, od: httpx.AsyncClient, shipped: int) -> None:
        body = {"InternalOrderId": shipped, "ReturnItems": items(("SKU-1", 1))}
        response = await od.put("/v1/returns", json=body)

        assert response.status_code == 200, response.text
        assert response.json()["ReturnStatus"] == "Pending"
        assert await count(od) == 1

    async def test_an_open_return_gets_new_items_and_its_reservation_moves(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 3))

        body = {"ReturnItems": items(("SKU-1", 1), ("SKU-2", 1))}
        response = await od.put(
            "/v1/returns", params={"InternalReturnId": created["InternalReturnId"]}, json=body
        )

        assert response.status_code == 200, response.text
        changed = response.json()
        assert changed["InternalReturnId"] == created["InternalReturnId"]
        assert [(i["Sku"], i["Quantity"]) for i in changed["ReturnItems"]] == [
            ("SKU-1", 1),
            ("SKU-2", 1),
        ]
        assert await returned(make, shipped) == [1, 1]

    async def test_a_committed_or_cancelled_return_cannot_change(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        committed = await create(od, shipped, ("SKU-1", 1))
        cancelled = await create(od, shipped, ("SKU-1", 1))
        commit = {"LocationInternalName": "DC-1"}
        params = {"InternalReturnId": committed["InternalReturnId"]}
        assert (await od.post("/v1/returns/Commit", params=params, json=commit)).is_success
        params = {"InternalReturnId": cancelled["InternalReturnId"]}
        assert (await od.post("/v1/returns/Cancel", params=params)).is_success

        for closed in (committed, cancelled):
            response = await od.put(
                "/v1/returns",
                params={"InternalReturnId": closed["InternalReturnId"]},
                json={"ReturnItems": items(("SKU-2", 1))},
            )
            refused(response, "Status", 409)
        assert await returned(make, shipped) == [1, 0]

    async def test_an_unknown_foreign_or_mismatched_return_is_a_404(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, other_key: str
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 1))
        params = {"InternalReturnId": created["InternalReturnId"]}
        body = {"ReturnItems": items(("SKU-1", 3))}

        foreign = await od.put(
            "/v1/returns",
            params=params,
            json=body,
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        unknown = await od.put(
            "/v1/returns", params={"InternalReturnId": created["InternalReturnId"] + 9}, json=body
        )
        other_order = await od.put(
            "/v1/returns", params=params, json={**body, "ExternalOrderId": "ORD-X"}
        )

        assert [r.status_code for r in (foreign, unknown, other_order)] == [404, 404, 404]
        assert await returned(make, shipped) == [1, 0]

    async def test_new_items_above_what_shipped_change_nothing(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 2))
        params = {"InternalReturnId": created["InternalReturnId"]}

        response = await od.put(
            "/v1/returns", params=params, json={"ReturnItems": items(("SKU-1", 4))}
        )

        refused(response, "ReturnItems[0].Quantity")
        assert await returned(make, shipped) == [2, 0]
        again = (
            await od.get("/v1/returns/ReturnsById", params={"ReturnId": params["InternalReturnId"]})
        ).json()["Items"][0]
        assert again["ReturnItems"][0]["Quantity"] == 2


class TestCommit:
    async def test_commit_restocks_resellable_units_at_the_location_and_records_damaged(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 3))
        body = {
            "LocationInternalName": "RET-1",
            "ReturnItems": [{"Sku": "SKU-1", "ResellableQuantity": 1, "DamagedQuantity": 1}],
        }

        response = await od.post(
            "/v1/returns/Commit",
            params={"InternalReturnId": created["InternalReturnId"]},
            json=body,
        )

        assert response.status_code == 200, response.text
        done = response.json()
        assert (done["ReturnStatus"], done["ReturnOutcome"]) == ("Committed", "Incomplete")
        assert done["LocationInternalName"] == "RET-1"
        [item] = done["ReturnItems"]
        assert (item["ResellableQuantity"], item["DamagedQuantity"]) == (1, 1)
        assert await level(make, "RET-1", "SKU-1") == (1, 0)
        assert await returned(make, shipped) == [2, 0]
        await assert_ledger_balances(make)

    async def test_commit_without_items_restocks_every_announced_unit(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 2))

        response = await od.post(
            "/v1/returns/Commit",
            params={"InternalReturnId": created["InternalReturnId"]},
            json={"LocationInternalName": "DC-1"},
        )

        assert response.json()["ReturnOutcome"] == "AsExpected"
        assert await level(make, "DC-1", "SKU-1") == (9, 0)
        await assert_ledger_balances(make)

    async def test_a_restock_allocates_a_waiting_backorder(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        await make.stock("DC-1", "SKU-1", 0)
        waiting = await make.order(("SKU-1", 1))
        assert (await load_order(make, waiting.order_id)).lines[0].allocated == 0
        created = await create(od, shipped, ("SKU-1", 1))

        response = await od.post(
            "/v1/returns/Commit",
            params={"InternalReturnId": created["InternalReturnId"]},
            json={"LocationInternalName": "DC-1"},
        )

        assert response.status_code == 200, response.text
        assert (await load_order(make, waiting.order_id)).lines[0].allocated == 1
        assert await level(make, "DC-1", "SKU-1") == (1, 1)
        await assert_ledger_balances(make)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "LocationInternalName"),
            ({"LocationInternalName": "NOPE"}, "LocationInternalName"),
            (
                {
                    "LocationInternalName": "DC-1",
                    "ReturnItems": [{"Sku": "SKU-1", "ResellableQuantity": 3}],
                },
                "ReturnItems[0]",
            ),
            (
                {"LocationInternalName": "DC-1", "ReturnItems": [{"Sku": "SKU-2"}]},
                "ReturnItems[0].Sku",
            ),
            (
                {
                    "LocationInternalName": "DC-1",
                    "ReturnItems": [{"Sku": "SKU-1", "DamagedQuantity": -1}],
                },
                "ReturnItems[0].DamagedQuantity",
            ),
            (
                {
                    "LocationInternalName": "DC-1",
                    "ReturnItems": [{"Sku": "SKU-1", "ResellableQuantity": "1"}],
                },
                "ReturnItems[0].ResellableQuantity",
            ),
        ],
    )
    async def test_a_bad_commit_is_a_400_naming_the_field_and_restocks_nothing(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, body: Any, field: str
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 2))
        params = {"InternalReturnId": created["InternalReturnId"]}
        sent = body or {"ReturnItems": [{"Sku": "SKU-1", "ResellableQuantity": 1}]}

        refused(await od.post("/v1/returns/Commit", params=params, json=sent), field)

        assert await level(make, "DC-1", "SKU-1") == (7, 0)
        again = await od.get("/v1/returns", params={"ReturnId": params["InternalReturnId"]})
        assert again.json()["Items"][0]["ReturnStatus"] == "Pending"

    async def test_a_closed_unknown_or_foreign_return_is_refused(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, other_key: str
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 1))
        params = {"InternalReturnId": created["InternalReturnId"]}
        body = {"LocationInternalName": "DC-1"}
        foreign = await od.post(
            "/v1/returns/Commit",
            params=params,
            json=body,
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        assert foreign.status_code == 404
        assert (await od.post("/v1/returns/Commit", params=params, json=body)).is_success

        again = await od.post("/v1/returns/Commit", params=params, json=body)
        cancel = await od.post("/v1/returns/Cancel", params=params)
        unknown = await od.post("/v1/returns/Commit", params={"InternalReturnId": 10**6})
        missing = await od.post("/v1/returns/Commit")

        refused(again, "Status", 409)
        refused(cancel, "Status", 409)
        assert unknown.status_code == 404
        refused(missing, "InternalReturnId")
        assert await level(make, "DC-1", "SKU-1") == (8, 0)


class TestCancel:
    async def test_cancel_gives_the_units_back_and_restocks_nothing(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 3))

        response = await od.post(
            "/v1/returns/Cancel", params={"InternalReturnId": created["InternalReturnId"]}
        )

        assert response.status_code == 200, response.text
        assert response.json()["ReturnStatus"] == "Cancelled"
        assert await returned(make, shipped) == [0, 0]
        assert await level(make, "DC-1", "SKU-1") == (7, 0)
        await create(od, shipped, ("SKU-1", 3))

    async def test_cancel_of_a_foreign_or_malformed_id_writes_nothing(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, other_key: str
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 1))
        params = {"InternalReturnId": created["InternalReturnId"]}
        foreign = await od.post(
            "/v1/returns/Cancel", params=params, headers={"Ocp-Apim-Subscription-Key": other_key}
        )
        malformed = await od.post("/v1/returns/Cancel", params={"InternalReturnId": "x"})

        assert foreign.status_code == 404
        refused(malformed, "InternalReturnId")
        assert await returned(make, shipped) == [1, 0]


class TestReads:
    async def test_get_returns_applies_every_filter_of_the_seed(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        first = await create(od, shipped, ("SKU-1", 1))
        second = await create(od, shipped, ("SKU-2", 1))
        await od.post("/v1/returns/Cancel", params={"InternalReturnId": second["InternalReturnId"]})
        customer = await customer_service.create_customer(
            make.uow(), Person(external_id="C-9", email="jane@example.com")
        )

        async def ids(**params: Any) -> list[int]:
            response = await od.get("/v1/returns", params=params)
            assert response.status_code == 200, response.text
            return [r["InternalReturnId"] for r in response.json()["Items"]]

        both = [second["InternalReturnId"], first["InternalReturnId"]]
        assert await ids() == both
        assert await ids(ReturnId=first["InternalReturnId"]) == both[1:]
        assert await ids(returnstatus="pending") == both[1:]
        assert await ids(ReturnStatus="Pending,Cancelled") == both
        assert await ids(InternalOrderId=shipped) == both
        assert await ids(ExternalOrderId="ORD-1") == both
        assert await ids(ExternalOrderId="ORD-2") == []
        assert await ids(InternalCustomerId=customer.id) == both
        assert await ids(ExternalCustomerId="C-9") == both
        assert await ids(ExternalCustomerId="C-1") == []
        created = first["CreateDateTimeUtc"]
        assert await ids(CreateDateTimeUtcAfter=created) == both
        assert await ids(CreateDateTimeUtcBefore=created) == []
        assert await ids(CreateDateTimeUtcAfter="2999-01-01T00:00:00Z") == []
        page = (await od.get("/v1/returns", params={"pageSize": 1, "pageNumber": 2})).json()
        assert (page["TotalCount"], page["TotalPages"]) == (2, 2)
        assert [r["InternalReturnId"] for r in page["Items"]] == both[1:]

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"ReturnStatus": "Open"}, "ReturnStatus"),
            ({"ReturnId": "x"}, "ReturnId"),
            ({"InternalOrderId": 0}, "InternalOrderId"),
            ({"CreateDateTimeUtcAfter": "yesterday"}, "CreateDateTimeUtcAfter"),
            ({"CreateDateTimeUtcBefore": "2026-12-20T10:00:00"}, "CreateDateTimeUtcBefore"),
            ({"CreateDateTimeUtcAfter": "0001-01-01T01:01:01+03:04"}, "CreateDateTimeUtcAfter"),
        ],
    )
    async def test_a_bad_filter_is_a_400_naming_it(
        self, od: httpx.AsyncClient, params: dict[str, Any], field: str
    ) -> None:
        refused(await od.get("/v1/returns", params=params), field)

    async def test_an_unknown_customer_is_a_404(self, od: httpx.AsyncClient) -> None:
        response = await od.get("/v1/returns", params={"InternalCustomerId": 999})
        assert response.status_code == 404

    async def test_returns_by_id_by_return_or_by_order(
        self, od: httpx.AsyncClient, shipped: int, other_key: str
    ) -> None:
        created = await create(od, shipped, ("SKU-1", 1))
        rid = created["InternalReturnId"]

        by_id = await od.get("/v1/returns/ReturnsById", params={"ReturnId": rid})
        by_order = await od.get("/v1/returns/ReturnsById", params={"ExternalOrderId": "ORD-1"})
        foreign = await od.get(
            "/v1/returns/ReturnsById",
            params={"ReturnId": rid},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )

        assert by_id.json()["Items"] == [created]
        assert by_order.json()["Items"] == [created]
        assert foreign.json()["Items"] == []
        refused(await od.get("/v1/returns/ReturnsById"), "ReturnId")

    async def test_customer_history_lists_the_returns_of_the_customers_orders(
        self, od: httpx.AsyncClient, shipped: int, make: Factory
    ) -> None:
        customer = await customer_service.create_customer(
            make.uow(), Person(external_id="C-9", email="jane@example.com")
        )
        await make.stock("DC-1", "SKU-1", 10)
        by_email = await make.order(("SKU-1", 1), customer=Customer(email="jane@example.com"))
        stranger = await make.order(("SKU-1", 1), customer=Customer(external_id="C-1"))
        for order in (by_email, stranger):
            await make.ship(order.order_id or 0)
        mine = [
            await create(od, shipped, ("SKU-1", 1)),
            await create(od, by_email.order_id or 0, ("SKU-1", 1)),
        ]
        await create(od, stranger.order_id or 0, ("SKU-1", 1))

        async def ids(**params: Any) -> list[int]:
            response = await od.get("/v1/returns/CustomerHistory", params=params)
            assert response.status_code == 200, response.text
            return [r["InternalReturnId"] for r in response.json()["Items"]]

        newest_first = [r["InternalReturnId"] for r in reversed(mine)]
        assert await ids(CustomerId=customer.id) == newest_first
        assert (
            await ids(CustomerId=customer.id, SortByColumn="InternalReturnId", Ascending="true")
            == newest_first[::-1]
        )
        assert await ids(CustomerId=customer.id, OrderIdFilter="ORD-1") == newest_first[1:]
        assert await ids(ExternalCustomerId="C-1") == [mine[-1]["InternalReturnId"] + 1]
        refused(await od.get("/v1/returns/CustomerHistory"), "CustomerId")
        refused(
            await od.get(
                "/v1/returns/CustomerHistory",
                params={"CustomerId": customer.id, "SortByColumn": "Sku"},
            ),
            "SortByColumn",
        )
        missing = await od.get("/v1/returns/CustomerHistory", params={"CustomerId": 999})
        assert missing.status_code == 404


class TestCustomFields:
    async def define(self, od: httpx.AsyncClient, owner: str, name: str, kind: str) -> None:
        body = {"OwnerType": owner, "SystemName": name, "DataType": kind}
        response = await od.post("/v1/customfieldmetadata", json=body)
        assert response.status_code == 201, response.text

    async def test_values_on_a_return_and_its_items_are_set_shown_and_cleared(
        self, od: httpx.AsyncClient, shipped: int
    ) -> None:
        await self.define(od, "Return", "Channel", "Text")
        await self.define(od, "ReturnLineItem", "Opened", "Boolean")
        created = await create(od, shipped, ("SKU-1", 1))
        rid, [item] = created["InternalReturnId"], created["ReturnItems"]

        own = await od.put(
            "/v1/returns/CustomFields",
            json={"InternalReturnId": rid, "CustomFields": [{"Name": "Channel", "Value": "Store"}]},
        )
        lines = await od.put(
            "/v1/returns/ReturnItems/CustomFields",
            json={
                "InternalReturnId": rid,
                "ReturnItems": [
                    {
                        "ReturnItemId": item["ReturnItemId"],
                        "CustomFields": [{"Name": "Opened", "Value": True}],
                    }
                ],
            },
        )

        assert own.json()["CustomFields"] == [{"Name": "Channel", "Value": "Store"}]
        assert lines.json()["ReturnItems"][0]["CustomFields"] == [
            {"Name": "Opened", "Value": "true"}
        ]
        cleared = await od.put(
            "/v1/returns/CustomFields",
            json={"InternalReturnId": rid, "CustomFields": [{"Name": "Channel", "Value": None}]},
        )
        assert cleared.json()["CustomFields"] == []

    async def test_bad_values_and_unknown_owners_are_refused_with_nothing_written(
        self, od: httpx.AsyncClient, shipped: int, other_key: str
    ) -> None:
        await self.define(od, "ReturnLineItem", "Opened", "Boolean")
        created = await create(od, shipped, ("SKU-1", 1))
        rid, [item] = created["InternalReturnId"], created["ReturnItems"]

        def line(item_id: int, value: Any) -> dict[str, Any]:
            fields = [{"Name": "Opened", "Value": value}]
            return {"InternalReturnId": rid, "ReturnItems": [
                {"ReturnItemId": item["ReturnItemId"], "CustomFields": [{"Name": "Opened",
                                                                         "Value": True}]},
                {"ReturnItemId": item_id, "CustomFields": fields},
            ]}  # fmt: skip

        path = "/v1/returns/ReturnItems/CustomFields"
        refused(await od.put(path, json=line(item["ReturnItemId"] + 99, True)),
                "ReturnItems[1].ReturnItemId")  # fmt: skip
        refused(await od.put(path, json=line(item["ReturnItemId"], "maybe")),
                "ReturnItems[1].CustomFields[0].Value")  # fmt: skip
        undefined = {"InternalReturnId": rid, "CustomFields": [{"Name": "Nope", "Value": "x"}]}
        refused(await od.put("/v1/returns/CustomFields", json=undefined), "CustomFields[0].Name")
        foreign = await od.put(
            "/v1/returns/CustomFields",
            json={"InternalReturnId": rid, "CustomFields": []},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        assert foreign.status_code == 404
        refused(await od.put("/v1/returns/CustomFields", json={"CustomFields": []}),
                "InternalReturnId")  # fmt: skip

        shown = (await od.get("/v1/returns/ReturnsById", params={"ReturnId": rid})).json()
        assert shown["Items"][0]["ReturnItems"][0]["CustomFields"] == []
        assert shown["Items"][0]["CustomFields"] == []


class TestBothDialects:
    async def test_a_shipedge_return_is_committed_through_orderdynamics(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, account: NewAccount
    ) -> None:
        body = {"data": [{"order_id": shipped, "items": [{"sku": "SKU-1", "quantity": 2,
                                                         "reason": "Defective"}]}]}  # fmt: skip
        response = await od.post(SE, json=body, headers=se_headers(account))
        assert response.status_code == 200, response.text
        rid = response.json()["data"][0]["return_id"]

        seen = (await od.get("/v1/returns", params={"ReturnId": rid})).json()["Items"][0]
        assert (seen["ReturnStatus"], seen["ReturnItems"][0]["ReturnReason"]) == (
            "Pending",
            "Defective",
        )
        commit = {
            "LocationInternalName": "RET-1",
            "ReturnItems": [{"Sku": "SKU-1", "ResellableQuantity": 1, "DamagedQuantity": 1}],
        }
        done = await od.post("/v1/returns/Commit", params={"InternalReturnId": rid}, json=commit)
        assert done.status_code == 200, done.text

        shown = (await od.get(f"{SE}/{rid}", headers=se_headers(account))).json()["data"]
        assert shown["status"] == "DISCREPANCY"
        assert shown["distribution_center"] == "RET-1"
        assert shown["items"][0] | {} == {
            "sku": "SKU-1",
            "quantity": 2,
            "reason": "Defective",
            "good": 1,
            "hurt": 1,
        }
        assert await level(make, "RET-1", "SKU-1") == (1, 0)
        await assert_ledger_balances(make)

    async def test_an_orderdynamics_return_is_seen_through_shipedge_at_every_step(
        self, od: httpx.AsyncClient, shipped: int, make: Factory, account: NewAccount
    ) -> None:
        created = await create(od, shipped, ("SKU-2", 1))
        rid = created["InternalReturnId"]

        async def se_status() -> str:
            response = await od.get(f"{SE}/{rid}", headers=se_headers(account))
            assert response.status_code == 200, response.text
            return str(response.json()["data"]["status"])

        assert await se_status() == "PENDING"
        await od.post(
            "/v1/returns/Commit",
            params={"InternalReturnId": rid},
            json={"LocationInternalName": "DC-1"},
        )
        assert await se_status() == "AS EXPECTED"
        listed = (await od.get(SE, headers=se_headers(account))).json()["data"]
        assert [r["return_id"] for r in listed] == [rid]
        assert await level(make, "DC-1", "SKU-2") == (10, 0)
