"""Remake the README's console screenshots: docs/images/console-dashboard.png and -order.png.

    .venv/bin/python scripts/console_screenshots.py

Builds a fresh SQLite database in a temporary folder, fills one account through the services
with a month of trading (orders on each day, shipments with tracking, a hold and its release,
backorders, stock at three locations), starts a real server on it and signs in with Debian's
chromium (Playwright, ``/usr/bin/chromium``) at desktop width. Nothing is canned: every
figure on the pictures is what the services computed from those records.
"""

import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.console.browser import chromium_path, serve  # noqa: E402
from tests.factories import Factory  # noqa: E402

from orderyard.domain.errors import DomainError  # noqa: E402
from orderyard.domain.event_log import staff_actor  # noqa: E402
from orderyard.domain.order import HoldState  # noqa: E402
from orderyard.domain.staff import Role  # noqa: E402
from orderyard.domain.values import AccountId  # noqa: E402
from orderyard.kit.clock import frozen_at  # noqa: E402
from orderyard.services import account as account_service  # noqa: E402
from orderyard.services import order as order_service  # noqa: E402
from orderyard.services import shipment as shipment_service  # noqa: E402
from orderyard.services import staff as staff_service  # noqa: E402
from orderyard.services.order import OrderRef, UpdateOrder  # noqa: E402
from orderyard.store import migrate  # noqa: E402
from orderyard.store.engine import Engines, create_engines  # noqa: E402
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork  # noqa: E402

IMAGES = ROOT / "docs" / "images"
EMAIL, PASSWORD = "merchant@yard.example", "screenshots are remade, not drawn"
CATALOG = {  # SKU: (cost, retail)
    "TEE-BLK-M": ("6.40", "24.00"),
    "TEE-WHT-L": ("6.40", "24.00"),
    "HOODIE-GRY": ("18.90", "59.00"),
    "CAP-NAVY": ("4.10", "19.50"),
    "MUG-LOGO": ("2.75", "12.00"),
    "TOTE-CNV": ("3.30", "16.00"),
}
STOCK = {"DC-EAST": 260, "DC-WEST": 140, "STORE-MTL": 25}


async def seed(engines: Engines) -> tuple[int, int]:
    """A month of trading for one account; its admin's id and the order to picture."""
    account = await account_service.create_account(
        SystemUnitOfWork(engines.write), "Yard Goods", shipping_methods=("Pick",)
    )
    staff_uow = UnitOfWork(engines.write, account.account_id, actor="cli")
    admin = await staff_service.create_staff(staff_uow, EMAIL, Role.ADMIN, PASSWORD)
    make = Factory(engines, account.account_id)
    for priority, code in enumerate(STOCK, start=1):
        await make.location(code, priority=priority)
    for sku, (cost, retail) in CATALOG.items():
        await make.priced_item(sku, cost=cost, retail=retail)
        for code, units in STOCK.items():
            await make.stock(code, sku, units if sku != "HOODIE-GRY" else units // 10)
    await _trade(make)
    return admin.id, await _pictured_order(make, engines, account.account_id, admin.id)


async def _trade(make: Factory) -> None:
    """Orders on each of the last 30 days, most shipped, the last two days' still open."""
    picker = random.Random(18)  # noqa: S311 - the same month every time
    start = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
    start -= timedelta(days=29)
    for day in range(30):
        for n in range(picker.randint(2, 9)):
            with frozen_at(start + timedelta(days=day, minutes=37 * n)):
                lines = picker.sample(sorted(CATALOG), picker.randint(1, 3))
                placed = await make.order(
                    *((sku, picker.randint(1, 4)) for sku in lines), number=f"YG-{day:02}{n:02}"
                )
                if day < 28 and placed.order_id and picker.random() < 0.8:
                    await _ship_all(make, placed.order_id, f"1Z{day:02}{n:02}")


async def _ship_all(make: Factory, order_id: int, tracking: str) -> None:
    """Ship what the order has allocated, from each of its locations (nothing: nothing)."""
    try:
        shipments = await shipment_service.create_all_shipments(make.uow(), order_id)
    except DomainError:
        return
    for shipment in shipments:
        await shipment_service.ship_shipment(
            make.uow(), shipment.id, tracking_number=f"{tracking}{shipment.id}", carrier="UPS"
        )


async def _pictured_order(
    make: Factory, engines: Engines, account_id: AccountId, admin_id: int
) -> int:
    """An order held for an address check, released, shipped with tracking by the admin."""
    placed = await make.order(("TEE-BLK-M", 2), ("CAP-NAVY", 1), number="YG-WEB-1042")
    order_id = placed.order_id or 0

    def admin() -> UnitOfWork:
        return UnitOfWork(engines.write, account_id, actor=staff_actor(admin_id))

    held = UpdateOrder(OrderRef("id", order_id), hold=HoldState.hold, hold_reason="address check")
    await order_service.update_orders(admin(), [held])
    await order_service.update_orders(
        admin(), [UpdateOrder(OrderRef("id", order_id), hold=HoldState.none)]
    )
    [shipment] = await shipment_service.create_all_shipments(admin(), order_id)
    await shipment_service.ship_shipment(
        admin(), shipment.id, tracking_number="1Z999AA10123456784", carrier="UPS"
    )
    return order_id


async def photograph(console: str, order_id: int) -> None:
    """Sign in and save the dashboard and the order's page at desktop width."""
    from playwright.async_api import async_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        await page.goto(f"{console}/sign-in")
        await page.get_by_label("E-mail", exact=True).fill(EMAIL)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.locator("#orders-per-day canvas").wait_for()
        await page.screenshot(path=str(IMAGES / "console-dashboard.png"), full_page=True)
        await page.goto(f"{console}/orders/{order_id}")
        await page.locator(".timeline").wait_for()
        await page.screenshot(path=str(IMAGES / "console-order.png"), full_page=True)
        await browser.close()


async def prepare(url: str) -> int:
    """The seeded account's order to picture."""
    engines = create_engines(url, pool_size=5)
    try:
        _, order_id = await seed(engines)
    finally:
        await engines.dispose()
    return order_id


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/screenshots.db"
        migrate.upgrade(url)
        order_id = asyncio.run(prepare(url))
        for server in serve(url, Path(folder)):
            asyncio.run(photograph(server.console, order_id))
    print(f"wrote {IMAGES / 'console-dashboard.png'} and {IMAGES / 'console-order.png'}")


if __name__ == "__main__":
    main()
