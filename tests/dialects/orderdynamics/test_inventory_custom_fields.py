"""Custom fields of item location inventories (one SKU at one location), end to end via HTTP."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from orderyard.store.tables import attributes
from tests.dialects.event_walk import expecting_no_event
from tests.dialects.orderdynamics.test_custom_fields import define, problem
from tests.factories import Factory
from tests.services.checks import count_rows

PATH = "/v1/inventory/customfields"
FACING = {
    "OwnerType": "ItemLocationInventory",
    "SystemName": "Facing",
    "DataType": "List",
    "IsRequired": True,
    "AllowedValues": ["Front", "Back"],
}
MIN_DISPLAY = {
    "OwnerType": "itemlocationinventory",
    "SystemName": "MinDisplay",
    "DataType": "Integer",
}
AISLE = {"OwnerType": "ItemLocationInventory", "SystemName": "Aisle", "DataType": "Text"}


def entry(sku: str, location: str, *fields: tuple[str, Any]) -> dict[str, Any]:
    return {
        "Sku": sku,
        "LocationInternalName": location,
        "CustomFields": [{"Name": name, "Value": value} for name, value in fields],
    }


def record(sku: str, location: str, *fields: tuple[str, str]) -> dict[str, Any]:
    """The wire record of one item location's values."""
    return {
        "Sku": sku,
        "LocationInternalName": location,
        "CustomFields": [{"Name": name, "Value": value} for name, value in fields],
    }


async def stored(make: Factory) -> list[tuple[str, str, str]]:
    """(owner_type, name, value) of the account's attributes, by owner then name."""
    async with make.uow() as uow:
        rows = await uow.conn.execute(
            select(attributes.c.owner_type, attributes.c.name, attributes.c.value)
            .where(attributes.c.account_id == make.account_id)
            .order_by(attributes.c.owner_type, attributes.c.owner_id, attributes.c.name)
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def written(make: Factory) -> dict[str, int]:
    """How many rows the tables a PUT could touch hold for the account."""
    tables = ("attributes", "item_locations", "events", "stock_levels", "inventory_movements")
    return {table: await count_rows(make, table) for table in tables}


@pytest.fixture
async def place(make: Factory, od: httpx.AsyncClient) -> None:
    """WH1 holds A-1; WH2 holds nothing; B-2 is stocked nowhere; three fields are defined."""
    await make.location("WH1")
    await make.location("WH2")
    await make.item("A-1")
    await make.item("B-2")
    await make.stock("WH1", "A-1", 5)
    await define(od, FACING, MIN_DISPLAY, AISLE)


@pytest.mark.usefixtures("place")
class TestGoodPaths:
    async def test_values_put_are_answered_and_read_back_per_sku_and_location(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        body = {
            "Items": [
                entry("A-1", "WH1", ("Facing", "Front"), ("MinDisplay", "+04")),
                entry("A-1", "WH2", ("MinDisplay", 2), ("Aisle", "  12 ")),
            ]
        }

        response = await od.put(PATH, json=body)

        assert response.status_code == 200, response.text
        wh1 = record("A-1", "WH1", ("Facing", "Front"), ("MinDisplay", "4"))
        wh2 = record("A-1", "WH2", ("Aisle", "12"), ("MinDisplay", "2"))
        assert response.json() == {"Items": [wh1, wh2]}
        got = await od.get(PATH, params={"sku": "A-1", "locationInternalName": "WH2"})
        assert got.status_code == 200, got.text
        assert got.json() == wh2
        assert await stored(make) == [
            ("item_location", "Facing", "Front"),
            ("item_location", "MinDisplay", "4"),
            ("item_location", "Aisle", "12"),
            ("item_location", "MinDisplay", "2"),
        ]

    async def test_a_pair_without_stock_takes_values_and_no_stock_level_or_movement_is_made(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        before = await written(make)

        response = await od.put(PATH, json={"Items": [entry("B-2", "WH2", ("Aisle", "7"))]})

        assert response.status_code == 200, response.text
        after = await written(make)
        assert after == {
            **before,
            "attributes": 1,
            "item_locations": 1,
            "events": before["events"] + 1,
        }
        onhand = await od.get(
            "/v1/inventory/onhand", params={"locationInternalNames": "WH2", "skus": "B-2"}
        )
        assert onhand.json()["Items"] == [
            {"Sku": "B-2", "LocationInternalName": "WH2", "Quantity": 0}
        ]

    async def test_a_value_replaces_null_clears_and_fields_not_named_stay(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        first = entry("A-1", "WH1", ("Facing", "Front"), ("MinDisplay", 3), ("Aisle", "9"))
        await od.put(PATH, json={"Items": [first]})

        response = await od.put(
            PATH,
            json={"Items": [entry("A-1", "WH1", ("Facing", "Back"), ("MinDisplay", None))]},
        )

        assert response.status_code == 200, response.text
        assert response.json()["Items"] == [
            record("A-1", "WH1", ("Aisle", "9"), ("Facing", "Back"))
        ]
        assert await stored(make) == [
            ("item_location", "Aisle", "9"),
            ("item_location", "Facing", "Back"),
        ]

    async def test_a_pair_never_given_values_reads_as_an_empty_list(
        self, od: httpx.AsyncClient
    ) -> None:
        stocked = await od.get(PATH, params={"SKU": "A-1", "LOCATIONINTERNALNAME": "WH1"})
        unstocked = await od.get(PATH, params={"sku": "B-2", "locationinternalname": "WH2"})

        assert stocked.status_code == 200, stocked.text
        assert stocked.json() == record("A-1", "WH1")
        assert unstocked.json() == record("B-2", "WH2")

    async def test_properties_match_in_any_case_and_a_pair_named_twice_takes_the_later_value(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        body = {
            "items": [
                {"SKU": "A-1", "locationinternalname": "WH1",
                 "customfields": [{"NAME": "Aisle", "value": "1"}]},
                {"sku": "A-1", "LocationInternalName": "WH1", "CustomFields": [
                    {"name": "Aisle", "VALUE": "2"}, {"Name": "MinDisplay", "Value": 1}]},
            ]
        }  # fmt: skip

        response = await od.put(PATH, json=body)

        assert response.status_code == 200, response.text
        assert response.json() == {
            "Items": [record("A-1", "WH1", ("Aisle", "2"), ("MinDisplay", "1"))]
        }
        assert await count_rows(make, "item_locations") == 1

    async def test_clearing_a_pair_that_never_had_values_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        before = await written(make)

        with expecting_no_event():
            response = await od.put(
                PATH, json={"Items": [entry("B-2", "WH1", ("Aisle", None)), entry("B-2", "WH2")]}
            )

        assert response.status_code == 200, response.text
        assert response.json() == {"Items": [record("B-2", "WH1"), record("B-2", "WH2")]}
        assert await written(make) == before

    async def test_location_and_item_location_fields_are_kept_apart(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await define(od, {**AISLE, "OwnerType": "InventoryLocation"})
        await od.put(
            "/v1/inventorylocations/customfields",
            json={"Items": [{"LocationInternalName": "WH1", "CustomFields": [
                {"Name": "Aisle", "Value": "location's"}]}]},
        )  # fmt: skip
        await od.put(PATH, json={"Items": [entry("A-1", "WH1", ("Aisle", "item's"))]})

        item_location = await od.get(PATH, params={"sku": "A-1", "locationInternalName": "WH1"})
        location = await od.get(
            "/v1/inventorylocations/customfields", params={"locationInternalNames": "WH1"}
        )

        assert item_location.json() == record("A-1", "WH1", ("Aisle", "item's"))
        assert location.json()["Items"] == [
            {
                "LocationInternalName": "WH1",
                "CustomFields": [{"Name": "Aisle", "Value": "location's"}],
            }
        ]

    async def test_the_owner_type_is_listed_by_its_word_in_any_case(
        self, od: httpx.AsyncClient
    ) -> None:
        listed = await od.get("/v1/customfieldmetadata/ITEMLOCATIONINVENTORY")

        assert listed.status_code == 200, listed.text
        assert [(f["OwnerType"], f["SystemName"]) for f in listed.json()["Items"]] == [
            ("ItemLocationInventory", "Aisle"),
            ("ItemLocationInventory", "Facing"),
            ("ItemLocationInventory", "MinDisplay"),
        ]


@pytest.mark.usefixtures("place")
class TestRefusedPuts:
    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ((("Facing", "Side"),), "Items[1].CustomFields[0].Value", "does not allow 'Side'"),
            ((("MinDisplay", "two"),), "Items[1].CustomFields[0].Value", "must be an integer"),
            ((("MinDisplay", 1.5),), "Items[1].CustomFields[0].Value", "must be an integer"),
            ((("MinDisplay", True),), "Items[1].CustomFields[0].Value", "must be an integer"),
            ((("Facing", None),), "Items[1].CustomFields[0].Value", "'Facing' is required"),
            ((("Colour", "red"),), "Items[1].CustomFields[0].Name", "'Colour' is not defined"),
            (
                (("Aisle", "1"), ("Aisle", "2")),
                "Items[1].CustomFields[1].Name",
                "'Aisle' is given twice",
            ),
        ],
    )
    async def test_a_refused_value_is_a_400_naming_it_and_nothing_is_written(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        fields: tuple[tuple[str, Any], ...],
        field: str,
        message: str,
    ) -> None:
        await od.put(PATH, json={"Items": [entry("A-1", "WH1", ("Facing", "Front"))]})
        before = (await written(make), await stored(make))
        body = {"Items": [entry("A-1", "WH1", ("Facing", "Back")), entry("B-2", "WH2", *fields)]}

        response = await od.put(PATH, json=body)

        [(named, [said])] = problem(response, 400)["errors"].items()
        assert named == field
        assert message in said
        assert (await written(make), await stored(make)) == before

    async def test_a_field_of_another_owner_type_is_not_defined_here(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await define(od, {**AISLE, "SystemName": "Zone", "OwnerType": "InventoryLocation"})

        response = await od.put(PATH, json={"Items": [entry("A-1", "WH1", ("Zone", "A"))]})

        assert problem(response, 400)["errors"] == {
            "Items[0].CustomFields[0].Name": ["custom field 'Zone' is not defined"]
        }
        assert await count_rows(make, "item_locations") == 0

    @pytest.mark.parametrize(
        ("sku", "location", "field", "message"),
        [
            ("NOPE", "WH1", "Items[1].Sku", "unknown SKU 'NOPE'"),
            ("A-1", "WH9", "Items[1].LocationInternalName", "unknown location 'WH9'"),
        ],
    )
    async def test_an_unknown_sku_or_location_is_a_400_naming_it_and_nothing_is_written(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        sku: str,
        location: str,
        field: str,
        message: str,
    ) -> None:
        before = await written(make)
        body = {"Items": [entry("B-2", "WH2", ("Aisle", "1")), entry(sku, location)]}

        response = await od.put(PATH, json=body)

        assert problem(response, 400)["errors"] == {field: [message]}
        assert await written(make) == before

    async def test_another_accounts_location_or_sku_is_unknown_and_nothing_is_written(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        own_key = od.headers["Ocp-Apim-Subscription-Key"]
        od.headers["Ocp-Apim-Subscription-Key"] = other_key
        await define(od, AISLE)
        await od.post("/v1/inventorylocations", json={"InternalName": "OWN", "Name": "Own"})
        foreign_sku = await od.put(PATH, json={"Items": [entry("A-1", "OWN", ("Aisle", "1"))]})
        od.headers["Ocp-Apim-Subscription-Key"] = own_key

        foreign_location = await od.put(PATH, json={"Items": [entry("A-1", "OWN", ("Aisle", "1"))]})

        assert problem(foreign_sku, 400)["errors"] == {"Items[0].Sku": ["unknown SKU 'A-1'"]}
        assert problem(foreign_location, 400)["errors"] == {
            "Items[0].LocationInternalName": ["unknown location 'OWN'"]
        }
        assert await stored(make) == []
        assert await count_rows(make, "item_locations") == 0

    async def test_a_deleted_location_is_unknown(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.delete("/v1/inventorylocations", params={"locationInternalName": "WH2"})

        response = await od.put(PATH, json={"Items": [entry("B-2", "WH2", ("Aisle", "1"))]})

        assert problem(response, 400)["errors"] == {
            "Items[0].LocationInternalName": ["unknown location 'WH2'"]
        }
        assert await count_rows(make, "item_locations") == 0

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "Items"),
            ({"Items": []}, "Items"),
            ({"Items": [{"LocationInternalName": "WH1", "CustomFields": []}]}, "Items[0].Sku"),
            ({"Items": [{"Sku": "A-1", "CustomFields": []}]}, "Items[0].LocationInternalName"),
            ({"Items": [{"Sku": "A-1", "LocationInternalName": "WH1"}]}, "Items[0].CustomFields"),
            ({"Items": [{**entry("A-1", "WH1"), "Sku": " "}]}, "Items[0].Sku"),
            ({"Items": [entry("A-1", "WH1", ("Aisle", ["x"]))]}, "Items[0].CustomFields[0].Value"),
            ({"Items": [entry("A-1", "WH1", ("", "x"))]}, "Items[0].CustomFields[0].Name"),
            ({"Items": [entry("A-1", "WH1")] * 1001}, "Items"),
        ],
    )
    async def test_a_malformed_body_is_a_400_naming_the_field_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, body: dict[str, Any], field: str
    ) -> None:
        before = await written(make)

        response = await od.put(PATH, json=body)

        errors = problem(response, 400)["errors"]
        assert errors
        assert all(name == field or name.startswith(f"{field}.") for name in errors), errors
        assert await written(make) == before


@pytest.mark.usefixtures("place")
class TestRefusedGets:
    @pytest.mark.parametrize(
        ("params", "errors"),
        [
            ({"locationInternalName": "WH1"}, {"sku": ["sku: is required."]}),
            (
                {"sku": "A-1"},
                {"locationInternalName": ["locationInternalName: is required."]},
            ),
            (
                {},
                {
                    "sku": ["sku: is required."],
                    "locationInternalName": ["locationInternalName: is required."],
                },
            ),
        ],
    )
    async def test_a_missing_parameter_is_a_400_naming_it(
        self, od: httpx.AsyncClient, params: dict[str, str], errors: dict[str, list[str]]
    ) -> None:
        response = await od.get(PATH, params=params)

        assert problem(response, 400)["errors"] == errors

    async def test_an_empty_parameter_is_a_400_naming_it(self, od: httpx.AsyncClient) -> None:
        response = await od.get(PATH, params={"sku": "", "locationInternalName": "WH1"})

        assert list(problem(response, 400)["errors"]) == ["sku"]

    @pytest.mark.parametrize(
        ("sku", "location", "detail"),
        [
            ("NOPE", "WH1", "SKU 'NOPE' not found"),
            ("A-1", "WH9", "location 'WH9' not found"),
        ],
    )
    async def test_an_unknown_sku_or_location_is_a_404(
        self, od: httpx.AsyncClient, sku: str, location: str, detail: str
    ) -> None:
        response = await od.get(PATH, params={"sku": sku, "locationInternalName": location})

        body = problem(response, 404)
        assert body["detail"] == detail
        assert "errors" not in body

    async def test_another_accounts_location_or_sku_answers_like_a_missing_one(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        own_key = od.headers["Ocp-Apim-Subscription-Key"]
        od.headers["Ocp-Apim-Subscription-Key"] = other_key
        await od.post("/v1/inventorylocations", json={"InternalName": "OWN", "Name": "Own"})
        foreign_sku = await od.get(PATH, params={"sku": "A-1", "locationInternalName": "OWN"})
        od.headers["Ocp-Apim-Subscription-Key"] = own_key

        foreign_location = await od.get(PATH, params={"sku": "A-1", "locationInternalName": "OWN"})

        assert problem(foreign_sku, 404)["detail"] == "SKU 'A-1' not found"
        assert problem(foreign_location, 404)["detail"] == "location 'OWN' not found"

    async def test_a_deleted_location_is_a_404_though_its_values_stay(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await od.put(PATH, json={"Items": [entry("B-2", "WH2", ("Aisle", "1"))]})
        await od.delete("/v1/inventorylocations", params={"locationInternalName": "WH2"})

        response = await od.get(PATH, params={"sku": "B-2", "locationInternalName": "WH2"})

        assert problem(response, 404)["detail"] == "location 'WH2' not found"
        assert await stored(make) == [("item_location", "Aisle", "1")]
