"""Webhooks API (OrderDynamics conventions): subscribe, read, log, unsubscribe; bad input."""

from typing import Any

import httpx
import pytest

from orderyard.dialects.webhooks import RENDERERS
from orderyard.services.webhook_delivery import WebhookSender, deliver_due
from orderyard.store.engine import Engines
from tests.dialects.orderdynamics.test_locations import problem
from tests.factories import Factory
from tests.services.checks import count_rows
from tests.services.test_webhooks import fanned_out
from tests.webhooks.receiver import Receiver

WEBHOOKS = "/v1/webhooks"
HOOK = {"Url": "https://erp.example/hooks", "EventTypes": ["order.created"]}


async def written(make: Factory) -> tuple[int, int]:
    return await count_rows(make, "webhook_subscriptions"), await count_rows(make, "events")


async def test_a_subscription_is_created_with_its_secret_once_then_read_without_it(
    od: httpx.AsyncClient,
) -> None:
    response = await od.post(WEBHOOKS, json={**HOOK, "EventTypes": ["order.created"] * 2})

    assert response.status_code == 201
    made = response.json()
    assert made["Secret"].startswith("whsec_")
    assert (made["Url"], made["EventTypes"], made["Dialect"], made["Active"]) == (
        HOOK["Url"],
        ["order.created"],
        "orderdynamics",
        True,
    )
    read = (await od.get(f"{WEBHOOKS}/{made['WebhookId']}")).json()
    assert read == {**made, "Secret": None}
    listed = (await od.get(WEBHOOKS)).json()
    assert (listed["TotalCount"], listed["Items"]) == (1, [read])


async def test_the_delivery_log_shows_each_try_and_a_delete_ends_the_subscription(
    od: httpx.AsyncClient, make: Factory, engines: Engines
) -> None:
    receiver = await Receiver(fail_first=1).start()
    try:
        await make.location("DC-1")
        await make.item("SKU-1")
        body = {"Url": receiver.url, "EventTypes": ["order.created"], "Dialect": "shipedge"}
        made = (await od.post(WEBHOOKS, json=body)).json()
        placed = await make.order(("SKU-1", 1))
        await fanned_out(engines)
        await deliver_due(engines, WebhookSender(RENDERERS))
    finally:
        await receiver.stop()

    log = (await od.get(f"{WEBHOOKS}/{made['WebhookId']}/deliveries")).json()

    [delivery] = log["Items"]
    assert (delivery["Status"], delivery["Attempts"], delivery["ResponseCode"]) == (
        "pending",
        1,
        500,
    )
    assert delivery["EventType"] == "order.created"
    assert delivery["NextTryDateTimeUtc"] is not None
    assert receiver.posts[0].document["data"]["order_id"] == placed.order_id
    gone = await od.delete(f"{WEBHOOKS}/{made['WebhookId']}")
    assert gone.status_code == 204
    assert problem(await od.get(f"{WEBHOOKS}/{made['WebhookId']}"), 404)["status"] == 404
    assert await count_rows(make, "webhook_deliveries") == 0


BAD_BODIES = [
    pytest.param({**HOOK, "Url": "ftp://erp.example/x"}, "Url", id="not http"),
    pytest.param({**HOOK, "Url": "hooks"}, "Url", id="relative url"),
    pytest.param({**HOOK, "EventTypes": ["order.exploded"]}, "EventTypes", id="unknown type"),
    pytest.param({**HOOK, "EventTypes": []}, "EventTypes", id="no type"),
    pytest.param({**HOOK, "Dialect": "magento"}, "Dialect", id="unknown dialect"),
    pytest.param({"EventTypes": ["order.created"]}, "Url", id="missing url"),
]


@pytest.mark.parametrize(("body", "field"), BAD_BODIES)
async def test_a_bad_body_is_a_400_naming_the_field_and_writes_nothing(
    od: httpx.AsyncClient, make: Factory, body: dict[str, Any], field: str
) -> None:
    before = await written(make)

    response = await od.post(WEBHOOKS, json=body)

    assert list(problem(response, 400)["errors"]) == [field]
    assert await written(make) == before == (0, before[1])


async def test_another_accounts_subscription_is_not_found_and_not_deleted(
    od: httpx.AsyncClient, other_key: str, make: Factory
) -> None:
    theirs = (
        await od.post(WEBHOOKS, json=HOOK, headers={"Ocp-Apim-Subscription-Key": other_key})
    ).json()
    before = await written(make)

    for response in (
        await od.get(f"{WEBHOOKS}/{theirs['WebhookId']}"),
        await od.get(f"{WEBHOOKS}/{theirs['WebhookId']}/deliveries"),
        await od.delete(f"{WEBHOOKS}/{theirs['WebhookId']}"),
    ):
        assert problem(response, 404)["detail"] == f"webhook {theirs['WebhookId']} not found"
    assert await written(make) == before
    mine = (await od.get(WEBHOOKS)).json()
    assert mine["TotalCount"] == 0
    kept = await od.get(
        f"{WEBHOOKS}/{theirs['WebhookId']}", headers={"Ocp-Apim-Subscription-Key": other_key}
    )
    assert kept.status_code == 200
