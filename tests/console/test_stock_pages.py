"""The stock pages over HTTP: the list by prefix and its pages, a SKU, a level's ledger."""

import re

import httpx
import pytest

from orderyard.domain.staff import Role
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.console.conftest import Member, add_staff, sign_in
from tests.factories import Factory


@pytest.fixture
async def stocked(make: Factory) -> int:
    """SKU-1 at DC-1 (10, 3 allocated to order S-1, then 2 shipped) and nothing at ST-2."""
    await make.location("DC-1", priority=1)
    await make.location("ST-2", priority=2)
    await make.item("SKU-1")
    await make.item("OTHER")
    await make.stock("DC-1", "SKU-1", 10)
    placed = await make.order(("SKU-1", 3), number="S-1")
    return await make.ship(placed.order_id or 0, (1, 2))


def skus(page: str) -> list[str]:
    return re.findall(r'href="/console/stock/sku\?sku=[^"]+">([^<]+)</a>', page)


@pytest.mark.usefixtures("stocked")
async def test_the_stock_list_finds_skus_by_prefix_with_their_totals(
    console: httpx.AsyncClient, reader: Member
) -> None:
    await sign_in(console, reader)

    every = await console.get("/stock")
    by_prefix = await console.get("/stock", params={"prefix": "SKU"})
    none = await console.get("/stock", params={"prefix": "ZZZ"})

    assert skus(every.text) == ["OTHER", "SKU-1"]
    assert skus(by_prefix.text) == ["SKU-1"]
    row = '<td class="num">8</td><td class="num">1</td><td class="num">0</td>'
    assert row in by_prefix.text
    assert "No SKU starts with" in none.text
    assert "Upload on-hand counts" not in every.text  # a read-only member has no upload


async def test_the_stock_list_continues_after_the_last_sku_shown(
    console: httpx.AsyncClient, admin: Member, make: Factory
) -> None:
    for n in range(51):
        await make.item(f"P-{n:03}")
    await sign_in(console, admin)

    first = await console.get("/stock")
    following = re.search(r'href="([^"]+)" rel="next"', first.text)
    assert following is not None
    second = await console.get(following.group(1).replace("&amp;", "&").removeprefix("/console"))

    assert len(skus(first.text)) == 50
    assert following.group(1) == "/console/stock?after=P-049"
    assert skus(second.text) == ["P-050"]
    assert 'rel="next"' not in second.text
    assert ">First page</a>" in second.text


async def test_a_sku_page_shows_every_location_and_the_total(
    console: httpx.AsyncClient, reader: Member, stocked: int
) -> None:
    await sign_in(console, reader)

    page = await console.get("/stock/sku", params={"sku": "SKU-1"})

    assert page.status_code == 200
    assert "<h1>SKU-1</h1>" in page.text
    cells = re.findall(
        r'<th scope="row">(\S+)[^<]*(?:<span[^>]*>[^<]*</span>)?</th>\s*'
        r'((?:<td class="num"[^>]*>\d+</td>)+)',
        page.text,
    )
    figures = {code: re.findall(r">(\d+)<", numbers) for code, numbers in cells}
    assert figures == {
        "DC-1": ["8", "1", "0", "0", "7"],
        "ST-2": ["0", "0", "0", "0", "0"],
        "Total": ["8", "1", "0", "0", "7"],
    }
    assert 'href="/console/stock/ledger?sku=SKU-1&amp;location=DC-1"' in page.text


async def test_a_ledger_links_each_movement_to_its_order_and_shipment(
    console: httpx.AsyncClient, reader: Member, stocked: int
) -> None:
    await sign_in(console, reader)

    page = await console.get("/stock/ledger", params={"sku": "SKU-1", "location": "DC-1"})

    assert page.status_code == 200
    assert "<h1>Ledger of SKU-1 at DC-1</h1>" in page.text
    reasons = re.findall(r"<td>(counted|allocated|shipped)</td>", page.text)
    assert reasons == ["shipped", "allocated", "counted"]  # newest first
    assert len(re.findall(r'href="/console/orders/\d+">S-1</a>', page.text)) == 2
    assert f'href="/console/shipments?shipment_id={stocked}">shipment {stocked}</a>' in page.text
    assert '<dd id="level-on-hand">8</dd>' in page.text


async def test_a_ledger_pages_back_through_older_movements(
    console: httpx.AsyncClient, admin: Member, make: Factory
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    for count in range(1, 53):
        await make.stock("DC-1", "SKU-1", count)
    await sign_in(console, admin)

    first = await console.get("/stock/ledger", params={"sku": "SKU-1", "location": "DC-1"})
    older = re.search(r'href="([^"]+)" rel="next">Older movements', first.text)
    assert older is not None
    second = await console.get(older.group(1).replace("&amp;", "&").removeprefix("/console"))

    assert first.text.count("<td>counted</td>") == 50
    assert second.text.count("<td>counted</td>") == 2
    assert ">Newest movements</a>" in second.text
    assert "Older movements" not in second.text


@pytest.mark.usefixtures("stocked")
@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/stock/sku", {"sku": "NOPE"}, "SKU &#39;NOPE&#39; not found"),
        ("/stock/sku", {}, "no SKU given"),
        ("/stock/ledger", {"sku": "NOPE", "location": "DC-1"}, "SKU &#39;NOPE&#39; not found"),
        (
            "/stock/ledger",
            {"sku": "SKU-1", "location": "NOWHERE"},
            "location &#39;NOWHERE&#39; not found",
        ),
        ("/stock/ledger", {"sku": "SKU-1"}, "no location given"),
    ],
)
async def test_an_unknown_sku_or_location_is_a_not_found_page(
    console: httpx.AsyncClient,
    admin: Member,
    path: str,
    params: dict[str, str],
    message: str,
) -> None:
    await sign_in(console, admin)

    page = await console.get(path, params=params)

    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text
    assert message in page.text


async def test_another_accounts_sku_is_not_found(
    console: httpx.AsyncClient, engines: Engines, stocked: int
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    stranger = await add_staff(engines, other.account_id, "x@other.example", Role.ADMIN)
    await sign_in(console, stranger)

    sku = await console.get("/stock/sku", params={"sku": "SKU-1"})
    ledger = await console.get("/stock/ledger", params={"sku": "SKU-1", "location": "DC-1"})
    listed = await console.get("/stock")

    assert (sku.status_code, ledger.status_code) == (404, 404)
    assert skus(listed.text) == []


async def test_a_bad_ledger_cursor_or_too_long_prefix_is_explained(
    console: httpx.AsyncClient, admin: Member, stocked: int
) -> None:
    await sign_in(console, admin)

    cursor = await console.get(
        "/stock/ledger", params={"sku": "SKU-1", "location": "DC-1", "before": "x"}
    )
    prefix = await console.get("/stock", params={"prefix": "P" * 101})

    assert cursor.status_code == 400
    assert "Before must be a whole number" in cursor.text
    assert prefix.status_code == 400
    assert "SKU prefix has at most 100 characters" in prefix.text
