"""Site pricing: a SKU's price per sales channel, end to end through HTTP."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from orderyard.kit.clock import TestClock
from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows

PATH = "/v1/items/SitePricing"


def price(channel: str = "Web", **fields: Any) -> dict[str, Any]:
    return {"Sku": "A-1", "Channel": channel, "ListPrice": 59.99, "CurrencyCode": "CAD", **fields}


@pytest.fixture
async def catalog(make: Factory) -> None:
    """Item A-1 and the channels Web and Store."""
    await make.item("A-1")
    await make.channel("Web")
    await make.channel("Store")


@pytest.mark.usefixtures("catalog")
class TestUpdate:
    async def test_a_price_with_a_running_sale_answers_the_sale_price_as_current(
        self, od: httpx.AsyncClient, clock: TestClock
    ) -> None:
        start = clock.now - timedelta(days=1)
        end = clock.now + timedelta(days=1)
        body = price(
            SalePrice=39.99,
            SaleStartDateTimeUtc=start.isoformat(),
            SaleEndDateTimeUtc=end.isoformat(),
        )

        response = await od.put(PATH, json=body)

        assert response.status_code == 200, response.text
        answered = response.json()
        assert answered.pop("LastUpdatedDateTimeUtc").endswith("Z")
        assert answered.pop("SaleStartDateTimeUtc").startswith(start.strftime("%Y-%m-%dT%H:%M"))
        assert answered.pop("SaleEndDateTimeUtc").startswith(end.strftime("%Y-%m-%dT%H:%M"))
        assert answered == {
            "Sku": "A-1",
            "Channel": "Web",
            "ListPrice": 59.99,
            "SalePrice": 39.99,
            "CurrencyCode": "CAD",
            "CurrentPrice": 39.99,
            "IsOnSale": True,
        }

    async def test_a_second_put_replaces_the_price_whole(self, od: httpx.AsyncClient) -> None:
        await od.put(PATH, json=price(SalePrice=10))

        response = await od.put(PATH, json=price(ListPrice=50))

        body = response.json()
        assert (body["ListPrice"], body["SalePrice"], body["CurrentPrice"]) == (50, None, 50)

    async def test_setting_a_price_marks_the_sku_changed(
        self, od: httpx.AsyncClient, clock: TestClock
    ) -> None:
        before = clock.now
        clock.advance(timedelta(minutes=5))

        await od.put(PATH, json=price())

        changed = await od.get(
            "/v1/items/Skus", params={"LastUpdatedDateTimeUtcAfter": before.isoformat()}
        )
        assert changed.json()["Items"] == ["A-1"]

    async def test_a_sale_that_ends_before_it_starts_is_a_400_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        body = price(
            SalePrice=5,
            SaleStartDateTimeUtc="2026-12-10T00:00:00Z",
            SaleEndDateTimeUtc="2026-12-09T00:00:00Z",
        )

        response = await od.put(PATH, json=body)

        assert problem(response, 400)["errors"] == {
            "SaleEndDateTimeUtc": ["the sale must end after it starts"]
        }
        assert await count_rows(make, "item_prices") == 0

    @pytest.mark.parametrize(
        ("fields", "named"),
        [
            ({"ListPrice": None}, "ListPrice"),
            ({"ListPrice": "cheap"}, "ListPrice"),
            ({"SalePrice": -1}, "SalePrice"),
            ({"CurrencyCode": "DOLLARS"}, "CurrencyCode"),
            ({"CurrencyCode": "cad"}, "CurrencyCode"),
            ({"SaleStartDateTimeUtc": "2026-12-10T00:00:00"}, "SaleStartDateTimeUtc"),
            ({"SaleEndDateTimeUtc": "2026-12-10T00:00:00Z"}, "SalePrice"),
            ({"Channel": "Nowhere"}, "Channel"),
            ({"Channel": None}, "Channel"),
        ],
    )
    async def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, fields: dict[str, Any], named: str
    ) -> None:
        response = await od.put(PATH, json=price(**fields))

        assert named in problem(response, 400)["errors"]
        assert await count_rows(make, "item_prices") == 0

    async def test_an_unknown_or_foreign_sku_is_a_404(
        self, od: httpx.AsyncClient, other_key: str, make: Factory
    ) -> None:
        missing = await od.put(PATH, json=price(Sku="NOPE"))
        foreign = await od.put(PATH, json=price(), headers={"Ocp-Apim-Subscription-Key": other_key})

        problem(missing, 404)
        assert problem(foreign, 404)["detail"] == "SKU 'A-1' not found"
        assert await count_rows(make, "item_prices") == 0


@pytest.mark.usefixtures("catalog")
class TestGet:
    async def test_every_channel_by_channel_or_as_sorted(self, od: httpx.AsyncClient) -> None:
        await od.put(PATH, json=price("Web", ListPrice=30))
        await od.put(PATH, json=price("Store", ListPrice=20))

        by_channel = await od.get(PATH, params={"Sku": "A-1"})
        by_price = await od.get(
            PATH, params={"sku": "A-1", "SortByColumn": "listprice", "Ascending": "false"}
        )
        one = await od.get(PATH, params={"Sku": "A-1", "Channel": "Store"})

        assert [p["Channel"] for p in by_channel.json()["Items"]] == ["Store", "Web"]
        assert [p["ListPrice"] for p in by_price.json()["Items"]] == [30, 20]
        assert [p["ListPrice"] for p in one.json()["Items"]] == [20]

    async def test_a_sale_outside_its_window_is_not_current(
        self, od: httpx.AsyncClient, clock: TestClock
    ) -> None:
        end = clock.now + timedelta(hours=1)
        await od.put(PATH, json=price(SalePrice=9, SaleEndDateTimeUtc=end.isoformat()))

        clock.advance(timedelta(hours=1))
        response = await od.get(PATH, params={"Sku": "A-1"})

        [found] = response.json()["Items"]
        assert (found["CurrentPrice"], found["IsOnSale"]) == (59.99, False)

    async def test_unknown_sku_sort_or_channel_are_refused(self, od: httpx.AsyncClient) -> None:
        sku = await od.get(PATH, params={"Sku": "NOPE"})
        sort = await od.get(PATH, params={"Sku": "A-1", "SortByColumn": "Colour"})
        channel = await od.get(PATH, params={"Sku": "A-1", "Channel": "Nowhere"})

        problem(sku, 404)
        assert "SortByColumn" in problem(sort, 400)["errors"]
        assert "Channel" in problem(channel, 400)["errors"]


@pytest.mark.usefixtures("catalog")
class TestDelete:
    async def test_one_channel_or_every_channel(self, od: httpx.AsyncClient, make: Factory) -> None:
        await od.put(PATH, json=price("Web"))
        await od.put(PATH, json=price("Store"))

        one = await od.delete(PATH, params={"Sku": "A-1", "Channel": "Web"})
        assert one.status_code == 204, one.text
        assert await count_rows(make, "item_prices") == 1
        rest = await od.delete(PATH, params={"Sku": "A-1"})
        assert rest.status_code == 204, rest.text
        assert await count_rows(make, "item_prices") == 0

    async def test_nothing_to_delete_is_a_404(self, od: httpx.AsyncClient) -> None:
        response = await od.delete(PATH, params={"Sku": "A-1", "Channel": "Web"})

        assert problem(response, 404)["detail"] == "SKU 'A-1' has no price on channel 'Web'"

    async def test_another_accounts_sku_is_a_404_and_its_price_stays(
        self, od: httpx.AsyncClient, other_key: str, make: Factory
    ) -> None:
        await od.put(PATH, json=price())

        response = await od.delete(
            PATH, params={"Sku": "A-1"}, headers={"Ocp-Apim-Subscription-Key": other_key}
        )

        problem(response, 404)
        assert await count_rows(make, "item_prices") == 1
