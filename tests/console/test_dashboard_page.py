"""The dashboard over HTTP: the figures with their charts' data, the empty state, the window."""

import json
import re
from datetime import timedelta

import httpx
import pytest

from orderyard.kit.clock import utcnow
from tests.console.conftest import Member, sign_in
from tests.factories import Factory


def chart_data(page: str, chart: str) -> dict[str, list[int]]:
    found = re.search(rf'<script type="application/json" id="{chart}-data">(.*?)</script>', page)
    assert found is not None, page
    data: dict[str, list[int]] = json.loads(found.group(1))
    return data


@pytest.fixture
async def trading(make: Factory) -> None:
    """Two orders today: 3 x SKU-1 shipped, 4 x SKU-2 with 3 backordered; 7 + 1 left on hand."""
    await make.location("DC-1")
    await make.priced_item("SKU-1", cost="2.50", retail="10")
    await make.priced_item("SKU-2", cost="4", retail="12")
    await make.stock("DC-1", "SKU-1", 10)
    await make.stock("DC-1", "SKU-2", 1)
    shipped = await make.order(("SKU-1", 3), number="D-1")
    await make.ship(shipped.order_id or 0)
    await make.order(("SKU-2", 4), number="D-2")


@pytest.mark.usefixtures("trading")
async def test_the_dashboard_shows_the_accounts_figures_and_draws_them(
    console: httpx.AsyncClient, admin: Member
) -> None:
    await sign_in(console, admin)

    page = await console.get("/", params={"days": "7"})

    assert page.status_code == 200
    orders = chart_data(page.text, "orders-per-day")
    shipped = chart_data(page.text, "shipped-per-day")
    assert (len(orders["y"]), orders["y"][-1], sum(orders["y"])) == (7, 2, 2)
    assert (shipped["y"][-1], sum(shipped["y"])) == (3, 3)
    today = utcnow().date()
    assert orders["x"][-1] == (today - today.replace(year=1970, month=1, day=1)).days * 86_400
    assert '<p class="figure" id="fill-rate">57.1 %</p>' in page.text  # 4 of 7 units
    assert '<p class="figure" id="backordered-units">3 units</p>' in page.text
    assert 'href="/console/stock/sku?sku=SKU-2">SKU-2</a></td><td class="num">3</td>' in page.text
    assert '<td class="num">8</td><td class="num">21.50</td><td class="num">82.00</td>' in page.text
    first = (today - timedelta(days=6)).isoformat()
    assert f"Orders per day, {first} to {today.isoformat()}: 2 orders" in page.text
    assert "Nothing to show yet" not in page.text
    assert 'href="/console/?days=7" aria-current="page"' in page.text


async def test_a_new_account_sees_the_empty_state_and_no_chart(
    console: httpx.AsyncClient, admin: Member
) -> None:
    await sign_in(console, admin)

    page = await console.get("/")

    assert page.status_code == 200
    assert "Nothing to show yet" in page.text
    assert "data-chart=" not in page.text
    assert '<p class="figure" id="fill-rate">no orders</p>' in page.text
    assert "No orders in these 30 days." in page.text
    assert "No location yet." in page.text
    assert 'href="/console/?days=30" aria-current="page"' in page.text


@pytest.mark.parametrize("days", ["8", "x", "0"])
async def test_a_window_not_offered_is_explained(
    console: httpx.AsyncClient, admin: Member, days: str
) -> None:
    await sign_in(console, admin)

    page = await console.get("/", params={"days": days})

    assert page.status_code == 400
    assert 'role="alert"' in page.text


async def test_the_dashboard_needs_a_session(console: httpx.AsyncClient) -> None:
    answer = await console.get("/")

    assert (answer.status_code, answer.headers["location"]) == (303, "/console/sign-in")
