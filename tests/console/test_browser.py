"""The console end to end: a real server process, Debian's Chromium driven by Playwright.

Each test starts its own server on the test's database (``--db=sqlite`` or ``--db=postgres``)
and prepares the account through the services; what the browser does is then checked
through both APIs, as a merchant's other systems would see it. Screenshots of the main pages
go to ``.artifacts/screenshots/`` (git-ignored).
"""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from tests.console.browser import Server, chromium_path, require_browser, screenshot_path, serve
from tests.console.conftest import Member, event_kinds
from tests.factories import Factory

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[Server]:
    require_browser()
    yield from serve(db_url, tmp_path)


@pytest.fixture
async def page(server: Server) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
        )
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        yield await context.new_page()
        await context.close()
        await browser.close()


async def sign_in(page: Any, server: Server, member: Member, password: str | None = None) -> None:
    await page.goto(f"{server.console}/sign-in")
    await page.get_by_label("E-mail", exact=True).fill(member.email)
    await page.get_by_label("Password").fill(password or member.password)
    await page.get_by_role("button", name="Sign in").click()


async def heading(page: Any, text: str) -> None:
    from playwright.async_api import expect

    await expect(page.get_by_role("heading", level=1)).to_have_text(text)


def shipedge(server: Server, account_id: int, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{server.origin}/apirest/v4/oms",
        headers={"AccountID": str(account_id), "Key": key},
        timeout=10,
    )


def orderdynamics(server: Server, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.origin, headers={"Ocp-Apim-Subscription-Key": key}, timeout=10
    )


def place_through_shipedge(server: Server, account: NewAccount, number: str) -> None:
    body = {
        "order_number": number,
        "order_reference": "REF-7",
        "shipping_method": "Pick",
        "cart": {"store_name": "My Shop", "id": 0},
        "customer": {
            "email": "jane@shop.example",
            "firstname": "Jane",
            "lastname": "Doe",
            "address1": "1 Main St",
            "city": "Toronto",
            "state": "ON",
            "phone": "4165550100",
            "zip": "M5V 1A1",
            "country": "CA",
        },
        "items": [{"sku": "PROD-001", "quantity": 2, "sold_price": 29.99}],
    }
    with shipedge(server, account.account_id, account.key) as api:
        answer = api.post("/orders", json={"data": [body]})
    assert answer.status_code == 200, answer.text


def order_as_orderdynamics_sees_it(server: Server, key: str, number: str) -> dict[str, Any]:
    with orderdynamics(server, key) as api:
        answer = api.get("/v1/orders", params={"ExternalOrderId": number})
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


@pytest.fixture
async def stocked(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("PROD-001")
    await make.stock("DC-1", "PROD-001", 10)


async def test_a_wrong_password_is_refused_on_the_page(
    page: Any, server: Server, admin: Member, backend: str
) -> None:
    from playwright.async_api import expect

    await sign_in(page, server, admin, password="not the password at all")

    await expect(page.get_by_role("alert")).to_have_text("the e-mail or the password is wrong")
    await heading(page, "Sign in")
    await page.screenshot(path=screenshot_path("sign-in-refused", backend), full_page=True)


async def test_a_new_key_from_the_console_works_over_both_apis_and_the_old_one_stops(
    page: Any, server: Server, account: NewAccount, admin: Member, backend: str
) -> None:
    from playwright.async_api import expect

    await sign_in(page, server, admin)
    await heading(page, "Orders")
    await page.get_by_role("link", name="My Account · API Integration").click()
    await heading(page, "API Integration")
    await expect(page.locator("#account-id")).to_have_text(str(account.account_id))
    await expect(page.get_by_text(f"{server.origin}/apirest/v4/oms", exact=True)).to_be_visible()
    await expect(page.get_by_text(f"{server.origin}/v1", exact=True)).to_be_visible()

    await page.get_by_role("button", name="Generate new Key").click()
    await expect(page.locator("#new-key")).to_be_visible()
    key = (await page.locator("#new-key").text_content()).strip()
    await page.screenshot(path=screenshot_path("api-integration", backend), full_page=True)

    assert key
    assert key != account.key
    with shipedge(server, account.account_id, key) as api:
        assert api.post("/ping").json() == {"data": {"status": "Successful", "result": "pong!"}}
    with orderdynamics(server, key) as api:
        assert api.get("/v1/items/Skus").status_code == 200
    with shipedge(server, account.account_id, account.key) as api:
        assert api.post("/ping").status_code == 401
    with orderdynamics(server, account.key) as api:
        assert api.get("/v1/items/Skus").status_code == 401


@pytest.mark.usefixtures("stocked")
async def test_an_api_order_is_held_resumed_and_shipped_from_the_console(
    page: Any, server: Server, account: NewAccount, admin: Member, backend: str
) -> None:
    from playwright.async_api import expect

    place_through_shipedge(server, account, "WEB-1001")
    await sign_in(page, server, admin)
    await heading(page, "Orders")
    await page.screenshot(path=screenshot_path("orders", backend), full_page=True)
    await page.get_by_role("link", name="WEB-1001").click()
    await heading(page, "Order WEB-1001")
    await expect(page.locator("#order-status")).to_have_text("allocated")

    await page.get_by_label("Hold reason").fill("address check")
    await page.get_by_role("button", name="Hold", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("The order is on hold.")
    await expect(page.locator("#order-hold")).to_have_text("hold: address check")
    held = order_as_orderdynamics_sees_it(server, account.key, "WEB-1001")
    assert held["IsOnHold"] is True

    await page.get_by_role("button", name="Resume").click()
    await expect(page.get_by_role("status")).to_have_text("The order is resumed.")
    await page.get_by_role("button", name="Create shipments").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Shipments are created for the allocated units."
    )
    await page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    await page.get_by_label("Carrier").fill("UPS")
    await page.get_by_role("button", name="Mark shipped").click()
    await expect(page.get_by_role("status")).to_have_text("The shipment is marked shipped.")
    await expect(page.locator("#order-status")).to_have_text("shipped")
    await expect(page.get_by_text("1Z999AA10123456784 (UPS)")).to_be_visible()
    await expect(page.locator(".timeline")).to_contain_text(f"{admin.email}: order held")
    await page.screenshot(path=screenshot_path("order", backend), full_page=True)

    shipped = order_as_orderdynamics_sees_it(server, account.key, "WEB-1001")
    assert (shipped["OrderStatus"], shipped["IsOnHold"]) == ("Shipped", False)


@pytest.mark.usefixtures("stocked")
async def test_an_action_the_order_refuses_is_explained_on_its_page(
    page: Any, server: Server, account: NewAccount, admin: Member, backend: str
) -> None:
    from playwright.async_api import expect

    place_through_shipedge(server, account, "WEB-1002")
    await sign_in(page, server, admin)
    await page.get_by_role("link", name="WEB-1002").click()
    await page.get_by_label("Hold reason").fill("fraud check")
    await page.get_by_role("button", name="Hold", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("The order is on hold.")

    await page.get_by_role("button", name="Create shipments").click()

    await expect(page.get_by_role("alert")).to_contain_text("held")
    await expect(page.get_by_text("No shipment yet.")).to_be_visible()
    await page.screenshot(path=screenshot_path("order-refused", backend), full_page=True)


@pytest.mark.usefixtures("stocked")
async def test_a_read_only_staff_member_sees_the_order_but_cannot_change_it(
    page: Any, server: Server, account: NewAccount, reader: Member, engines: Engines
) -> None:
    from playwright.async_api import expect

    place_through_shipedge(server, account, "WEB-1003")
    await sign_in(page, server, reader)
    await page.get_by_role("link", name="WEB-1003").click()
    await heading(page, "Order WEB-1003")
    await expect(page.get_by_role("button", name="Hold", exact=True)).to_have_count(0)
    await expect(page.get_by_role("button", name="Create shipments")).to_have_count(0)
    csrf = await page.locator("input[name=csrf_token]").first.get_attribute("value")
    order_path = page.url.removeprefix(server.origin)

    refused = await page.request.post(
        f"{server.origin}{order_path}/hold", form={"csrf_token": csrf, "reason": "no"}
    )
    await page.get_by_role("link", name="My Account · API Integration").click()
    await expect(page.get_by_text("Only an admin can generate a new key.")).to_be_visible()
    key_refused = await page.request.post(
        f"{server.console}/account/api-integration/key", form={"csrf_token": csrf}
    )

    assert refused.status == 403
    assert "read-only" in await refused.text()
    assert key_refused.status == 403
    assert order_as_orderdynamics_sees_it(server, account.key, "WEB-1003")["IsOnHold"] is False
    kinds = await event_kinds(engines, account.account_id)
    assert "order_held" not in kinds
    assert "account_key_regenerated" not in kinds


@pytest.mark.usefixtures("stocked")
async def test_a_change_without_the_csrf_token_is_refused_and_writes_nothing(
    page: Any, server: Server, account: NewAccount, admin: Member, engines: Engines
) -> None:
    place_through_shipedge(server, account, "WEB-1004")
    await sign_in(page, server, admin)
    await page.get_by_role("link", name="WEB-1004").click()
    await heading(page, "Order WEB-1004")
    order_path = page.url.removeprefix(server.origin)
    before = await event_kinds(engines, account.account_id)

    refused = await page.request.post(f"{server.origin}{order_path}/hold", form={"reason": "x"})

    assert refused.status == 403
    assert "nothing was changed" in await refused.text()
    assert order_as_orderdynamics_sees_it(server, account.key, "WEB-1004")["IsOnHold"] is False
    assert await event_kinds(engines, account.account_id) == before
