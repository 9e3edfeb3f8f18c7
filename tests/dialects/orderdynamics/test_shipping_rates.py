"""Shipping Rates API (``/v1/shippingrates``): define, read, and quote an order, over HTTP."""

from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from orderyard.domain.catalog import ItemDetails
from orderyard.domain.values import Address
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services import location as location_service
from orderyard.services import order as order_service
from orderyard.services.location import Registry
from orderyard.services.order import LineInput, PlaceOrder
from orderyard.store.engine import Engines
from orderyard.store.tables import events
from orderyard.store.uow import SystemUnitOfWork
from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows

RATES = "/v1/shippingrates"
QUOTE = "/v1/shippingrates/order"
LOS_ANGELES = Address(
    first_name="Jane", line1="1 Main St", city="Los Angeles", region="ca",
    postal_code="90001", country_code="us",
)  # fmt: skip


def rate(name: str = "US-PICK", *tiers: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "BackendName": name,
        "ShippingMethod": "Pick",
        "CountryCode": "us",
        "CurrencyCode": "usd",
        "Tiers": list(tiers) or [{"MaxWeight": 10, "Price": 5}, {"MinWeight": 10, "Price": 12}],
        **fields,
    }


async def put(od: httpx.AsyncClient, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    response = await od.put(RATES, json=body)
    assert response.status_code == status, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def written(make: Factory) -> tuple[int, int, int]:
    """Rows of rates, of tiers, and events about shipping rates."""
    async with make.uow() as uow:
        found = await uow.conn.execute(
            select(func.count()).where(
                events.c.account_id == make.account_id, events.c.record_type == "shipping_rate"
            )
        )
    return (
        await count_rows(make, "shipping_rates"),
        await count_rows(make, "shipping_rate_tiers"),
        int(found.scalar_one()),
    )


@pytest.fixture
async def methods(make: Factory) -> Factory:
    """The account registers Pick (the fixture's) and Express."""
    await location_service.register_name(make.uow(), Registry.shipping_methods, "Express")
    return make


@pytest.fixture
async def their_key(engines: Engines) -> str:
    """The key of a second account, which registers Pick too."""
    other = await account_service.create_account(
        SystemUnitOfWork(engines.write), "Other", shipping_methods=("Pick",)
    )
    return other.key


async def weighing(make: Factory, sku: str, weight: str) -> None:
    details = ItemDetails(description=sku, weight=Decimal(weight))
    [made] = await catalog_service.create_items(
        make.uow(), [catalog_service.CreateItem(sku=sku, details=details)]
    )
    assert made.item is not None, made.error


async def ordered(make: Factory, number: str, *lines: LineInput, **fields: Any) -> int:
    command = PlaceOrder(
        order_number=number, lines=lines, shipping_method="Pick", address=LOS_ANGELES, **fields
    )
    [outcome] = await order_service.place_orders(make.uow(), [command])
    assert outcome.order_id is not None, outcome.error
    return outcome.order_id


class TestDefine:
    async def test_a_new_rate_is_created_with_201_and_its_tiers_by_lower_bound(
        self, od: httpx.AsyncClient, methods: Factory
    ) -> None:
        body = await put(
            od, rate("US-PICK", {"MinWeight": 10, "Price": 12}, {"MaxWeight": 10, "Price": "4.5"})
        )

        assert body.pop("CreatedDateTimeUtc") == body.pop("LastUpdatedDateTimeUtc")
        assert body == {
            "BackendName": "US-PICK",
            "DisplayName": "US-PICK",
            "ShippingMethod": "Pick",
            "CountryCode": "US",
            "State": "",
            "CurrencyCode": "USD",
            "Tiers": [
                {"MinWeight": 0.0, "MaxWeight": 10.0, "MinSubtotal": 0.0, "MaxSubtotal": None,
                 "Price": 4.5},
                {"MinWeight": 10.0, "MaxWeight": None, "MinSubtotal": 0.0, "MaxSubtotal": None,
                 "Price": 12.0},
            ],
        }  # fmt: skip

    async def test_the_same_backend_name_replaces_the_rate_and_its_tiers_with_200(
        self, od: httpx.AsyncClient, methods: Factory
    ) -> None:
        await put(od, rate())

        body = await put(
            od, rate("US-PICK", {"Price": 7}, ShippingMethod="Express", State="ny"), 200
        )

        assert (body["ShippingMethod"], body["State"], len(body["Tiers"])) == ("Express", "NY", 1)
        assert await written(methods) == (1, 1, 2)

    async def test_get_one_by_name_or_a_page_by_name(
        self, od: httpx.AsyncClient, methods: Factory
    ) -> None:
        for name in ("b", "A", "C"):
            await put(od, rate(name))

        one = await od.get(RATES, params={"backendname": "C"})
        page = (await od.get(RATES, params={"PageSize": 2, "PageNumber": 2})).json()

        assert one.json()["BackendName"] == "C"
        assert [r["BackendName"] for r in page["Items"]] == ["b"]
        assert (page["TotalCount"], page["TotalPages"]) == (3, 2)

    async def test_delete_removes_the_rate_and_its_tiers(
        self, od: httpx.AsyncClient, methods: Factory
    ) -> None:
        await put(od, rate())

        deleted = await od.delete(RATES, params={"BackendName": "US-PICK"})
        again = await od.delete(RATES, params={"BackendName": "US-PICK"})
        missing = await od.delete(RATES)

        assert deleted.status_code == 204
        assert problem(again, 404)["detail"] == "shipping rate 'US-PICK' not found"
        assert list(problem(missing, 400)["errors"]) == ["BackendName"]
        assert (await written(methods))[:2] == (0, 0)

    async def test_another_accounts_rate_is_not_found_nor_deleted(
        self, od: httpx.AsyncClient, methods: Factory, their_key: str
    ) -> None:
        theirs = {"Ocp-Apim-Subscription-Key": their_key}
        made = await od.put(RATES, json=rate("THEIRS"), headers=theirs)

        got = await od.get(RATES, params={"BackendName": "THEIRS"})
        deleted = await od.delete(RATES, params={"BackendName": "THEIRS"})

        assert made.status_code == 201
        assert (problem(got, 404)["status"], problem(deleted, 404)["status"]) == (404, 404)
        assert (await od.get(RATES, params={"BackendName": "THEIRS"}, headers=theirs)).is_success


BAD_BODIES = [
    pytest.param(rate(ShippingMethod="Drone"), "ShippingMethod", id="unregistered method"),
    pytest.param(rate(CountryCode="ZZ"), "CountryCode", id="unknown country"),
    pytest.param(rate(CurrencyCode="US$"), "CurrencyCode", id="bad currency"),
    pytest.param(
        rate("R", {"MinWeight": 5, "MaxWeight": 5, "Price": 1}),
        "Tiers[0].MaxWeight",
        id="empty weight range",
    ),
    pytest.param(
        rate("R", {"MinSubtotal": 50, "MaxSubtotal": 10, "Price": 1}),
        "Tiers[0].MaxSubtotal",
        id="subtotal range backwards",
    ),
    pytest.param(
        rate("R", {"MaxWeight": 10, "Price": 1}, {"MinWeight": 5, "MaxWeight": 20, "Price": 2}),
        "Tiers[1]",
        id="overlapping weights",
    ),
    pytest.param(
        rate("R", {"Price": 1}, {"MinSubtotal": 100, "Price": 0}),
        "Tiers[1]",
        id="a flat tier overlaps every other",
    ),
    pytest.param(rate("R", {"Price": -1}), "Tiers[0].Price", id="negative price"),
    pytest.param(rate("R", {"Price": "cheap"}), "Tiers[0].Price", id="price not a number"),
    pytest.param(rate("R", {"MaxWeight": 1}), "Tiers[0].Price", id="missing price"),
    pytest.param(rate(Tiers=[]), "Tiers", id="no tiers"),
    pytest.param(rate(Tiers={"Price": 1}), "Tiers", id="tiers not a list"),
    pytest.param(
        {"BackendName": "R", "CountryCode": "US", "CurrencyCode": "USD", "Tiers": [{"Price": 1}]},
        "ShippingMethod",
        id="missing method",
    ),
    pytest.param(rate(BackendName=None), "BackendName", id="null name"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
async def test_a_bad_body_is_a_400_naming_the_field_and_writes_nothing(
    od: httpx.AsyncClient, methods: Factory, body: dict[str, Any], field: str
) -> None:
    response = await od.put(RATES, json=body)

    assert list(problem(response, 400)["errors"]) == [field]
    assert await written(methods) == (0, 0, 0)


async def test_a_bad_replacement_keeps_the_old_rate_whole(
    od: httpx.AsyncClient, methods: Factory
) -> None:
    before = await put(od, rate())

    response = await od.put(RATES, json=rate("US-PICK", {"Price": 1}, {"MinWeight": 3, "Price": 2}))

    assert list(problem(response, 400)["errors"]) == ["Tiers[1]"]
    assert (await od.get(RATES, params={"BackendName": "US-PICK"})).json() == before


class TestOrderQuote:
    @pytest.fixture
    async def shop(self, od: httpx.AsyncClient, methods: Factory) -> Factory:
        """Two SKUs of 2.5 and 4 weight units; rates for Pick and Express to the US and CA."""
        await weighing(methods, "MUG", "2.5")
        await weighing(methods, "LAMP", "4")
        await put(
            od, rate("US-PICK", {"MaxWeight": 10, "Price": 5}, {"MinWeight": 10, "Price": 12})
        )
        await put(od, rate("CA-PICK", {"MaxWeight": 10, "Price": "6.5"},
                           {"MinWeight": 10, "Price": 9}, State="CA"))  # fmt: skip
        await put(od, rate("US-EXPRESS", {"MaxSubtotal": 100, "Price": 20},
                           {"MinSubtotal": 100, "Price": 0}, ShippingMethod="Express"))  # fmt: skip
        await put(od, rate("US-EUR", {"Price": 1}, CurrencyCode="EUR"))
        await put(od, rate("CA-ONLY", {"Price": 1}, CountryCode="CA"))
        return methods

    async def test_each_method_quotes_its_most_specific_rate_cheapest_first(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        order_id = await ordered(
            shop, "Q-1",
            LineInput("MUG", 2, Decimal(30), discount=Decimal(5)),
            LineInput("LAMP", 1, Decimal(80)),
        )  # fmt: skip

        response = await od.get(QUOTE, params={"InternalOrderId": order_id})

        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["TotalCount"], body["TotalPages"]) == (2, 1)
        assert [(q["BackendName"], q["ShippingMethod"], q["Price"]) for q in body["Items"]] == [
            ("US-EXPRESS", "Express", 0.0),
            ("CA-PICK", "Pick", 6.5),
        ]
        first = body["Items"][0]
        assert (first["InternalOrderId"], first["ExternalOrderId"]) == (order_id, "Q-1")
        assert (first["Weight"], first["SubTotal"], first["CurrencyCode"]) == (9.0, 135.0, "USD")
        assert first["Tier"] == {"MinWeight": 0.0, "MaxWeight": None, "MinSubtotal": 100.0,
                                 "MaxSubtotal": None, "Price": 0.0}  # fmt: skip

    async def test_cancelled_units_neither_weigh_nor_count(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        order_id = await ordered(
            shop, "Q-2", LineInput("LAMP", 3, Decimal(40), external_id="L1"),
            LineInput("MUG", 1, Decimal(99), external_id="L2"),
        )  # fmt: skip
        await order_service.cancel_order(
            shop.uow(),
            order_service.CancelOrder(
                order_service.OrderRef("id", order_id),
                lines=(
                    order_service.CancelLine(external_id="L1", quantity=1),
                    order_service.CancelLine(external_id="L2"),
                ),
            ),
        )

        body = (await od.get(QUOTE, params={"ExternalOrderId": "Q-2"})).json()

        seen = [
            (q["ShippingMethod"], q["Price"], q["Weight"], q["SubTotal"]) for q in body["Items"]
        ]
        assert seen == [("Pick", 6.5, 8.0, 80.0), ("Express", 20.0, 8.0, 80.0)]

    async def test_page_size_limits_the_quotes(self, od: httpx.AsyncClient, shop: Factory) -> None:
        order_id = await ordered(shop, "Q-3", LineInput("LAMP", 3, Decimal(40)))

        body = (await od.get(QUOTE, params={"InternalOrderId": order_id, "PageSize": 1})).json()

        assert [q["ShippingMethod"] for q in body["Items"]] == ["Express"]
        assert (body["TotalCount"], body["TotalPages"]) == (2, 2)

    async def test_an_order_no_rate_covers_has_no_quotes(
        self, od: httpx.AsyncClient, shop: Factory
    ) -> None:
        await ordered(shop, "Q-4", LineInput("MUG", 1, Decimal(1)), currency="CAD")

        body = (await od.get(QUOTE, params={"ExternalOrderId": "Q-4"})).json()

        assert (body["Items"], body["TotalCount"]) == ([], 0)

    async def test_unknown_foreign_or_mismatched_orders_are_404(
        self, od: httpx.AsyncClient, shop: Factory, their_key: str
    ) -> None:
        order_id = await ordered(shop, "Q-5", LineInput("MUG", 1, Decimal(1)))
        theirs = {"Ocp-Apim-Subscription-Key": their_key}
        await od.put(RATES, json=rate("US-ANY", {"Price": 1}), headers=theirs)

        unknown = await od.get(QUOTE, params={"ExternalOrderId": "NOPE"})
        foreign = await od.get(QUOTE, params={"InternalOrderId": order_id}, headers=theirs)
        mismatched = await od.get(
            QUOTE, params={"InternalOrderId": order_id, "ExternalOrderId": "Q-4"}
        )

        assert problem(unknown, 404)["detail"] == "order NOPE not found"
        assert problem(foreign, 404)["detail"] == f"order {order_id} not found"
        assert problem(mismatched, 404)["status"] == 404

    @pytest.mark.parametrize(
        ("params", "field"),
        [({}, "InternalOrderId"), ({"InternalOrderId": "x"}, "InternalOrderId"),
         ({"InternalOrderId": "1", "PageSize": "0"}, "pageSize")],
    )  # fmt: skip
    async def test_a_missing_or_malformed_order_id_is_a_400_naming_it(
        self, od: httpx.AsyncClient, shop: Factory, params: dict[str, str], field: str
    ) -> None:
        response = await od.get(QUOTE, params=params)

        assert list(problem(response, 400)["errors"]) == [field]
