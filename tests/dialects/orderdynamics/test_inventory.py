"""Physical inventory visibility, end to end through HTTP, and what ShipEdge sees of it."""

from typing import Any

import httpx
import pytest

from orderyard.app import SHIPEDGE_ROOT
from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.services.account import NewAccount
from tests.dialects.orderdynamics.test_locations import problem
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level, load_order


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """WH1 (priority 1): A-1 10 (2 ordered), B-2 4; WH2: A-1 3; kit K-1 = 2 x A-1."""
    await make.location("WH1", priority=1)
    await make.location("WH2", priority=2)
    await make.item("A-1")
    await make.item("B-2")
    await make.kit("K-1", ("A-1", 2))
    await make.stock("WH1", "A-1", 10)
    await make.stock("WH2", "A-1", 3)
    await make.stock("WH1", "B-2", 4)
    await make.order(("A-1", 2))
    return make


def rows(response: httpx.Response) -> list[tuple[str, str, int]]:
    assert response.status_code == 200, response.text
    return [(r["Sku"], r["LocationInternalName"], r["Quantity"]) for r in response.json()["Items"]]


def counts(*items: tuple[str, str, Any]) -> dict[str, Any]:
    return {
        "Items": [
            {"Sku": sku, "LocationInternalName": location, "Quantity": quantity}
            for sku, location, quantity in items
        ]
    }


class TestFigures:
    async def test_available_answers_a_page_of_rows_sku_by_sku_then_location(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await od.get(
            "/v1/inventory/available",
            params={"locationInternalNames": "WH2,WH1", "skus": "B-2,A-1"},
        )

        assert response.status_code == 200, response.text
        assert response.json() == {
            "PageNumber": 1,
            "PageSize": 20,
            "TotalCount": 4,
            "TotalPages": 1,
            "Items": [
                {"Sku": "A-1", "LocationInternalName": "WH1", "Quantity": 8},
                {"Sku": "A-1", "LocationInternalName": "WH2", "Quantity": 3},
                {"Sku": "B-2", "LocationInternalName": "WH1", "Quantity": 4},
                {"Sku": "B-2", "LocationInternalName": "WH2", "Quantity": 0},
            ],
        }

    @pytest.mark.parametrize(
        ("figure", "wh1", "wh2"),
        [("allocated", 2, 0), ("onhand", 10, 3), ("reserved", 0, 0), ("available", 8, 3)],
    )
    async def test_each_figure_has_its_own_endpoint(
        self, od: httpx.AsyncClient, stocked: Factory, figure: str, wh1: int, wh2: int
    ) -> None:
        response = await od.get(
            f"/v1/inventory/{figure}", params={"locationInternalNames": "WH1,WH2", "skus": "A-1"}
        )

        assert rows(response) == [("A-1", "WH1", wh1), ("A-1", "WH2", wh2)]

    async def test_without_skus_every_sku_is_listed_and_a_kit_shows_what_its_parts_allow(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await od.get("/v1/INVENTORY/Available?LOCATIONINTERNALNAMES=WH1,WH2")

        assert rows(response) == [
            ("A-1", "WH1", 8),
            ("A-1", "WH2", 3),
            ("B-2", "WH1", 4),
            ("B-2", "WH2", 0),
            ("K-1", "WH1", 4),
            ("K-1", "WH2", 1),
        ]

    async def test_pages_cut_across_skus(self, od: httpx.AsyncClient, stocked: Factory) -> None:
        response = await od.get(
            "/v1/inventory/onhand",
            params={"locationInternalNames": "WH1,WH2", "pageSize": 3, "pageNumber": 2},
        )

        assert rows(response) == [("B-2", "WH2", 0), ("K-1", "WH1", 5), ("K-1", "WH2", 1)]
        body = response.json()
        assert (body["PageNumber"], body["PageSize"], body["TotalCount"], body["TotalPages"]) == (
            2,
            3,
            6,
            2,
        )

    async def test_a_page_past_the_end_is_empty(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await od.get(
            "/v1/inventory/onhand", params={"locationInternalNames": "WH1", "pageNumber": 9}
        )

        assert rows(response) == []
        assert response.json()["TotalCount"] == 3

    async def test_location_names_are_required(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = problem(await od.get("/v1/inventory/allocated?skus=A-1"), 400)

        assert body["errors"] == {"locationInternalNames": ["locationInternalNames: is required."]}

    async def test_blank_location_names_are_refused(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        body = problem(await od.get("/v1/inventory/allocated?locationInternalNames=,"), 400)

        assert body["errors"] == {"locationInternalNames": ["at least one location is required"]}

    async def test_unknown_locations_are_named_all_in_one_400(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await od.get(
            "/v1/inventory/available", params={"locationInternalNames": "WH1,NOPE,GONE"}
        )

        body = problem(response, 400)
        assert body["errors"] == {"locationInternalNames": ["unknown locations 'GONE', 'NOPE'"]}

    async def test_another_accounts_location_answers_like_a_missing_one(
        self, od: httpx.AsyncClient, stocked: Factory, other_key: str
    ) -> None:
        created = await od.post(
            "/v1/inventorylocations",
            json={"InternalName": "THEIRS", "Name": "Theirs"},
            headers={"Ocp-Apim-Subscription-Key": other_key},
        )
        assert created.status_code == 201, created.text

        response = await od.get("/v1/inventory/onhand?locationInternalNames=THEIRS")

        body = problem(response, 400)
        assert body["errors"] == {"locationInternalNames": ["unknown location 'THEIRS'"]}

    async def test_unknown_skus_are_named(self, od: httpx.AsyncClient, stocked: Factory) -> None:
        response = await od.get(
            "/v1/inventory/reserved", params={"locationInternalNames": "WH1", "skus": "A-1,ZZ"}
        )

        assert problem(response, 400)["errors"] == {"skus": ["unknown SKU 'ZZ'"]}

    @pytest.mark.parametrize("params", [{"pageSize": 0}, {"pageNumber": "x"}])
    async def test_bad_paging_is_a_400(
        self, od: httpx.AsyncClient, stocked: Factory, params: dict[str, Any]
    ) -> None:
        response = await od.get(
            "/v1/inventory/onhand", params={"locationInternalNames": "WH1", **params}
        )

        assert set(problem(response, 400)["errors"]) == set(params)


class TestOverall:
    async def test_overall_rows_carry_every_figure(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await od.get(
            "/v1/inventory/overall", params={"locationInternalNames": "WH1", "skus": "A-1"}
        )

        assert response.status_code == 200, response.text
        assert response.json()["Items"] == [
            {
                "Sku": "A-1",
                "LocationInternalName": "WH1",
                "OnHand": 10,
                "Allocated": 2,
                "Reserved": 0,
                "SafetyStock": 0,
                "Available": 8,
            }
        ]

    @pytest.mark.parametrize(("word", "quantity"), [("OnHand", 10), ("allocated", 2)])
    async def test_a_type_selects_one_figure_in_any_case(
        self, od: httpx.AsyncClient, stocked: Factory, word: str, quantity: int
    ) -> None:
        response = await od.get(
            "/v1/inventory/overall",
            params={"locationInternalNames": "WH1", "skus": "A-1", "type": word},
        )

        assert rows(response) == [("A-1", "WH1", quantity)]

    async def test_an_unknown_type_is_a_400(self, od: httpx.AsyncClient, stocked: Factory) -> None:
        response = await od.get(
            "/v1/inventory/overall", params={"locationInternalNames": "WH1", "type": "Lost"}
        )

        assert list(problem(response, 400)["errors"]) == ["type"]


class TestTotals:
    async def test_totals_sum_every_location_and_a_kit_follows_its_parts(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        response = await od.get("/v1/inventory/totals", params={"skus": "K-1,A-1,B-2"})

        assert response.status_code == 200, response.text
        figures = ("OnHand", "Allocated", "Reserved", "SafetyStock", "Available")
        assert [(r["Sku"], *(r[f] for f in figures)) for r in response.json()["Items"]] == [
            ("A-1", 13, 2, 0, 0, 11),
            ("B-2", 4, 0, 0, 0, 4),
            ("K-1", 6, 0, 0, 0, 5),
        ]

    async def test_a_type_selects_one_total(self, od: httpx.AsyncClient, stocked: Factory) -> None:
        response = await od.get("/v1/inventory/totals?skus=A-1&type=AVAILABLE")

        assert response.status_code == 200, response.text
        assert response.json()["Items"] == [{"Sku": "A-1", "Quantity": 11}]

    @pytest.mark.parametrize(
        ("query", "field", "message"),
        [
            ("", "skus", "skus: is required."),
            ("?skus=A-1,NOPE", "skus", "unknown SKU 'NOPE'"),
            ("?skus=,", "skus", "at least one SKU is required"),
        ],
    )
    async def test_skus_are_required_and_must_exist(
        self, od: httpx.AsyncClient, stocked: Factory, query: str, field: str, message: str
    ) -> None:
        body = problem(await od.get(f"/v1/inventory/totals{query}"), 400)

        assert body["errors"] == {field: [message]}


class TestStoreAvailable:
    async def test_one_store_shows_its_available_units(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        created = await od.post("/v1/storelocations", json={"InternalName": "ST1", "Name": "Shop"})
        assert created.status_code == 201, created.text
        await stocked.stock("ST1", "B-2", 6)

        response = await od.get("/v1/inventory/stores/available?storeInternalName=ST1&skus=B-2")

        assert rows(response) == [("B-2", "ST1", 6)]

    async def test_a_location_that_is_not_a_store_answers_like_a_missing_one(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        for name in ("WH1", "NOPE"):
            response = await od.get(f"/v1/inventory/stores/available?storeInternalName={name}")

            body = problem(response, 404)
            assert body["detail"] == f"location {name!r} not found among the stores"

    async def test_the_store_is_required(self, od: httpx.AsyncClient, stocked: Factory) -> None:
        body = problem(await od.get("/v1/inventory/stores/available"), 400)

        assert body["errors"] == {"storeInternalName": ["storeInternalName: is required."]}


class TestSetOnHand:
    async def test_counts_are_set_recorded_and_answered_with_what_they_changed(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        before = len(await ledger(stocked))
        body = {
            "items": [
                {"sku": "A-1", "locationinternalname": "WH2", "QUANTITY": 7},
                {"Sku": "B-2", "LocationInternalName": "WH2", "Quantity": 5},
                {"Sku": "B-2", "LocationInternalName": "WH1", "Quantity": 4},
            ]
        }

        response = await od.put("/v1/inventory/onhand", json=body)

        assert response.status_code == 200, response.text
        assert response.json() == {
            "Rows": 3,
            "Changed": 2,
            "OrdersAllocated": 0,
            "OrdersReleased": 0,
        }
        assert await level(stocked, "WH2", "A-1") == (7, 0)
        assert await level(stocked, "WH2", "B-2") == (5, 0)
        added = (await ledger(stocked))[before:]
        assert sorted((m.on_hand_delta, m.reason) for m in added) == [
            (4, MovementReason.on_hand_set),
            (5, MovementReason.on_hand_set),
        ]
        await assert_ledger_balances(stocked)

    async def test_raised_stock_goes_to_waiting_orders(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        waiting = await stocked.order(("B-2", 6))

        response = await od.put("/v1/inventory/onhand", json=counts(("B-2", "WH2", 2)))

        assert response.json()["OrdersAllocated"] == 1
        assert (await load_order(stocked, waiting.order_id)).lines[0].allocated == 6

    async def test_a_count_below_what_is_allocated_releases_the_newest_allocations(
        self, od: httpx.AsyncClient, stocked: Factory
    ) -> None:
        """WH1 holds 2 A-1 for the first order and 8 for a newer one; a count of 4 takes 6
        back from the newer order, which WH2's 3 units partly make up."""
        newer = await stocked.order(("A-1", 8))

        response = await od.put("/v1/inventory/onhand", json=counts(("A-1", "WH1", 4)))

        assert response.status_code == 200, response.text
        assert response.json() == {
            "Rows": 1,
            "Changed": 1,
            "OrdersAllocated": 1,
            "OrdersReleased": 1,
        }
        allocated = await od.get(
            "/v1/inventory/allocated", params={"locationInternalNames": "WH1,WH2", "skus": "A-1"}
        )
        assert rows(allocated) == [("A-1", "WH1", 4), ("A-1", "WH2", 3)]
        order = await load_order(stocked, newer.order_id)
        assert (order.lines[0].allocated, order.status) == (5, OrderStatus.partially_allocated)
        await assert_ledger_balances(stocked)

    @pytest.mark.parametrize(
        ("bad", "field", "message"),
        [
            (("NOPE", "WH1", 1), "Items[1].Sku", "unknown SKU 'NOPE'"),
            (("A-1", "NOPE", 1), "Items[1].LocationInternalName", "unknown location 'NOPE'"),
            (("B-2", "WH2", -1), "Items[1].Quantity", None),
            (("B-2", "WH2", 1.5), "Items[1].Quantity", None),
            (("B-2", "WH2", "3"), "Items[1].Quantity", None),
            (("A-1", "WH2", 1), "Items[1].Sku", "WH2/A-1 already set in Items[0]"),
        ],
        ids=["unknown sku", "unknown location", "negative", "fraction", "text", "repeated"],
    )
    async def test_a_bad_row_is_named_and_nothing_is_written(
        self,
        od: httpx.AsyncClient,
        stocked: Factory,
        bad: tuple[str, str, Any],
        field: str,
        message: str | None,
    ) -> None:
        before = await ledger(stocked)

        response = await od.put("/v1/inventory/onhand", json=counts(("A-1", "WH2", 9), bad))

        body = problem(response, 400)
        assert list(body["errors"]) == [field]
        if message is not None:
            assert body["errors"][field] == [message]
        assert await ledger(stocked) == before
        assert await level(stocked, "WH2", "A-1") == (3, 0)

    @pytest.mark.parametrize(
        ("payload", "field"),
        [({}, "Items"), ({"Items": []}, "Items"), ({"Items": [{"Sku": "A-1"}]}, "Items[0]")],
        ids=["no items", "empty items", "missing fields"],
    )
    async def test_a_body_without_rows_is_refused(
        self, od: httpx.AsyncClient, stocked: Factory, payload: dict[str, Any], field: str
    ) -> None:
        before = await ledger(stocked)

        body = problem(await od.put("/v1/inventory/onhand", json=payload), 400)

        assert all(name.startswith(field) for name in body["errors"]), body
        assert await ledger(stocked) == before

    async def test_another_accounts_location_is_unknown(
        self, od: httpx.AsyncClient, stocked: Factory, other_key: str
    ) -> None:
        other = {"Ocp-Apim-Subscription-Key": other_key}
        await od.post("/v1/inventorylocations", json={"InternalName": "THEIRS"}, headers=other)
        before = await ledger(stocked)

        response = await od.put("/v1/inventory/onhand", json=counts(("A-1", "THEIRS", 5)))

        body = problem(response, 400)
        assert body["errors"] == {"Items[0].LocationInternalName": ["unknown location 'THEIRS'"]}
        assert await ledger(stocked) == before


class TestAcrossDialects:
    async def test_counts_set_here_are_what_shipedge_shows_and_allocates(
        self, od: httpx.AsyncClient, stocked: Factory, account: NewAccount
    ) -> None:
        shipedge = {"AccountID": str(account.account_id), "Key": account.key}
        put = await od.put("/v1/inventory/onhand", json=counts(("B-2", "WH2", 5)))
        assert put.status_code == 200, put.text

        stock = await od.get(f"{SHIPEDGE_ROOT}/inventory/stock?sku=B-2", headers=shipedge)
        [view] = stock.json()["data"]
        assert [
            (dc["distribution_center"], dc["on_hand"], dc["available"])
            for dc in view["distribution_centers"]
        ] == [("WH1", 4, 4), ("WH2", 5, 5)]

        placed = await od.post(
            f"{SHIPEDGE_ROOT}/orders",
            json={"data": [order_body("SE-1", ("B-2", 7))]},
            headers=shipedge,
        )
        assert placed.status_code == 200, placed.text
        allocated = await od.get(
            "/v1/inventory/allocated", params={"locationInternalNames": "WH1,WH2", "skus": "B-2"}
        )
        assert rows(allocated) == [("B-2", "WH1", 4), ("B-2", "WH2", 3)]
        available = await od.get(
            "/v1/inventory/available", params={"locationInternalNames": "WH1,WH2", "skus": "B-2"}
        )
        assert rows(available) == [("B-2", "WH1", 0), ("B-2", "WH2", 2)]
