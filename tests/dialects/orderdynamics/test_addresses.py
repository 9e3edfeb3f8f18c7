"""OrderDynamics Addresses API end to end: update, create/update a customer's, list."""

from typing import Any

import httpx

from orderyard.store.engine import Engines
from orderyard.store.tables import customer_addresses
from tests.dialects.orderdynamics.test_customers import HOME, count, create_customer, refused

PUT = "/v1/addresses/Customers"


async def put_address(od: httpx.AsyncClient, body: dict[str, Any], **params: Any) -> dict[str, Any]:
    response = await od.put(PUT, params={"ExternalCustomerId": "C-9", **params}, json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def book(od: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await od.get(PUT, params={"ExternalCustomerId": "C-9", **params})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["Items"]
    return items


class TestCreateOrUpdateACustomersAddress:
    async def test_an_address_is_created_with_its_type_and_flag_then_updated_by_its_id(
        self, od: httpx.AsyncClient
    ) -> None:
        await create_customer(od)

        created = await put_address(
            od,
            HOME,
            AddressType="Shipping",
            IsDefaultShippingAddress="true",
            ExternalShippingAddressId="A-1",
        )
        updated = await put_address(od, {"City": "Ottawa"}, ExternalShippingAddressId="A-1")

        assert created["ExternalAddressId"] == "A-1"
        assert (created["AddressType"], created["IsDefaultShippingAddress"]) == ("Shipping", True)
        assert updated["InternalAddressId"] == created["InternalAddressId"]
        assert (updated["City"], updated["AddressLine1"]) == ("Ottawa", "123 Bloor St")
        assert updated["IsDefaultShippingAddress"] is True

    async def test_flagging_another_default_unflags_the_first(self, od: httpx.AsyncClient) -> None:
        await create_customer(od)
        first = await put_address(od, HOME, IsDefaultShippingAddress="true")

        second = await put_address(
            od, {**HOME, "AddressLine1": "9 King St"}, IsDefaultShippingAddress="true"
        )

        flags = {a["InternalAddressId"]: a["IsDefaultShippingAddress"] for a in await book(od)}
        assert flags == {first["InternalAddressId"]: False, second["InternalAddressId"]: True}

    async def test_bad_writes_are_refused_naming_the_field_and_write_nothing(
        self, od: httpx.AsyncClient, engines: Engines, other_key: str
    ) -> None:
        await create_customer(od)
        await create_customer(od, ExternalCustomerId="C-2", Email="bob@shop.test")
        bobs = await put_address(
            od, HOME, ExternalCustomerId="C-2", ExternalShippingAddressId="B-1"
        )
        written = await count(engines, customer_addresses)

        refused(
            await od.put(
                PUT, params={"ExternalCustomerId": "C-9", "AddressType": "Home"}, json=HOME
            ),
            "AddressType",
        )
        refused(
            await od.put(
                PUT,
                params={
                    "ExternalCustomerId": "C-9",
                    "AddressType": "Billing",
                    "IsDefaultShippingAddress": "true",
                },
                json=HOME,
            ),
            "IsDefaultShippingAddress",
        )
        refused(
            await od.put(PUT, params={"ExternalCustomerId": "C-9"}, json={**HOME, "Email": "nope"}),
            "Email",
        )
        refused(
            await od.put(
                PUT, params={"ExternalCustomerId": "C-9"}, json={**HOME, "Latitude": "north"}
            ),
            "Latitude",
        )
        refused(
            await od.put(
                PUT,
                params={"ExternalCustomerId": "C-9", "ExternalShippingAddressId": "B-1"},
                json=HOME,
            ),
            "ExternalAddressId",
            409,
        )
        refused(
            await od.put(
                PUT,
                params={"ExternalCustomerId": "C-9", "InternalShippingAddressId": 999},
                json=HOME,
            ),
            "",
            404,
        )
        refused(await od.put(PUT, params={"ExternalCustomerId": "nobody"}, json=HOME), "", 404)
        refused(await od.put(PUT, json=HOME), "InternalCustomerId")
        foreign = await od.put(
            PUT,
            params={"InternalCustomerId": 1},
            json=HOME,
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        refused(foreign, "", 404)
        assert await count(engines, customer_addresses) == written
        assert (await book(od, ExternalCustomerId="C-2")) == [bobs]


class TestUpdateAnAddress:
    async def test_an_address_is_updated_by_either_id(self, od: httpx.AsyncClient) -> None:
        await create_customer(od)
        created = await put_address(od, HOME, ExternalShippingAddressId="A-1")

        by_internal = await od.put(
            "/v1/addresses",
            params={"InternalAddressId": created["InternalAddressId"]},
            json={"ZipCode": "M5V"},
        )
        by_external = await od.put(
            "/v1/addresses", params={"ExternalAddressId": "A-1"}, json={"AddressType": "Billing"}
        )

        assert by_internal.status_code == 200, by_internal.text
        assert by_internal.json()["ZipCode"] == "M5V"
        assert by_external.json()["AddressType"] == "Billing"
        assert by_external.json()["ZipCode"] == "M5V"

    async def test_unknown_foreign_or_unnamed_addresses_are_refused(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await create_customer(od)
        created = await put_address(od, HOME, IsDefaultShippingAddress="true")
        address = {"InternalAddressId": created["InternalAddressId"]}

        refused(await od.put("/v1/addresses", params={"InternalAddressId": 999}, json={}), "", 404)
        refused(await od.put("/v1/addresses", params={"ExternalAddressId": "Z"}, json={}), "", 404)
        refused(await od.put("/v1/addresses", json={"City": "X"}), "InternalAddressId")
        refused(
            await od.put(
                "/v1/addresses",
                params=address,
                json={"AddressType": "Billing", "IsDefaultShippingAddress": True},
            ),
            "IsDefaultShippingAddress",
        )
        foreign = await od.put(
            "/v1/addresses",
            params=address,
            json={"City": "X"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        refused(foreign, "", 404)
        assert (await book(od)) == [created]


class TestGetCustomerAddresses:
    async def test_a_customers_addresses_come_oldest_first_a_page_at_a_time(
        self, od: httpx.AsyncClient
    ) -> None:
        await create_customer(od)
        await create_customer(od, ExternalCustomerId="C-2", Email="bob@shop.test")
        made = [await put_address(od, {**HOME, "AddressLine1": f"{n} Bloor St"}) for n in (1, 2, 3)]
        await put_address(od, HOME, ExternalCustomerId="C-2")

        page = await od.get(
            PUT, params={"ExternalCustomerId": "C-9", "pageSize": 2, "pageNumber": 2}
        )
        one = await book(od, InternalAddressId=made[1]["InternalAddressId"])

        assert page.status_code == 200, page.text
        assert page.json()["TotalCount"] == 3
        assert page.json()["Items"] == [made[2]]
        assert one == [made[1]]

    async def test_bad_lookups_are_refused(self, od: httpx.AsyncClient) -> None:
        await create_customer(od)
        await create_customer(od, ExternalCustomerId="C-2", Email="bob@shop.test")
        bobs = await put_address(od, HOME, ExternalCustomerId="C-2")

        refused(await od.get(PUT, params={"UserId": "u1", "ExternalCustomerId": "C-9"}), "UserId")
        refused(await od.get(PUT), "InternalCustomerId")
        refused(await od.get(PUT, params={"ExternalCustomerId": "nobody"}), "", 404)
        refused(
            await od.get(
                PUT,
                params={
                    "ExternalCustomerId": "C-9",
                    "InternalAddressId": bobs["InternalAddressId"],
                },
            ),
            "",
            404,
        )
        refused(await od.get(PUT, params={"ExternalCustomerId": "C-9", "pageSize": 0}), "pageSize")
