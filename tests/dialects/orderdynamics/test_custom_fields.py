"""Custom field metadata and inventory locations' custom fields, end to end through HTTP."""

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from orderyard.store.tables import attributes
from tests.factories import Factory
from tests.services.checks import count_rows

PROBLEM = "application/problem+json"
ZONE = {
    "OwnerType": "InventoryLocation",
    "SystemName": "Zone",
    "DisplayName": "Pick zone",
    "DataType": "List",
    "IsRequired": True,
    "AllowedValues": ["A", "B"],
}
DOCK = {"OwnerType": "InventoryLocation", "SystemName": "DockDoors", "DataType": "Integer"}


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["traceId"] == response.headers["x-trace-id"]
    return body


async def define(od: httpx.AsyncClient, *bodies: dict[str, Any]) -> None:
    for body in bodies:
        response = await od.post("/v1/customfieldmetadata", json=body)
        assert response.status_code == 201, response.text


async def stored(make: Factory) -> list[tuple[str, str, str]]:
    """(owner_type, name, value) of the account's attributes."""
    async with make.uow() as uow:
        rows = await uow.conn.execute(
            select(attributes.c.owner_type, attributes.c.name, attributes.c.value)
            .where(attributes.c.account_id == make.account_id)
            .order_by(attributes.c.owner_id, attributes.c.name)
        )
        return [(row[0], row[1], row[2]) for row in rows]


def put(*items: tuple[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {"Items": [{"LocationInternalName": n, "CustomFields": f} for n, f in items]}


class TestMetadata:
    async def test_a_defined_field_answers_201_and_is_listed_by_owner_type(
        self, od: httpx.AsyncClient
    ) -> None:
        response = await od.post("/v1/customfieldmetadata", json=ZONE)

        assert response.status_code == 201, response.text
        body = response.json()
        assert body.pop("CreatedDateTimeUtc").endswith("Z")
        assert body == ZONE
        await define(od, DOCK)
        listed = await od.get("/v1/customFieldMetadata/inventorylocation")
        assert listed.status_code == 200, listed.text
        page = listed.json()
        assert [f["SystemName"] for f in page["Items"]] == ["DockDoors", "Zone"]
        assert page["Items"][0]["DisplayName"] == "DockDoors"
        assert page["Items"][0]["AllowedValues"] == []
        assert {k: page[k] for k in ("PageNumber", "PageSize", "TotalCount", "TotalPages")} == {
            "PageNumber": 1,
            "PageSize": 20,
            "TotalCount": 2,
            "TotalPages": 1,
        }

    async def test_system_names_answer_their_metadata_in_the_order_named(
        self, od: httpx.AsyncClient
    ) -> None:
        await define(od, ZONE, DOCK)

        response = await od.get(
            "/v1/customfieldmetadata/",
            params={"ownertype": "InventoryLocation", "systemnames": "DockDoors, Nope,Zone"},
        )

        assert response.status_code == 200, response.text
        body = response.json()
        assert [f["SystemName"] for f in body["Items"]] == ["DockDoors", "Zone"]
        assert body["TotalCount"] == 2

    async def test_owner_types_keep_their_fields_apart(self, od: httpx.AsyncClient) -> None:
        await define(od, ZONE, {**ZONE, "OwnerType": "item"})

        items = await od.get("/v1/customfieldmetadata/Item")

        assert [f["OwnerType"] for f in items.json()["Items"]] == ["Item"]

    async def test_a_system_name_defined_twice_is_a_409(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await define(od, ZONE)

        response = await od.post("/v1/customfieldmetadata", json={**ZONE, "DisplayName": "Other"})

        body = problem(response, 409)
        assert body["errors"] == {
            "SystemName": ["custom field 'Zone' is already defined for location"]
        }
        assert await count_rows(make, "custom_fields") == 1

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"DataType": "Colour"}, "DataType"),
            ({"OwnerType": "Planet"}, "OwnerType"),
            ({"SystemName": ""}, "SystemName"),
            ({"AllowedValues": []}, "AllowedValues"),
            ({"DataType": "Text"}, "AllowedValues"),
            ({"AllowedValues": ["A", "A"]}, "AllowedValues[1]"),
            ({"IsRequired": "perhaps"}, "IsRequired"),
        ],
    )
    async def test_a_bad_definition_is_a_400_naming_its_field_and_writes_nothing(
        self, od: httpx.AsyncClient, make: Factory, changes: dict[str, Any], field: str
    ) -> None:
        response = await od.post("/v1/customfieldmetadata", json={**ZONE, **changes})

        assert list(problem(response, 400)["errors"]) == [field]
        assert await count_rows(make, "custom_fields") == 0

    async def test_an_unknown_owner_type_or_missing_parameter_is_a_400(
        self, od: httpx.AsyncClient
    ) -> None:
        unknown = await od.get("/v1/customfieldmetadata/planet")
        missing = await od.get("/v1/customfieldmetadata", params={"OwnerType": "Item"})

        assert list(problem(unknown, 400)["errors"]) == ["ownerType"]
        assert problem(missing, 400)["errors"] == {"SystemNames": ["SystemNames: is required."]}

    async def test_deleting_metadata_answers_204_then_404(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await define(od, ZONE)
        query = {"OwnerType": "InventoryLocation", "SystemName": "Zone"}

        first = await od.delete("/v1/customfieldmetadata", params=query)
        second = await od.delete("/v1/customfieldmetadata", params=query)

        assert first.status_code == 204, first.text
        problem(second, 404)
        assert await count_rows(make, "custom_fields") == 0

    async def test_another_accounts_metadata_is_not_seen(
        self, od: httpx.AsyncClient, other_key: str
    ) -> None:
        await define(od, ZONE)
        od.headers["Ocp-Apim-Subscription-Key"] = other_key

        listed = await od.get("/v1/customfieldmetadata/InventoryLocation")
        deleted = await od.delete(
            "/v1/customfieldmetadata",
            params={"OwnerType": "InventoryLocation", "SystemName": "Zone"},
        )

        assert listed.json()["Items"] == []
        problem(deleted, 404)


class TestLocationCustomFields:
    async def test_values_put_are_read_back_for_the_named_locations(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        await make.location("WH2")
        await define(od, ZONE, DOCK)

        response = await od.put(
            "/v1/inventorylocations/customfields",
            json=put(
                ("WH1", [{"Name": "Zone", "Value": "A"}, {"name": "DockDoors", "value": 4}]),
                ("WH2", [{"Name": "DockDoors", "Value": "+07"}]),
            ),
        )

        assert response.status_code == 200, response.text
        wh1 = {
            "LocationInternalName": "WH1",
            "CustomFields": [{"Name": "DockDoors", "Value": "4"}, {"Name": "Zone", "Value": "A"}],
        }
        wh2 = {"LocationInternalName": "WH2", "CustomFields": [{"Name": "DockDoors", "Value": "7"}]}
        assert response.json() == {"Items": [wh1, wh2]}
        got = await od.get(
            "/v1/inventorylocations/customfields",
            params={"locationInternalNames": "WH2,WH1", "pageSize": 1, "pageNumber": 2},
        )
        assert got.status_code == 200, got.text
        assert got.json() == {
            "PageNumber": 2,
            "PageSize": 1,
            "TotalCount": 2,
            "TotalPages": 2,
            "Items": [wh1],
        }
        assert await stored(make) == [
            ("location", "DockDoors", "4"),
            ("location", "Zone", "A"),
            ("location", "DockDoors", "7"),
        ]

    async def test_a_value_replaces_the_old_one_and_null_clears_an_optional_field(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        await define(od, ZONE, DOCK)
        first: list[dict[str, Any]] = [
            {"Name": "Zone", "Value": "A"},
            {"Name": "DockDoors", "Value": 2},
        ]
        await od.put("/v1/inventorylocations/customfields", json=put(("WH1", first)))

        second: list[dict[str, Any]] = [
            {"Name": "Zone", "Value": "B"},
            {"Name": "DockDoors", "Value": None},
        ]
        response = await od.put("/v1/inventorylocations/customfields", json=put(("WH1", second)))

        assert response.status_code == 200, response.text
        assert await stored(make) == [("location", "Zone", "B")]

    async def test_a_location_without_values_answers_an_empty_list(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")

        response = await od.get(
            "/v1/inventorylocations/customfields", params={"locationinternalnames": "WH1"}
        )

        assert response.json()["Items"] == [{"LocationInternalName": "WH1", "CustomFields": []}]

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            (
                [{"Name": "Zone", "Value": "C"}],
                "Items[1].CustomFields[0].Value",
                "does not allow 'C'",
            ),
            ([{"Name": "DockDoors", "Value": "two"}], "Items[1].CustomFields[0].Value", "integer"),
            ([{"Name": "DockDoors", "Value": 1.5}], "Items[1].CustomFields[0].Value", "integer"),
            ([{"Name": "Zone", "Value": None}], "Items[1].CustomFields[0].Value", "is required"),
            ([{"Name": "Colour", "Value": "red"}], "Items[1].CustomFields[0].Name", "not defined"),
            (
                [{"Name": "Zone", "Value": "A"}, {"Name": "Zone", "Value": "B"}],
                "Items[1].CustomFields[1].Name",
                "given twice",
            ),
        ],
    )
    async def test_a_refused_value_is_a_400_naming_it_and_nothing_is_written(
        self,
        od: httpx.AsyncClient,
        make: Factory,
        fields: list[dict[str, Any]],
        field: str,
        message: str,
    ) -> None:
        await make.location("WH1")
        await make.location("WH2")
        await define(od, ZONE, DOCK)
        good = [{"Name": "Zone", "Value": "A"}]

        response = await od.put(
            "/v1/inventorylocations/customfields", json=put(("WH1", good), ("WH2", fields))
        )

        [(named, [said])] = problem(response, 400)["errors"].items()
        assert named == field
        assert message in said
        assert await stored(make) == []

    async def test_an_unknown_location_is_a_400_naming_it_and_nothing_is_written(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        await define(od, ZONE)
        fields = [{"Name": "Zone", "Value": "A"}]

        response = await od.put(
            "/v1/inventorylocations/customfields", json=put(("WH1", fields), ("NOPE", fields))
        )

        assert problem(response, 400)["errors"] == {
            "Items[1].LocationInternalName": ["location 'NOPE' does not exist"]
        }
        assert await stored(make) == []

    async def test_another_accounts_location_answers_like_a_missing_one(
        self, od: httpx.AsyncClient, make: Factory, other_key: str
    ) -> None:
        await make.location("WH1")
        await define(od, ZONE)
        od.headers["Ocp-Apim-Subscription-Key"] = other_key
        await define(od, ZONE)

        written = await od.put(
            "/v1/inventorylocations/customfields",
            json=put(("WH1", [{"Name": "Zone", "Value": "A"}])),
        )
        read = await od.get(
            "/v1/inventorylocations/customfields", params={"locationInternalNames": "WH1"}
        )

        assert problem(written, 400)["errors"] == {
            "Items[0].LocationInternalName": ["location 'WH1' does not exist"]
        }
        assert problem(read, 400)["errors"] == {
            "locationInternalNames": ["location 'WH1' does not exist"]
        }
        assert await stored(make) == []

    async def test_a_deleted_location_is_unknown(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.location("WH1")
        assert (
            await od.delete("/v1/inventorylocations", params={"locationInternalName": "WH1"})
        ).status_code == 204

        response = await od.get(
            "/v1/inventorylocations/customfields", params={"locationInternalNames": "WH1"}
        )

        problem(response, 400)

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({}, "locationInternalNames"),
            ({"locationInternalNames": " , "}, "locationInternalNames"),
            (
                {"locationInternalNames": ",".join(f"L{n}" for n in range(1001))},
                "locationInternalNames",
            ),
            ({"locationInternalNames": "WH1", "pageSize": "0"}, "pageSize"),
        ],
    )
    async def test_bad_get_parameters_are_a_400_naming_them(
        self, od: httpx.AsyncClient, make: Factory, params: dict[str, str], field: str
    ) -> None:
        await make.location("WH1")

        response = await od.get("/v1/inventorylocations/customfields", params=params)

        assert list(problem(response, 400)["errors"]) == [field]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "Items"),
            ({"Items": []}, "Items"),
            ({"Items": [{"CustomFields": []}]}, "Items[0].LocationInternalName"),
            ({"Items": [{"LocationInternalName": "WH1"}]}, "Items[0].CustomFields"),
        ],
    )
    async def test_a_malformed_put_is_a_400_naming_the_field(
        self, od: httpx.AsyncClient, make: Factory, body: dict[str, Any], field: str
    ) -> None:
        await make.location("WH1")

        response = await od.put("/v1/inventorylocations/customfields", json=body)

        assert list(problem(response, 400)["errors"]) == [field]
        assert await stored(make) == []
