"""OrderDynamics Customers API end to end: create, get, search, update, link, export, forget."""

from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select

from orderyard.app import SHIPEDGE_ROOT
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.tables import customer_addresses, customers, events, orders
from tests.dialects.event_walk import expecting_no_event
from tests.dialects.orderdynamics.test_orders import order_body, stocked
from tests.dialects.shipedge.conftest import order_body as shipedge_order_body
from tests.factories import Factory

JANE = {
    "ExternalCustomerId": "C-9",
    "FirstName": "Jane",
    "LastName": "Smith",
    "Email": "jane@example.com",
    "Phone": "+1 416 555 0100",
}
HOME = {
    "AddressLine1": "123 Bloor St",
    "AddressLine2": "Apt 1",
    "City": "Toronto",
    "State": "ON",
    "ZipCode": "L4K1L6",
    "CountryCode": "CA",
    "AddressNickname": "Home",
    "FirstName": "Jane",
    "LastName": "Smith",
    "CompanyName": "Tecsys",
}


async def create_customer(od: httpx.AsyncClient, **changes: Any) -> dict[str, Any]:
    response = await od.post("/v1/customers", json={**JANE, **changes})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def count(engines: Engines, table: Any) -> int:
    async with engines.write.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


def refused(response: httpx.Response, field: str, status: int = 400) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    if status != 404:
        assert field in response.json()["errors"], response.text
    else:
        assert response.json()["detail"]


async def place_shipedge(od: httpx.AsyncClient, account: NewAccount, number: str) -> None:
    body = shipedge_order_body(number, ("SKU-1", 1))
    body["customer"]["email"] = "jane@example.com"
    response = await od.post(
        f"{SHIPEDGE_ROOT}/orders",
        json={"data": [body]},
        headers={"AccountID": str(account.account_id), "Key": account.key},
    )
    assert response.status_code == 200, response.text


class TestCreateAndGet:
    async def test_a_customer_is_created_and_read_back_by_either_id(
        self, od: httpx.AsyncClient
    ) -> None:
        created = await create_customer(od)

        by_internal = await od.get(
            "/v1/customers", params={"InternalCustomerId": created["InternalCustomerId"]}
        )
        by_external = await od.get("/v1/customers", params={"externalcustomerid": "C-9"})

        assert created["ExternalCustomerId"] == "C-9"
        assert created["Email"] == "jane@example.com"
        assert created["IsForgotten"] is False
        assert created["ForgottenDateTimeUtc"] is None
        assert by_internal.json() == created
        assert by_external.json() == created

    async def test_bad_bodies_are_400s_naming_the_field_and_write_nothing(
        self, od: httpx.AsyncClient, engines: Engines
    ) -> None:
        await create_customer(od)

        duplicate = await od.post("/v1/customers", json={**JANE, "Email": "other@example.com"})
        refused(duplicate, "ExternalCustomerId", 409)
        refused(
            await od.post(
                "/v1/customers", json={**JANE, "ExternalCustomerId": "C-1", "Email": "not-an-email"}
            ),
            "Email",
        )
        missing = {k: v for k, v in JANE.items() if k != "Email"}
        refused(
            await od.post("/v1/customers", json={**missing, "ExternalCustomerId": "C-2"}), "Email"
        )
        refused(
            await od.post("/v1/customers", json={**JANE, "ExternalCustomerId": 7}),
            "ExternalCustomerId",
        )
        assert await count(engines, customers) == 1

    async def test_unknown_foreign_and_disagreeing_ids_are_404s(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        mine = await create_customer(od)
        theirs = await od.post(
            "/v1/customers",
            json={**JANE, "ExternalCustomerId": "T-1"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        assert theirs.status_code == 201

        foreign = theirs.json()["InternalCustomerId"]
        refused(await od.get("/v1/customers", params={"InternalCustomerId": foreign}), "", 404)
        refused(await od.get("/v1/customers", params={"ExternalCustomerId": "T-1"}), "", 404)
        both = {"InternalCustomerId": mine["InternalCustomerId"], "ExternalCustomerId": "T-1"}
        refused(await od.get("/v1/customers", params=both), "", 404)
        refused(await od.get("/v1/customers"), "InternalCustomerId")
        refused(
            await od.get("/v1/customers", params={"InternalCustomerId": "x"}), "InternalCustomerId"
        )


class TestSearch:
    async def test_a_keyword_finds_names_email_phone_and_external_id_in_any_case(
        self, od: httpx.AsyncClient
    ) -> None:
        await create_customer(od)
        await create_customer(
            od,
            ExternalCustomerId="C-2",
            FirstName="Bob",
            LastName="Jones",
            Email="bob@shop.test",
            Phone="555 0199",
        )
        await create_customer(
            od,
            ExternalCustomerId="X-3",
            FirstName="Ann",
            LastName="Smithers",
            Email="ann@shop.test",
            Phone="",
        )

        async def ids(**params: Any) -> list[str]:
            response = await od.get("/v1/customers/Search", params=params)
            assert response.status_code == 200, response.text
            return [c["ExternalCustomerId"] for c in response.json()["Items"]]

        assert await ids(SearchKeyword="SMITH") == ["C-9", "X-3"]
        assert await ids(SearchKeyword="shop.test") == ["C-2", "X-3"]
        assert await ids(SearchKeyword="0199") == ["C-2"]
        assert await ids(SearchKeyword="x-3") == ["X-3"]
        assert await ids(SearchKeyword="%") == []
        assert await ids(SortByColumn="FirstName") == ["X-3", "C-2", "C-9"]
        assert await ids(SortByColumn="email", Ascending="false") == ["C-9", "C-2", "X-3"]
        page = await od.get("/v1/customers/Search", params={"pageSize": 2, "pageNumber": 2})
        assert page.json()["TotalCount"] == 3
        assert [c["ExternalCustomerId"] for c in page.json()["Items"]] == ["X-3"]
        refused(
            await od.get("/v1/customers/Search", params={"SortByColumn": "Total"}), "SortByColumn"
        )


class TestUpdate:
    async def test_given_fields_change_and_the_others_stay(self, od: httpx.AsyncClient) -> None:
        created = await create_customer(od)

        response = await od.put(
            "/v1/customers",
            params={"ExternalCustomerId": "C-9"},
            json={"Phone": "555", "ExternalCustomerId": "C-10"},
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert body["Phone"] == "555"
        assert body["ExternalCustomerId"] == "C-10"
        assert body["FirstName"] == "Jane"
        assert body["InternalCustomerId"] == created["InternalCustomerId"]

    async def test_bad_updates_are_refused_and_change_nothing(self, od: httpx.AsyncClient) -> None:
        created = await create_customer(od)
        await create_customer(od, ExternalCustomerId="C-2", Email="bob@shop.test")
        path = "/v1/customers"
        mine = {"InternalCustomerId": created["InternalCustomerId"]}

        refused(
            await od.put(path, params=mine, json={"ExternalCustomerId": "C-2"}),
            "ExternalCustomerId",
            409,
        )
        refused(await od.put(path, params=mine, json={"Email": "nope"}), "Email")
        refused(await od.put(path, params=mine, json={"FirstName": 5}), "FirstName")
        refused(await od.put(path, params={"InternalCustomerId": 999}, json={}), "", 404)

        after = await od.get(path, params=mine)
        assert after.json() == created


class TestLinkAddresses:
    async def test_addresses_are_added_and_the_book_answered(self, od: httpx.AsyncClient) -> None:
        created = await create_customer(od)
        body = {
            "Addresses": [
                {
                    **HOME,
                    "ExternalAddressId": "A-1",
                    "AddressType": "shipping",
                    "IsDefaultShippingAddress": True,
                },
                {
                    "AddressLine1": "1 Bay St",
                    "City": "Toronto",
                    "CountryCode": "CA",
                    "AddressType": "Billing",
                },
            ]
        }

        response = await od.put(
            "/v1/customers/Addresses", params={"ExternalCustomerId": "C-9"}, json=body
        )

        assert response.status_code == 200, response.text
        book = response.json()
        assert [
            (a["ExternalAddressId"], a["AddressType"], a["IsDefaultShippingAddress"]) for a in book
        ] == [("A-1", "Shipping", True), ("", "Billing", False)]
        assert book[0]["AddressLine1"] == "123 Bloor St"
        assert book[0]["InternalCustomerId"] == created["InternalCustomerId"]

    async def test_a_refused_link_writes_none_of_its_addresses(
        self, od: httpx.AsyncClient, engines: Engines
    ) -> None:
        await create_customer(od)
        path = "/v1/customers/Addresses"
        mine = {"ExternalCustomerId": "C-9"}

        bad_type = {"Addresses": [HOME, {**HOME, "AddressType": "Holiday"}]}
        refused(await od.put(path, params=mine, json=bad_type), "Addresses[1].AddressType")
        billing_default = {
            "Addresses": [
                HOME,
                {**HOME, "AddressType": "Billing", "IsDefaultShippingAddress": True},
            ]
        }
        refused(
            await od.put(path, params=mine, json=billing_default),
            "Addresses[1].IsDefaultShippingAddress",
        )
        bad_email = {"Addresses": [HOME, {**HOME, "Email": "x@"}]}
        refused(await od.put(path, params=mine, json=bad_email), "Addresses[1].Email")
        refused(await od.put(path, params=mine, json={"Addresses": []}), "Addresses")
        refused(
            await od.put(path, params={"ExternalCustomerId": "nobody"}, json={"Addresses": [HOME]}),
            "",
            404,
        )
        assert await count(engines, customer_addresses) == 0


class TestOrdersOfACustomer:
    async def test_history_and_list_by_internal_id_use_the_link_rule(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await stocked(make)
        created = await create_customer(od)
        assert (await od.post("/v1/orders", json=order_body("EXT-1"))).status_code == 201
        someone = order_body("EXT-2")
        someone["Customer"] = {"ExternalCustomerId": "C-1", "Email": "jane@example.com"}
        assert (await od.post("/v1/orders", json=someone)).status_code == 201
        await place_shipedge(od, account, "SE-1")
        mine = {"InternalCustomerId": created["InternalCustomerId"]}

        history = await od.get("/v1/orders/CustomerHistory", params=mine)
        listed = await od.get(
            "/v1/orders/List",
            params={
                **mine,
                "LastUpdatedDateTimeUtcAfter": "2000-01-01T00:00:00Z",
                "LastUpdatedDateTimeUtcBefore": "2100-01-01T00:00:00Z",
            },
        )

        assert [o["ExternalOrderId"] for o in history.json()["Items"]] == ["SE-1", "EXT-1"]
        assert [o["ExternalOrderId"] for o in listed.json()["Items"]] == ["EXT-1", "SE-1"]


class TestExport:
    async def test_export_holds_the_customer_its_addresses_and_all_its_orders(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount
    ) -> None:
        await stocked(make, on_hand=10)
        created = await create_customer(od)
        await od.put(
            "/v1/customers/Addresses",
            params={"ExternalCustomerId": "C-9"},
            json={"Addresses": [HOME]},
        )
        for number in ("EXT-1", "EXT-2"):
            assert (await od.post("/v1/orders", json=order_body(number))).status_code == 201
        await place_shipedge(od, account, "SE-1")
        stranger = order_body("EXT-X")
        stranger["Customer"] = {"ExternalCustomerId": "C-7", "Email": "x@example.com"}
        assert (await od.post("/v1/orders", json=stranger)).status_code == 201

        response = await od.post("/v1/customers/Export", json={"ExternalCustomerId": "C-9"})

        assert response.status_code == 200, response.text
        export = response.json()
        assert export["Customer"] == created
        assert [a["AddressLine1"] for a in export["Addresses"]] == ["123 Bloor St"]
        assert [o["ExternalOrderId"] for o in export["Orders"]] == ["EXT-1", "EXT-2", "SE-1"]
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert export["Orders"][0] == got.json()
        assert [e["Kind"] for e in export["Events"]] == ["customer_created", "address_created"]

    async def test_an_unknown_or_unnamed_customer_is_refused(self, od: httpx.AsyncClient) -> None:
        refused(await od.post("/v1/customers/Export", json={"InternalCustomerId": 5}), "", 404)
        refused(await od.post("/v1/customers/Export", json={}), "InternalCustomerId")
        refused(
            await od.post("/v1/customers/Export", json={"InternalCustomerId": "5"}),
            "InternalCustomerId",
        )


class TestForget:
    async def test_forget_erases_the_person_from_every_read_and_keeps_the_books(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount, engines: Engines
    ) -> None:
        await stocked(make, on_hand=10)
        created = await create_customer(od)
        await od.put(
            "/v1/customers/Addresses",
            params={"ExternalCustomerId": "C-9"},
            json={"Addresses": [{**HOME, "Email": "jane.home@example.com"}]},
        )
        for number in ("EXT-1", "EXT-2"):
            assert (await od.post("/v1/orders", json=order_body(number))).status_code == 201
        await place_shipedge(od, account, "SE-1")
        totals_before = await _totals(engines)
        async with engines.write.connect() as conn:  # an old payload holding personal data
            await conn.execute(
                events.insert().values(
                    account_id=account.account_id,
                    actor="api",
                    kind="order_note",
                    record_type="order",
                    record_id=1,
                    data='{"note": "call Jane Smith", "n": 2}',
                    created_at=created_at(created),
                )
            )
            await conn.commit()

        response = await od.post(
            "/v1/customers/Forget", json={"InternalCustomerId": created["InternalCustomerId"]}
        )

        assert response.status_code == 200, response.text
        done = response.json()
        assert (done["OrdersAnonymised"], done["AddressesAnonymised"]) == (3, 1)
        assert done["EventsScrubbed"] == 1
        assert await _totals(engines) == totals_before
        everything = await _every_read(od, account, created["InternalCustomerId"])
        for secret in ("jane", "Jane", "Smith", "555 0100", "Bloor", "C-9", "customer@example"):
            assert secret not in everything, secret
        assert "Toronto" not in everything
        with expecting_no_event():  # forgetting the forgotten changes nothing
            again = await od.post(
                "/v1/customers/Forget", json={"InternalCustomerId": created["InternalCustomerId"]}
            )
        assert again.json()["OrdersAnonymised"] == 0
        async with engines.write.connect() as conn:
            kinds = [k for (k,) in await conn.execute(select(events.c.kind))]
            payloads = " ".join(d for (d,) in await conn.execute(select(events.c.data)))
        assert "customer_forgotten" in kinds
        assert "Jane" not in payloads
        assert "jane" not in payloads

    async def test_a_forgotten_customer_cannot_be_changed(self, od: httpx.AsyncClient) -> None:
        created = await create_customer(od)
        mine = {"InternalCustomerId": created["InternalCustomerId"]}
        await od.post("/v1/customers/Forget", json=mine)

        refused(
            await od.put("/v1/customers", params=mine, json={"FirstName": "J"}),
            "InternalCustomerId",
            409,
        )
        refused(
            await od.put("/v1/customers/Addresses", params=mine, json={"Addresses": [HOME]}),
            "InternalCustomerId",
            409,
        )
        found = await od.get("/v1/customers", params=mine)
        assert found.json()["IsForgotten"] is True
        assert found.json()["Email"] == ""
        reused = await create_customer(od)  # its external id is free again
        assert reused["InternalCustomerId"] != created["InternalCustomerId"]


def created_at(customer: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(customer["CreatedDateTimeUtc"])


async def _totals(engines: Engines) -> list[tuple[str, Decimal]]:
    async with engines.write.connect() as conn:
        rows = await conn.execute(
            select(orders.c.order_number, orders.c.total).order_by(orders.c.id)
        )
        return [(number, total) for number, total in rows]


async def _every_read(od: httpx.AsyncClient, account: NewAccount, customer_id: int) -> str:
    """Everything either dialect answers about orders and this customer, as one text."""
    shipedge = {"AccountID": str(account.account_id), "Key": account.key}
    window = {
        "LastUpdatedDateTimeUtcAfter": "2000-01-01T00:00:00Z",
        "LastUpdatedDateTimeUtcBefore": "2100-01-01T00:00:00Z",
    }
    answers = [
        await od.get("/v1/customers", params={"InternalCustomerId": customer_id}),
        await od.get("/v1/customers/Search", params={"SearchKeyword": "jane"}),
        await od.get("/v1/customers/Search"),
        await od.get("/v1/addresses/Customers", params={"InternalCustomerId": customer_id}),
        await od.post("/v1/customers/Export", json={"InternalCustomerId": customer_id}),
        await od.get("/v1/orders/CustomerHistory", params={"Email": "jane@example.com"}),
        await od.get("/v1/orders/CustomerHistory", params={"ExternalCustomerId": "C-9"}),
        await od.post("/v1/orders/Search", json={"CustomerEmail": "jane@example.com"}),
        await od.post("/v1/orders/Search", json={}),
        await od.get("/v1/orders/List", params=window),
        await od.get(f"{SHIPEDGE_ROOT}/orders", headers=shipedge),
    ]
    for number in ("EXT-1", "EXT-2", "SE-1"):
        answers.append(await od.get("/v1/orders", params={"ExternalOrderId": number}))
        answers.append(
            await od.get(
                f"{SHIPEDGE_ROOT}/orders/{number}",
                params={"identify_by": "order_number"},
                headers=shipedge,
            )
        )
    for answer in answers:
        assert answer.status_code == 200, answer.text
    return " ".join(answer.text for answer in answers)
