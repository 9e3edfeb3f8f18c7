"""OrderDynamics custom fields of orders and lines: on create, on get, and their PUT paths."""

from typing import Any

import httpx
import pytest

from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_orders import order_body, stocked
from tests.factories import Factory
from tests.services.checks import count_rows, level

SHIPEDGE = "/apirest/v4/oms"
GIFT = {"Name": "Gift", "Value": True}


async def define(od: httpx.AsyncClient, owner: str, name: str, data_type: str, **more: Any) -> None:
    body = {"OwnerType": owner, "SystemName": name, "DataType": data_type, **more}
    response = await od.post("/v1/customfieldmetadata", json=body)
    assert response.status_code == 201, response.text


@pytest.fixture
async def defined(od: httpx.AsyncClient, make: Factory) -> None:
    """SKU-1 in stock at DC-1; Order fields Priority (List) and Ref (Text);
    OrderLineItem fields Gift (Boolean) and Engraving (Text)."""
    await stocked(make)
    await define(od, "Order", "Priority", "List", AllowedValues=["High", "Low"])
    await define(od, "Order", "Ref", "Text")
    await define(od, "OrderLineItem", "Gift", "Boolean")
    await define(od, "orderlineitem", "Engraving", "Text")


def line(**more: Any) -> dict[str, Any]:
    return {"ExternalOrderDetailId": "L-1", "Sku": "SKU-1", "Quantity": 2, **more}


def fields(answer: dict[str, Any]) -> tuple[list[Any], list[list[Any]]]:
    return answer["CustomFields"], [d["CustomFields"] for d in answer["OrderDetails"]]


async def nothing_written(make: Factory) -> None:
    assert await count_rows(make, "orders") == 0
    assert await count_rows(make, "attributes") == 0
    assert await level(make, "DC-1", "SKU-1") == (5, 0)


class TestCreate:
    async def test_fields_of_the_order_and_its_lines_are_stored_and_answered(
        self, od: httpx.AsyncClient, make: Factory, defined: None
    ) -> None:
        body = order_body(
            "EXT-1",
            line(CustomFields=[GIFT, {"Name": "Engraving", "Value": "J+S"}]),
            CustomFields=[{"Name": "Priority", "Value": "High"}, {"Name": "Ref", "Value": "x"}],
        )

        response = await od.post("/v1/orders", json=body)

        assert response.status_code == 201, response.text
        expected = (
            [{"Name": "Priority", "Value": "High"}, {"Name": "Ref", "Value": "x"}],
            [[{"Name": "Engraving", "Value": "J+S"}, {"Name": "Gift", "Value": "true"}]],
        )
        assert fields(response.json()) == expected
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})
        assert fields(got.json()) == expected
        assert await level(make, "DC-1", "SKU-1") == (5, 2)

    async def test_an_order_without_fields_answers_empty_lists(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        await define(od, "Order", "Ref", "Text")

        response = await od.post("/v1/orders", json=order_body())

        assert response.status_code == 201, response.text
        assert fields(response.json()) == ([], [[]])

    @pytest.mark.parametrize(
        ("given", "field"),
        [
            ([{"Name": "Ref", "Value": "x"}], "CustomFields"),
            ([{"Name": "Must", "Value": None}], "CustomFields[0].Value"),
        ],
    )
    async def test_a_required_field_left_out_or_null_is_a_400_and_nothing_is_written(
        self, od: httpx.AsyncClient, make: Factory, defined: None, given: list[Any], field: str
    ) -> None:
        await define(od, "Order", "Must", "Text", IsRequired=True)

        response = await od.post("/v1/orders", json=order_body(CustomFields=given))

        assert response.status_code == 400
        assert response.json()["errors"] == {field: ["custom field 'Must' is required"]}
        await nothing_written(make)

    @pytest.mark.parametrize(
        ("owner", "body", "field"),
        [
            ("OrderLineItem", {}, "OrderDetails[0].CustomFields"),
            (
                "OrderPayment",
                {"Payments": [{"PaymentMethod": "Offline", "Amount": 1}]},
                "Payments[0].CustomFields",
            ),
        ],
    )
    async def test_a_required_field_of_a_line_or_payment_left_out_is_a_400(
        self, od: httpx.AsyncClient, make: Factory, owner: str, body: dict[str, Any], field: str
    ) -> None:
        await stocked(make)
        await define(od, owner, "Must", "Text", IsRequired=True)

        response = await od.post("/v1/orders", json=order_body(**body))

        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]
        await nothing_written(make)

    async def test_a_shipedge_order_cannot_say_required_fields_and_is_not_refused(
        self, make: Factory, defined: None
    ) -> None:
        outcome = await make.order(("SKU-1", 1), number="SE-1")

        assert outcome.error is None

    async def test_a_kit_lines_fields_go_to_each_component(
        self, od: httpx.AsyncClient, make: Factory, defined: None
    ) -> None:
        await make.item("SKU-2")
        await make.kit("KIT-1", ("SKU-1", 1), ("SKU-2", 1))
        body = order_body("EXT-K", line(Sku="KIT-1", Quantity=1, CustomFields=[GIFT]))

        response = await od.post("/v1/orders", json=body)

        assert response.status_code == 201, response.text
        assert fields(response.json())[1] == [[{"Name": "Gift", "Value": "true"}]] * 2

    @pytest.mark.parametrize(
        ("extra", "detail_fields", "field", "message"),
        [
            ([{"Name": "Colour", "Value": "x"}], [], "CustomFields[0].Name", "is not defined"),
            ([{"Name": "Priority", "Value": "Mid"}], [], "CustomFields[0].Value", "not allow"),
            (
                [],
                [GIFT, {"Name": "Gift", "Value": 1}],
                "OrderDetails[0].CustomFields[1].Name",
                "twice",
            ),
            (
                [],
                [{"Name": "Gift", "Value": "maybe"}],
                "OrderDetails[0].CustomFields[0].Value",
                "true or false",
            ),
            (
                [],
                [{"Name": "Ref", "Value": "x"}],
                "OrderDetails[0].CustomFields[0].Name",
                "not defined",
            ),
        ],
    )
    async def test_a_refused_field_is_a_400_naming_it_and_nothing_is_written(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        defined: None,
        extra: list[Any],
        detail_fields: list[Any],
        field: str,
        message: str,
    ) -> None:
        body = order_body("EXT-1", line(CustomFields=detail_fields), CustomFields=extra)

        response = await od.post("/v1/orders", json=body)

        assert response.status_code == 400, response.text
        [(name, [text])] = response.json()["errors"].items()
        assert name == field
        assert message in text
        await nothing_written(make)


async def created(od: httpx.AsyncClient, make: Factory) -> dict[str, Any]:
    """EXT-1: a line L-1 of SKU-1 and a kit line K of SKU-1 and SKU-2."""
    await make.item("SKU-2")
    await make.kit("KIT-1", ("SKU-1", 1), ("SKU-2", 1))
    body = order_body("EXT-1", line(), line(ExternalOrderDetailId="K", Sku="KIT-1", Quantity=1))
    response = await od.post("/v1/orders", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


class TestPut:
    async def test_order_fields_are_set_by_either_id_and_cleared_by_null(
        self, od: httpx.AsyncClient, make: Factory, defined: None
    ) -> None:
        order = await created(od, make)
        first = {"ExternalOrderId": "EXT-1", "CustomFields": [{"Name": "Ref", "Value": "a"}]}
        second = {
            "InternalOrderId": order["InternalOrderId"],
            "CustomFields": [{"Name": "Ref", "Value": None}, {"Name": "Priority", "Value": "Low"}],
        }

        one = await od.put("/v1/orders/CustomFields", json=first)
        two = await od.put("/v1/orders/CustomFields", json=second)

        assert one.status_code == 200, one.text
        assert one.json()["CustomFields"] == [{"Name": "Ref", "Value": "a"}]
        assert two.json()["CustomFields"] == [{"Name": "Priority", "Value": "Low"}]
        assert await count_rows(make, "events") >= 2

    async def test_line_fields_are_set_by_detail_id_or_client_line_id(
        self, od: httpx.AsyncClient, make: Factory, defined: None
    ) -> None:
        order = await created(od, make)
        first_line = order["OrderDetails"][0]["OrderDetailId"]
        body = {
            "ExternalOrderId": "EXT-1",
            "LineItems": [
                {
                    "OrderDetailId": first_line,
                    "CustomFields": [{"Name": "Engraving", "Value": "A"}],
                },
                {"ExternalOrderDetailId": "K", "CustomFields": [GIFT]},
            ],
        }

        response = await od.put("/v1/orders/LineItems/CustomFields", json=body)

        assert response.status_code == 200, response.text
        assert fields(response.json())[1] == [
            [{"Name": "Engraving", "Value": "A"}],
            [{"Name": "Gift", "Value": "true"}],
            [{"Name": "Gift", "Value": "true"}],
        ]

    @pytest.mark.parametrize(
        ("item", "field"),
        [
            ({"OrderDetailId": 999999, "CustomFields": [GIFT]}, "LineItems[1].OrderDetailId"),
            (
                {"ExternalOrderDetailId": "Z", "CustomFields": [GIFT]},
                "LineItems[1].ExternalOrderDetailId",
            ),
            ({"CustomFields": [GIFT]}, "LineItems[1].OrderDetailId"),
            (
                {
                    "ExternalOrderDetailId": "K",
                    "CustomFields": [{"Name": "Gift", "Value": "no way"}],
                },
                "LineItems[1].CustomFields[0].Value",
            ),
        ],
    )
    async def test_a_refused_line_write_is_a_400_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, defined: None, item: dict[str, Any], field: str
    ) -> None:
        await created(od, make)
        events = await count_rows(make, "events")
        good = {"ExternalOrderDetailId": "L-1", "CustomFields": [GIFT]}
        body = {"ExternalOrderId": "EXT-1", "LineItems": [good, item]}

        response = await od.put("/v1/orders/LineItems/CustomFields", json=body)

        assert response.status_code == 400, response.text
        assert list(response.json()["errors"]) == [field]
        assert await count_rows(make, "attributes") == 0
        assert await count_rows(make, "events") == events

    async def test_an_unknown_mismatched_or_foreign_order_is_a_404(
        self, od: httpx.AsyncClient, make: Factory, defined: None, other_key: str
    ) -> None:
        order = await created(od, make)
        values = {"CustomFields": [{"Name": "Ref", "Value": "a"}]}
        unknown = {"ExternalOrderId": "NOPE", **values}
        mismatched = {
            "ExternalOrderId": "NOPE",
            "InternalOrderId": order["InternalOrderId"],
            **values,
        }

        for body in (unknown, mismatched):
            response = await od.put("/v1/orders/CustomFields", json=body)
            assert response.status_code == 404, response.text
        foreign = await od.put(
            "/v1/orders/CustomFields",
            json={"ExternalOrderId": "EXT-1", **values},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        assert foreign.status_code == 404, foreign.text
        assert await count_rows(make, "attributes") == 0

    async def test_an_undefined_field_or_no_order_id_is_a_400(
        self, od: httpx.AsyncClient, make: Factory, defined: None
    ) -> None:
        await created(od, make)

        undefined = await od.put(
            "/v1/orders/CustomFields",
            json={"ExternalOrderId": "EXT-1", "CustomFields": [{"Name": "Gift", "Value": True}]},
        )
        no_id = await od.put("/v1/orders/CustomFields", json={"CustomFields": []})

        assert undefined.status_code == 400
        assert list(undefined.json()["errors"]) == ["CustomFields[0].Name"]
        assert no_id.status_code == 400
        assert list(no_id.json()["errors"]) == ["InternalOrderId"]
        assert await count_rows(make, "attributes") == 0


class TestAcrossDialects:
    async def test_an_order_field_set_here_is_a_shipedge_attribute_and_the_reverse(
        self, od: httpx.AsyncClient, make: Factory, account: NewAccount, defined: None
    ) -> None:
        order = await created(od, make)
        shipedge = {"AccountID": str(account.account_id), "Key": account.key}
        path = f"{SHIPEDGE}/attributes/order/{order['InternalOrderId']}"
        await od.put(
            "/v1/orders/CustomFields",
            json={"ExternalOrderId": "EXT-1", "CustomFields": [{"Name": "Ref", "Value": "a"}]},
        )

        listed = await od.get(path, headers=shipedge)
        added = await od.post(
            path, json={"data": [{"attribute": "Note", "value": "from ShipEdge"}]}, headers=shipedge
        )
        got = await od.get("/v1/orders", params={"ExternalOrderId": "EXT-1"})

        assert [(a["attribute"], a["value"]) for a in listed.json()["data"]] == [("Ref", "a")]
        assert added.status_code == 200, added.text
        assert got.json()["CustomFields"] == [
            {"Name": "Note", "Value": "from ShipEdge"},
            {"Name": "Ref", "Value": "a"},
        ]
