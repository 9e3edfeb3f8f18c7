"""BulkOnhand and the Bulk Status API, end to end through HTTP."""

from typing import Any

import httpx

from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows, level

BULK = "/v1/inventory/BulkOnhand"


def rows(*items: tuple[str, str, int]) -> dict[str, Any]:
    return {
        "Items": [{"Sku": s, "LocationInternalName": loc, "Quantity": q} for s, loc, q in items]
    }


async def stocked(make: Factory) -> None:
    await make.location("WH1")
    await make.item("A-1")
    await make.item("A-2")


async def submitted(od: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await od.put(BULK, json=body)
    assert response.status_code == 202, response.text
    answer: dict[str, Any] = response.json()
    return answer


class TestBulkOnhand:
    async def test_a_bulk_update_answers_202_and_the_job_applies_it(
        self, od: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await stocked(make)
        job = await submitted(od, rows(("A-1", "WH1", 7), ("A-2", "WH1", 3)))
        assert set(job) == {"JobId", "DateSubmittedUTC"}
        assert job["DateSubmittedUTC"].endswith("Z")
        queued = await od.get(
            f"/v1/StatusManagement/{job['JobId']}",
            params={"DateSubmittedUTC": job["DateSubmittedUTC"]},
        )
        assert queued.json()["JobStatus"] == "Queued"

        assert await worker_service.run_pending(engines, worker="test") == 1

        assert await level(make, "WH1", "A-1") == (7, 0)
        done = await od.get(
            f"/v1/StatusManagement/{job['JobId']}",
            params={"DateSubmittedUTC": job["DateSubmittedUTC"]},
        )
        body = done.json()
        assert (body["JobStatus"], body["RowCount"], body["SucceededRowCount"]) == (
            "Completed",
            2,
            2,
        )
        assert body["TotalCount"] == 1
        assert body["Items"][0]["OperationStatus"] == "Completed"

    async def test_property_names_match_in_any_case(
        self, od: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await stocked(make)
        body = {"items": [{"SKU": " A-1 ", "locationinternalname": "WH1", "quantity": 4}]}
        await submitted(od, body)
        await worker_service.run_pending(engines, worker="test")
        assert await level(make, "WH1", "A-1") == (4, 0)

    async def test_unknown_rows_fail_alone_and_are_reported_per_operation(
        self, od: httpx.AsyncClient, make: Factory, engines: Engines
    ) -> None:
        await stocked(make)
        job = await submitted(od, rows(("A-1", "WH1", 7), ("NOPE", "WH1", 1), ("A-2", "XX", 1)))
        await worker_service.run_pending(engines, worker="test")

        when = {"DateSubmittedUTC": job["DateSubmittedUTC"]}
        details = await od.get(f"/StatusManagement/{job['JobId']}/1/v1", params=when)
        body = details.json()
        assert body["OperationStatus"] == "CompletedWithErrors"
        assert body["Failures"] == [
            {"Row": 1, "Field": "Items[1].Sku", "Message": "unknown SKU 'NOPE'"},
            {
                "Row": 2,
                "Field": "Items[2].LocationInternalName",
                "Message": "unknown location 'XX'",
            },
        ]
        failed_only = await od.get(
            f"/v1/StatusManagement/{job['JobId']}", params={**when, "JobStatus": "Failed"}
        )
        assert failed_only.json()["Items"] == []
        assert await level(make, "WH1", "A-1") == (7, 0)

    async def test_malformed_bodies_are_400_naming_the_field_and_queue_nothing(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        cases: list[tuple[Any, str]] = [
            ({}, "Items"),
            ({"Items": []}, "Items"),
            ({"Items": "x"}, "Items"),
            ({"Items": [{"LocationInternalName": "WH1", "Quantity": 1}]}, "Items[0].Sku"),
            (rows(("A-1", "WH1", -1)), "Items[0].Quantity"),
            ({"Items": [{"Sku": "A", "LocationInternalName": "W", "Quantity": "5"}]},
             "Items[0].Quantity"),
            ({"Items": [{"Sku": "A", "LocationInternalName": "W", "Quantity": True}]},
             "Items[0].Quantity"),
            ({"Items": [{"Sku": "A", "LocationInternalName": "", "Quantity": 1}]},
             "Items[0].LocationInternalName"),
            ({"Items": [1]}, "Items[0]"),
            ([1], "body"),
        ]  # fmt: skip
        for body, field in cases:
            found = problem(await od.put(BULK, json=body), 400)
            assert field in found["errors"], (body, found)
        found = problem(await od.put(BULK, content=b"{not json"), 400)
        assert "body" in found["errors"]
        assert await count_rows(make, "jobs") == 0

    async def test_a_100001st_row_is_refused(self, od: httpx.AsyncClient, make: Factory) -> None:
        body = rows(*[(f"S-{n}", "WH1", 1) for n in range(100_001)])
        found = problem(await od.put(BULK, json=body), 400)
        assert found["errors"] == {"Items": ["Items: must hold 1 to 100000 rows, not 100001."]}
        assert await count_rows(make, "jobs") == 0

    async def test_the_route_admits_more_than_the_server_wide_body_limit(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        padding = "x" * (11 * 1024 * 1024)
        body = {**rows(("A-1", "WH1", 1)), "Ignored": padding}
        assert (await od.put(BULK, json=body)).status_code == 202
        elsewhere = await od.post("/v1/inventorylocations", json={"Name": padding})
        problem(elsewhere, 413)

    async def test_a_missing_key_is_refused(self, app_client: httpx.AsyncClient) -> None:
        response = await app_client.put(BULK, json=rows(("A-1", "WH1", 1)))
        assert response.status_code == 401


class TestStatus:
    async def test_the_list_pages_the_accounts_jobs_newest_first(
        self, od: httpx.AsyncClient, make: Factory
    ) -> None:
        await stocked(make)
        first = await submitted(od, rows(("A-1", "WH1", 1)))
        second = await submitted(od, rows(("A-2", "WH1", 1)))
        listed = (await od.get("/StatusManagement/v1", params={"PageSize": 1})).json()
        assert (listed["TotalCount"], listed["TotalPages"], listed["PageSize"]) == (2, 2, 1)
        assert [j["JobId"] for j in listed["Items"]] == [second["JobId"]]
        page2 = await od.get("/statusmanagement/V1", params={"pageNumber": 2, "pageSize": 1})
        assert [j["JobId"] for j in page2.json()["Items"]] == [first["JobId"]]

    async def test_bad_or_foreign_ids_answer_like_missing_ones(
        self, od: httpx.AsyncClient, make: Factory, other_key: str, account: NewAccount
    ) -> None:
        await stocked(make)
        job = await submitted(od, rows(("A-1", "WH1", 1)))
        when = {"DateSubmittedUTC": job["DateSubmittedUTC"]}
        path = f"/v1/StatusManagement/{job['JobId']}"
        problem(
            await od.get(path, params=when, headers={"Ocp-Apim-Subscription-Key": other_key}), 404
        )
        problem(await od.get("/v1/StatusManagement/999999", params=when), 404)
        problem(await od.get(path, params={"DateSubmittedUTC": "2001-01-01T00:00:00Z"}), 404)
        problem(await od.get(f"/StatusManagement/{job['JobId']}/1/v1", params=when), 404)
        missing = problem(await od.get(path), 400)
        assert "DateSubmittedUTC" in missing["errors"]
        problem(await od.get(path, params={"DateSubmittedUTC": "yesterday"}), 400)
        problem(await od.get("/v1/StatusManagement/0", params=when), 400)
        problem(await od.get("/v1/StatusManagement/abc", params=when), 400)
        problem(await od.get(path, params={**when, "JobStatus": "Sideways"}), 400)
        problem(await od.get(f"/StatusManagement/{job['JobId']}/0/v1", params=when), 400)
