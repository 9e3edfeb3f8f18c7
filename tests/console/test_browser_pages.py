"""The console's dashboard, stock, lists and settings end to end in Debian's Chromium.

Like ``test_browser.py``: a real server on the test's database, the account prepared through
the services, and what the browser did checked through the services or the OrderDynamics
API. The bulk job of an upload is run by a worker of the test itself (the server runs none),
so the page is seen queued first, then done. Screenshots go to ``.artifacts/screenshots/``.
"""

from typing import Any

import httpx
import pytest

from orderyard.services import worker as worker_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from tests.console.browser import Server, screenshot_path
from tests.console.conftest import Member
from tests.console.test_browser import heading, sign_in
from tests.factories import Factory
from tests.services.checks import level

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
PHONE = {"width": 360, "height": 780}


@pytest.fixture
async def trading(make: Factory) -> None:
    """Stock at two locations, an order shipped, another waiting for 5 units of BACK-1."""
    await make.location("DC-1", priority=1)
    await make.location("ST-2", priority=2)
    await make.priced_item("PROD-001", cost="4.20", retail="12.99")
    await make.priced_item("BACK-1", cost="9", retail="25")
    await make.stock("DC-1", "PROD-001", 40)
    await make.stock("ST-2", "PROD-001", 12)
    shipped = await make.order(("PROD-001", 3), number="WEB-2001")
    await make.ship(shipped.order_id or 0)
    await make.order(("PROD-001", 2), ("BACK-1", 5), number="WEB-2002")


async def open_area(page: Any, name: str) -> None:
    """Follow the console's navigation to one of its areas."""
    navigation = page.get_by_role("navigation", name="Console")
    await navigation.get_by_role("link", name=name, exact=True).click()


async def fits_the_width(page: Any) -> bool:
    width: int = await page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"]


@pytest.mark.usefixtures("trading")
async def test_the_dashboard_draws_its_charts_with_their_figures_as_text(
    page: Any, server: Server, admin: Member, backend: str
) -> None:
    from playwright.async_api import expect

    await sign_in(page, server, admin)
    await heading(page, "Dashboard")

    orders = page.locator("#orders-per-day")
    await expect(orders.locator("canvas")).to_have_count(1)
    await expect(page.locator("#shipped-per-day canvas")).to_have_count(1)
    label = await orders.get_attribute("aria-label")
    assert label is not None
    assert ": 2 orders; most on " in label
    await expect(page.locator("#fill-rate")).to_have_text("50.0 %")  # 3 shipped + 2 of 10
    await expect(page.locator("#backordered-units")).to_have_text("5 units")
    await expect(page.get_by_role("link", name="BACK-1")).to_be_visible()
    await page.get_by_text("Orders per day as a table").click()
    await expect(page.get_by_role("region", name="Orders per day as a table")).to_contain_text("2")
    await page.get_by_role("link", name="7 days").click()
    await expect(page.get_by_role("link", name="7 days")).to_have_attribute("aria-current", "page")
    await expect(page.locator("#orders-per-day canvas")).to_have_count(1)
    await page.screenshot(path=screenshot_path("dashboard", backend), full_page=True)

    await page.set_viewport_size(PHONE)
    await page.reload()
    await expect(page.locator("#orders-per-day canvas")).to_have_count(1)
    assert await fits_the_width(page)
    await page.screenshot(path=screenshot_path("dashboard-360px", backend), full_page=True)


async def test_a_new_account_sees_the_dashboards_empty_state(
    page: Any, server: Server, admin: Member, backend: str
) -> None:
    from playwright.async_api import expect

    await sign_in(page, server, admin)
    await heading(page, "Dashboard")

    await expect(page.get_by_role("heading", name="Nothing to show yet")).to_be_visible()
    await expect(page.locator("#fill-rate")).to_have_text("no orders")
    await expect(page.locator("canvas")).to_have_count(0)
    await expect(page.locator("#orders-per-day-empty")).to_have_text("No orders in these 30 days.")
    await page.screenshot(path=screenshot_path("dashboard-empty", backend), full_page=True)


@pytest.mark.usefixtures("trading")
async def test_a_skus_page_leads_to_a_levels_ledger_and_its_order(
    page: Any, server: Server, reader: Member, backend: str
) -> None:
    from playwright.async_api import expect

    await sign_in(page, server, reader)
    await open_area(page, "Stock")
    await heading(page, "Stock")
    await page.get_by_label("SKU starts with").fill("PROD")
    await page.get_by_role("button", name="Find").click()
    await page.get_by_role("link", name="PROD-001").click()
    await heading(page, "PROD-001")
    await expect(page.locator("#total-available")).to_have_text("47")  # 52 - 3 shipped - 2
    await page.screenshot(path=screenshot_path("stock-sku", backend), full_page=True)

    await page.get_by_role("link", name="Ledger of PROD-001 at DC-1").click()
    await heading(page, "Ledger of PROD-001 at DC-1")
    rows = page.locator("#ledger tbody tr")
    await expect(rows).to_have_count(4)  # counted, allocated 3, shipped 3, allocated 2
    await expect(rows.first).to_contain_text("WEB-2002")
    await page.screenshot(path=screenshot_path("stock-ledger", backend), full_page=True)
    await page.get_by_role("link", name="WEB-2001").first.click()
    await heading(page, "Order WEB-2001")


@pytest.mark.usefixtures("trading")
async def test_an_uploaded_file_runs_as_a_job_and_reports_its_bad_row(
    page: Any, server: Server, admin: Member, engines: Engines, make: Factory, backend: str
) -> None:
    from playwright.async_api import expect

    await sign_in(page, server, admin)
    await open_area(page, "Stock")
    await page.get_by_role("link", name="Upload on-hand counts (CSV)").click()
    await heading(page, "Upload on-hand counts")
    content = b"sku,location,quantity\nPROD-001,DC-1,60\nNOPE-9,DC-1,4\nBACK-1,ST-2,8\n"
    await page.get_by_label("CSV file").set_input_files(
        {"name": "counts.csv", "mimeType": "text/csv", "buffer": content}
    )
    await page.get_by_role("button", name="Upload and run").click()

    await expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job")
    await expect(page.locator("#job-status")).to_have_text("queued")
    await expect(page.locator("#job-counts")).to_contain_text("0 of 3 rows done (0 %)")
    await page.screenshot(path=screenshot_path("job-queued", backend), full_page=True)

    await worker_service.run_pending(engines, worker="test")

    await expect(page.locator("#job-status")).to_have_text("completed with errors")
    await expect(page.locator("#job-counts")).to_have_text(
        "3 of 3 rows done (100 %): 2 applied, 1 failed."
    )
    await expect(page.locator("#job-bar")).to_have_attribute("value", "3")
    failures = page.locator("#job-failures tbody tr")
    await expect(failures).to_have_count(1)
    await expect(failures.first).to_have_text("2skuunknown SKU 'NOPE-9'")
    await page.screenshot(path=screenshot_path("job-done", backend), full_page=True)
    assert await level(make, "ST-2", "BACK-1") == (8, 5)  # the backorder took the new stock
    await open_area(page, "Bulk jobs")
    await expect(page.locator("main table tbody tr")).to_have_count(1)


@pytest.mark.usefixtures("trading")
async def test_the_shipments_and_returns_lists_work_on_a_phone(
    page: Any, server: Server, operator: Member, backend: str
) -> None:
    from playwright.async_api import expect

    await page.set_viewport_size(PHONE)
    await sign_in(page, server, operator)
    await open_area(page, "Shipments")
    await heading(page, "Shipments")
    await page.get_by_label("Order number").fill("WEB-2001")
    await page.get_by_role("button", name="Show").click()
    await expect(page.locator("main table tbody tr")).to_have_count(1)
    await expect(page.locator("main table tbody")).to_contain_text("1Z")
    assert await fits_the_width(page)
    await page.screenshot(path=screenshot_path("shipments-360px", backend), full_page=True)
    await open_area(page, "Returns")
    await heading(page, "Returns")
    await expect(page.get_by_text("No return matches.")).to_be_visible()
    assert await fits_the_width(page)


async def test_settings_switch_the_strategy_the_orderdynamics_api_then_reads(
    page: Any, server: Server, account: NewAccount, admin: Member, make: Factory, backend: str
) -> None:
    from playwright.async_api import expect

    await make.location("DC-1")
    await sign_in(page, server, admin)
    await open_area(page, "Settings")
    await heading(page, "Settings")
    await page.get_by_label("most stock").check()
    await page.get_by_role("button", name="Change the strategy").click()

    await expect(page.get_by_role("status")).to_have_text("The allocation strategy is changed.")
    await expect(page.locator("#current-strategy")).to_have_text("most stock")
    await page.get_by_label("Priority of DC-1").fill("7")
    await page.get_by_role("button", name="Save DC-1").click()
    await expect(page.get_by_role("status")).to_have_text("The location is changed.")
    await expect(page.get_by_label("Priority of DC-1")).to_have_value("7")
    await page.get_by_label("New shipping method").fill("Next day")
    await page.get_by_label("New shipping method").press("Enter")
    await expect(page.locator("#shipping-methods")).to_contain_text("Next day")
    await page.screenshot(path=screenshot_path("settings", backend), full_page=True)

    with httpx.Client(
        base_url=server.origin, headers={"Ocp-Apim-Subscription-Key": account.key}, timeout=10
    ) as api:
        current = api.get("/v1/allocationstrategies/current")
    assert current.status_code == 200, current.text
    assert current.json()["StrategyName"] == "MostStock"
