from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.tables import attributes, serials
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory

LOT = [{"attribute": "lot", "value": "LOT-001"}]


async def stored_serials(engines: Engines) -> list[str]:
    async with engines.read.connect() as conn:
        return list((await conn.execute(select(serials.c.serial).order_by(serials.c.id))).scalars())


async def attribute_count(engines: Engines) -> int:
    async with engines.read.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(attributes))).scalar_one())


def serial_range(sku: str, start: str, end: str, attrs: Any = None) -> dict[str, Any]:
    return {
        "sku": sku,
        "serial_start": start,
        "serial_end": end,
        "attributes": LOT if attrs is None else attrs,
    }


class TestCreateSerials:
    async def test_the_seed_example_creates_three_serials(
        self, client: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await make.item("PROD-001")
        body = {"data": [{"sku": "PROD-001", "serials": ["SN001", "SN002", "SN003"]}]}

        response = await client.post("/serials/bulk", json=body)

        assert response.status_code == 200
        [result] = response.json()["data"]
        ids = result.pop("serial_ids")
        assert result == {
            "sku": "PROD-001",
            "created": 3,
            "serials": ["SN001", "SN002", "SN003"],
            "success": True,
            "message": None,
            "field": None,
        }
        assert len(ids) == 3
        assert await stored_serials(engines) == ["SN001", "SN002", "SN003"]

    async def test_surrounding_whitespace_is_trimmed(
        self, client: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await make.item("PROD-001")

        response = await client.post(
            "/serials/bulk", json={"data": [{"sku": "PROD-001", "serials": [" SN1 "]}]}
        )

        assert response.json()["data"][0]["serials"] == ["SN1"]
        assert await stored_serials(engines) == ["SN1"]

    async def test_a_failing_item_is_reported_beside_the_valid_ones(
        self, client: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await make.item("PROD-001")
        body = {
            "data": [
                {"sku": "PROD-001", "serials": ["SN1"]},
                {"sku": "NOPE", "serials": ["SN2"]},
                {"sku": "PROD-001", "serials": ["SN3", "SN1"]},
            ]
        }

        response = await client.post("/serials/bulk", json=body)

        assert response.status_code == 200
        results = response.json()["data"]
        assert [(r["success"], r["created"], r["field"]) for r in results] == [
            (True, 1, None),
            (False, 0, "data[1].sku"),
            (False, 0, "data[2].serials[1]"),
        ]
        assert results[1]["message"] == "unknown SKU 'NOPE'"
        assert results[2]["message"] == "serial 'SN1' already exists for SKU 'PROD-001'"
        assert (results[2]["serials"], results[2]["serial_ids"]) == ([], [])
        assert await stored_serials(engines) == ["SN1"]

    @pytest.mark.parametrize(
        ("_case", "serial_list", "field", "message"),
        [
            ("repeated", ["SN1", "SN1"], "data[0].serials[1]", "serial 'SN1' is given twice"),
            ("empty", ["SN1", ""], "data[0].serials[1]", "serials[1] must not be empty"),
            ("blank", ["  "], "data[0].serials[0]", "serials[0] must not be empty"),
            (
                "too long",
                ["S" * 101],
                "data[0].serials[0]",
                "serials[0] must be at most 100 characters (got 101)",
            ),
        ],
    )
    async def test_a_bad_serial_answers_400_naming_it_and_stores_none_of_the_item(
        self,
        client: httpx.AsyncClient,
        make: Factory,
        engines: Engines,
        _case: str,
        serial_list: list[str],
        field: str,
        message: str,
    ) -> None:
        await make.item("PROD-001")

        response = await client.post(
            "/serials/bulk", json={"data": [{"sku": "PROD-001", "serials": serial_list}]}
        )

        assert response.status_code == 400
        body = response.json()["response"]
        assert (body["success"], body["message"]) == (False, message)
        assert body["errors"] == [{"field": field, "message": message, "index": 0}]
        assert await stored_serials(engines) == []

    async def test_when_every_item_fails_the_answer_is_400_listing_each(
        self, client: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await make.item("PROD-001")
        await make.serials("PROD-001", "SN1")
        body = {
            "data": [{"sku": "NOPE", "serials": ["SN2"]}, {"sku": "PROD-001", "serials": ["SN1"]}]
        }

        response = await client.post("/serials/bulk", json=body)

        assert response.status_code == 400
        body = response.json()["response"]
        assert body["message"] == "all 2 items failed"
        assert [(e["index"], e["field"]) for e in body["errors"]] == [
            (0, "data[0].sku"),
            (1, "data[1].serials[0]"),
        ]
        assert await stored_serials(engines) == ["SN1"]

    @pytest.mark.parametrize(
        ("_case", "body", "field"),
        [
            ("no data", {}, "data"),
            ("empty data", {"data": []}, "data"),
            ("no sku", {"data": [{"serials": ["SN1"]}]}, "data[0].sku"),
            ("no serials", {"data": [{"sku": "PROD-001"}]}, "data[0].serials"),
            ("empty serials", {"data": [{"sku": "PROD-001", "serials": []}]}, "data[0].serials"),
            (
                "serials not a list",
                {"data": [{"sku": "PROD-001", "serials": "SN1"}]},
                "data[0].serials",
            ),
            (
                "number serial",
                {"data": [{"sku": "PROD-001", "serials": [5]}]},
                "data[0].serials[0]",
            ),
        ],
    )
    async def test_a_missing_or_malformed_field_answers_400_naming_it(
        self,
        client: httpx.AsyncClient,
        make: Factory,
        engines: Engines,
        _case: str,
        body: dict[str, Any],
        field: str,
    ) -> None:
        await make.item("PROD-001")

        response = await client.post("/serials/bulk", json=body)

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field
        assert await stored_serials(engines) == []

    async def test_a_sku_of_another_account_is_unknown(
        self, client: httpx.AsyncClient, engines: Engines
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        await Factory(engines, other.account_id).item("THEIRS")

        response = await client.post(
            "/serials/bulk", json={"data": [{"sku": "THEIRS", "serials": ["SN1"]}]}
        )

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == "data[0].sku"
        assert await stored_serials(engines) == []


class TestBatchAttributes:
    async def test_the_seed_example_sets_lot_on_the_serials_of_the_range(
        self, client: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.item("PROD-001")
        ids = await make.serials("PROD-001", "SN001", "SN002", "SN010", "SN1000", "XX005")
        body = {"data": [serial_range("PROD-001", "SN001", "SN100")]}

        response = await client.post("/serials/batch/attributes", json=body)

        assert response.status_code == 200
        assert response.json() == {
            "data": [
                {
                    "sku": "PROD-001",
                    "serials_updated": 3,
                    "success": True,
                    "message": None,
                    "field": None,
                }
            ]
        }
        for serial_id, expected in zip(ids, [["LOT-001"]] * 3 + [[], []], strict=True):
            listed = (await client.get(f"/attributes/serial/{serial_id}")).json()["data"]
            assert [a["value"] for a in listed] == expected

    async def test_setting_again_replaces_the_value(
        self, client: httpx.AsyncClient, make: Factory
    ) -> None:
        await make.item("PROD-001")
        [serial_id] = await make.serials("PROD-001", "SN1")
        first = serial_range("PROD-001", "SN1", "SN1")
        again = serial_range("PROD-001", "SN1", "SN1", [{"attribute": "lot", "value": "LOT-2"}])

        await client.post("/serials/batch/attributes", json={"data": [first]})
        response = await client.post("/serials/batch/attributes", json={"data": [again]})

        assert response.json()["data"][0]["serials_updated"] == 1
        listed = (await client.get(f"/attributes/serial/{serial_id}")).json()["data"]
        assert [(a["attribute"], a["value"]) for a in listed] == [("lot", "LOT-2")]

    @pytest.mark.parametrize(
        ("_case", "item", "field", "message"),
        [
            (
                "start after end",
                serial_range("PROD-001", "SN100", "SN001"),
                "data[0].serial_start",
                "serial_start 'SN100' comes after serial_end 'SN001' "
                "(100 > 1 after the prefix 'SN')",
            ),
            (
                "no serial in range",
                serial_range("PROD-001", "SN200", "SN300"),
                "data[0].serial_start",
                "no serial of SKU 'PROD-001' lies between 'SN200' and 'SN300'",
            ),
            (
                "unknown SKU",
                serial_range("NOPE", "SN001", "SN100"),
                "data[0].sku",
                "unknown SKU 'NOPE'",
            ),
            (
                "empty serial_end",
                serial_range("PROD-001", "SN001", ""),
                "data[0].serial_end",
                "serial_end must not be empty",
            ),
            (
                "blank attribute name",
                serial_range("PROD-001", "SN001", "SN100", [{"attribute": "", "value": "x"}]),
                "data[0].attributes[0].attribute",
                "attributes[0].attribute must not be empty",
            ),
        ],
    )
    async def test_a_bad_range_answers_400_naming_the_field_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        make: Factory,
        engines: Engines,
        _case: str,
        item: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        await make.item("PROD-001")
        await make.serials("PROD-001", "SN050")

        response = await client.post("/serials/batch/attributes", json={"data": [item]})

        assert response.status_code == 400
        body = response.json()["response"]
        assert body["message"] == message
        assert body["errors"] == [{"field": field, "message": message, "index": 0}]
        assert await attribute_count(engines) == 0

    async def test_a_failing_range_is_reported_beside_the_valid_ones(
        self, client: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await make.item("PROD-001")
        await make.serials("PROD-001", "SN050")
        body = {
            "data": [
                serial_range("PROD-001", "SN001", "SN100"),
                serial_range("PROD-001", "SN200", "SN300"),
            ]
        }

        response = await client.post("/serials/batch/attributes", json=body)

        assert response.status_code == 200
        results = response.json()["data"]
        assert [(r["success"], r["serials_updated"]) for r in results] == [(True, 1), (False, 0)]
        assert results[1]["field"] == "data[1].serial_start"
        assert await attribute_count(engines) == 1

    @pytest.mark.parametrize(
        ("_case", "change", "field"),
        [
            ("no sku", {"sku": None}, "data[0].sku"),
            ("no serial_start", {"serial_start": None}, "data[0].serial_start"),
            ("no serial_end", {"serial_end": None}, "data[0].serial_end"),
            ("no attributes", {"attributes": None}, "data[0].attributes"),
            ("empty attributes", {"attributes": []}, "data[0].attributes"),
            ("no value", {"attributes": [{"attribute": "lot"}]}, "data[0].attributes[0].value"),
            (
                "number value",
                {"attributes": [{"attribute": "lot", "value": 5}]},
                "data[0].attributes[0].value",
            ),
        ],
    )
    async def test_a_missing_or_malformed_field_answers_400_naming_it(
        self,
        client: httpx.AsyncClient,
        make: Factory,
        engines: Engines,
        _case: str,
        change: dict[str, Any],
        field: str,
    ) -> None:
        await make.item("PROD-001")
        await make.serials("PROD-001", "SN050")
        item = serial_range("PROD-001", "SN001", "SN100")
        item.update(change)
        item = {k: v for k, v in item.items() if v is not None}

        response = await client.post("/serials/batch/attributes", json={"data": [item]})

        assert response.status_code == 400
        assert response.json()["response"]["errors"][0]["field"] == field
        assert await attribute_count(engines) == 0
