"""Webhooks in ShipEdge's conventions: bulk create, list, get, log, delete; bad input."""

from typing import Any

import httpx
import pytest

from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows

HOOK = {"url": "https://erp.example/hooks", "event_types": ["order.created", "order.shipped"]}


async def written(make: Factory) -> tuple[int, int]:
    return await count_rows(make, "webhook_subscriptions"), await count_rows(make, "events")


async def test_a_bulk_create_applies_the_good_items_and_reports_the_bad_one(
    client: httpx.AsyncClient, make: Factory
) -> None:
    bad = {**HOOK, "event_types": ["order.exploded"]}
    response = await client.post("/webhooks", json={"data": [HOOK, bad]})

    assert response.status_code == 200
    good, failed = response.json()["data"]
    assert good["success"]
    assert good["webhook"]["secret"].startswith("whsec_")
    assert good["webhook"]["event_types"] == ["order.created", "order.shipped"]
    assert good["webhook"]["dialect"] == "shipedge"
    assert failed == {
        "webhook": None,
        "success": False,
        "message": "unknown event type 'order.exploded'",
        "field": "data[1].event_types",
    }
    assert await count_rows(make, "webhook_subscriptions") == 1
    webhook_id = good["webhook"]["webhook_id"]
    one = (await client.get(f"/webhooks/{webhook_id}")).json()["data"]
    assert one == {**good["webhook"], "secret": None}
    listed = (await client.get("/webhooks")).json()
    assert (listed["data"], listed["metadata"]["total_records"]) == ([one], 1)
    log = (await client.get(f"/webhooks/{webhook_id}/deliveries")).json()
    assert (log["data"], log["metadata"]["total_records"]) == ([], 0)
    assert (await client.delete(f"/webhooks/{webhook_id}")).status_code == 204
    assert await count_rows(make, "webhook_subscriptions") == 0


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({**HOOK, "url": "not a url"}, "data[0].url"),
        ({**HOOK, "url": "mailto:ops@erp.example"}, "data[0].url"),
        ({**HOOK, "event_types": []}, "data[0].event_types"),
        ({**HOOK, "event_types": ["invoice.lost"]}, "data[0].event_types"),
        ({**HOOK, "dialect": "magento"}, "data[0].dialect"),
        ({"event_types": ["order.created"]}, "data[0].url"),
    ],
)
async def test_a_bad_item_alone_is_a_400_in_the_envelope_naming_it_and_writes_nothing(
    client: httpx.AsyncClient, make: Factory, item: dict[str, Any], field: str
) -> None:
    before = await written(make)

    response = await client.post("/webhooks", json={"data": [item]})

    assert response.status_code == 400
    body = response.json()["response"]
    assert body["success"] is False
    assert body["errors"][0]["field"] == field
    assert await written(make) == before


async def test_another_accounts_webhook_is_a_404_and_stays(
    client: httpx.AsyncClient, engines: Engines, make: Factory
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    theirs_headers = {"AccountID": str(other.account_id), "Key": other.key}
    created = await client.post("/webhooks", json={"data": [HOOK]}, headers=theirs_headers)
    theirs = created.json()["data"][0]["webhook"]["webhook_id"]

    for response in (
        await client.get(f"/webhooks/{theirs}"),
        await client.get(f"/webhooks/{theirs}/deliveries"),
        await client.delete(f"/webhooks/{theirs}"),
    ):
        assert response.status_code == 404
        assert response.json()["response"]["message"] == f"webhook {theirs} not found"
    kept = await client.get(f"/webhooks/{theirs}", headers=theirs_headers)
    assert kept.status_code == 200
    assert await count_rows(make, "webhook_subscriptions") == 0
