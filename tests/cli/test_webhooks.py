"""``orderyard webhooks``: add, list, deliveries, remove; refusals write nothing."""

import json

import pytest

from orderyard.services.account import NewAccount
from tests.cli.runner import ainvoke, one_line
from tests.factories import Factory
from tests.services.checks import count_rows

pytestmark = pytest.mark.usefixtures("cli_database")


async def test_a_webhook_is_added_listed_logged_and_removed(
    account: NewAccount, make: Factory
) -> None:
    at = ("--account", str(account.account_id))

    code, out = await ainvoke(
        "webhooks", "add", *at, "--url", "https://erp.example/h", "--event", "order.created",
        "--event", "order.shipped", "--dialect", "shipedge", "--json",
    )  # fmt: skip
    made = json.loads(out)
    listed = await ainvoke("webhooks", "list", *at)
    log = await ainvoke("webhooks", "deliveries", *at, str(made["id"]))
    removed = await ainvoke("webhooks", "remove", *at, str(made["id"]))

    assert code == 0
    assert made["secret"].startswith("whsec_")
    assert made["event_types"] == ["order.created", "order.shipped"]
    assert listed == (
        0,
        f"{made['id']}\thttps://erp.example/h\tshipedge\torder.created,order.shipped\tactive\n",
    )
    assert log == (0, "")
    assert removed == (0, f"webhook {made['id']} removed\n")
    assert await count_rows(make, "webhook_subscriptions") == 0


async def test_refusals_are_one_line_and_write_nothing(account: NewAccount, make: Factory) -> None:
    at = ("--account", str(account.account_id))

    url = await ainvoke("webhooks", "add", *at, "--url", "nope", "--event", "order.created")
    kind = await ainvoke("webhooks", "add", *at, "--url", "https://x.example", "--event", "x.y")
    missing = await ainvoke("webhooks", "remove", *at, "999")

    assert [code for code, _ in (url, kind, missing)] == [1] * 3
    assert one_line(url[1]) == "error: invalid_request: 'nope' is not an http(s) URL"
    assert one_line(kind[1]) == "error: invalid_request: unknown event type 'x.y'"
    assert one_line(missing[1]) == "error: not_found: webhook 999 not found"
    assert await count_rows(make, "webhook_subscriptions") == 0
