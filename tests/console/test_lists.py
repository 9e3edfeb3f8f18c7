"""The shipments, returns and bulk jobs lists over HTTP: filters, paging, bad filters."""

import re

import httpx
import pytest

from orderyard.domain.returns import ReturnItem
from orderyard.services import jobs as jobs_service
from orderyard.services import returns as returns_service
from orderyard.services.returns import CreateReturn
from tests.console.conftest import Member, sign_in
from tests.factories import Factory


@pytest.fixture
async def shipped(make: Factory) -> list[int]:
    """Orders A-1 and A-2 of one SKU-1 each, both shipped; A-1 returned: their order ids."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    ids = []
    for number in ("A-1", "A-2"):
        placed = await make.order(("SKU-1", 1), number=number)
        ids.append(placed.order_id or 0)
        await make.ship(ids[-1])
    command = CreateReturn(ids[0], (ReturnItem("SKU-1", 1, "Too small"),))
    [created] = await returns_service.create_returns(make.uow(), [command])
    assert created.error is None
    return ids


def order_links(page: str) -> list[str]:
    return re.findall(r'href="/console/orders/\d+">([^<]+)</a>', page)


@pytest.mark.usefixtures("shipped")
async def test_shipments_are_listed_newest_first_and_filtered(
    console: httpx.AsyncClient, admin: Member
) -> None:
    await sign_in(console, admin)

    every = await console.get("/shipments")
    by_order = await console.get("/shipments", params={"order": "A-1"})
    by_status = await console.get("/shipments", params={"status": "created"})
    by_location = await console.get("/shipments", params={"location": "NOWHERE"})
    by_day = await console.get("/shipments", params={"from": "2000-01-01", "to": "2000-01-02"})

    assert every.status_code == 200
    assert order_links(every.text) == ["A-2", "A-1"]
    assert "2 shipments · page 1" in every.text
    assert "1 \u00d7 SKU-1" in every.text
    assert "1Z" in every.text
    assert order_links(by_order.text) == ["A-1"]
    assert order_links(by_status.text) == []
    assert "No shipment matches these filters." in by_status.text
    assert order_links(by_location.text) == []
    assert order_links(by_day.text) == []


async def test_returns_are_listed_and_filtered(
    console: httpx.AsyncClient, admin: Member, shipped: list[int]
) -> None:
    await sign_in(console, admin)

    every = await console.get("/returns")
    requested = await console.get("/returns", params={"status": "requested", "order": "A-1"})
    received = await console.get("/returns", params={"status": "received"})

    assert order_links(every.text) == ["A-1"]
    assert "1 \u00d7 SKU-1 (0 / 0): Too small" in every.text
    assert order_links(requested.text) == ["A-1"]
    assert order_links(received.text) == []


@pytest.mark.parametrize("path", ["/shipments", "/returns", "/jobs"])
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "lost"}, "unknown status &#39;lost&#39;"),
        ({"page": "0"}, "Page must be a whole number from 1 to 20000"),
    ],
)
async def test_a_bad_filter_is_explained_on_the_list(
    console: httpx.AsyncClient, admin: Member, path: str, params: dict[str, str], message: str
) -> None:
    await sign_in(console, admin)

    answer = await console.get(path, params=params)

    assert answer.status_code == 400
    assert message in answer.text


@pytest.mark.parametrize("path", ["/shipments", "/returns"])
async def test_a_bad_date_is_explained_on_the_list(
    console: httpx.AsyncClient, admin: Member, path: str
) -> None:
    await sign_in(console, admin)

    answer = await console.get(path, params={"to": "2026-02-30"})

    assert answer.status_code == 400
    assert "Created until must be a date like 2026-01-31, not &#39;2026-02-30&#39;" in answer.text


async def test_the_lists_page_along(
    console: httpx.AsyncClient, admin: Member, make: Factory, shipped: list[int]
) -> None:
    await sign_in(console, admin)
    for _ in range(51):
        await jobs_service.submit_on_hand(make.uow(), [("SKU-1", "DC-1", 1)])

    first = await console.get("/jobs", params={"status": "queued"})
    second = await console.get("/jobs", params={"status": "queued", "page": "2"})

    assert "51 jobs · page 1" in first.text
    assert 'href="/console/jobs?status=queued&amp;page=2" rel="next"' in first.text
    assert 'rel="prev"' not in first.text
    assert len(re.findall(r'href="/console/jobs/\d+"', second.text)) == 1
    assert 'href="/console/jobs?status=queued&amp;page=1" rel="prev"' in second.text


@pytest.mark.parametrize("path", ["/shipments", "/returns", "/jobs"])
async def test_a_list_without_a_session_sends_to_sign_in(
    console: httpx.AsyncClient, path: str
) -> None:
    answer = await console.get(path)

    assert (answer.status_code, answer.headers["location"]) == (303, "/console/sign-in")
