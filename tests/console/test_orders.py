"""The console's order pages and actions over HTTP: filters, refusals, roles, bad input."""

import re

import httpx
import pytest

from orderyard.domain.staff import Role
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.console.conftest import Member, add_staff, event_kinds, sign_in
from tests.factories import Factory


@pytest.fixture
async def placed(make: Factory) -> int:
    """An allocated order ORD-1 of 3 x SKU-1 (reference REF-1), 10 on hand at DC-1."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    outcome = await make.order(("SKU-1", 3), number="ORD-1", reference="REF-1")
    assert outcome.order_id is not None
    return outcome.order_id


def order_numbers(page: str) -> list[str]:
    return re.findall(r'href="/console/orders/\d+">([^<]+)</a>', page)


@pytest.mark.usefixtures("placed")
async def test_the_list_finds_orders_by_number_prefix_reference_and_status(
    console: httpx.AsyncClient, make: Factory, admin: Member
) -> None:
    await make.order(("SKU-1", 1), number="WEB-9", reference="REF-9")
    await sign_in(console, admin)

    everything = await console.get("/orders")
    by_prefix = await console.get("/orders", params={"q": "WEB", "search_by": "order_number"})
    by_reference = await console.get("/orders", params={"q": "REF-1", "search_by": "reference"})
    cancelled = await console.get("/orders", params={"status": "cancelled"})

    assert order_numbers(everything.text) == ["WEB-9", "ORD-1"]  # newest first
    assert order_numbers(by_prefix.text) == ["WEB-9"]
    assert order_numbers(by_reference.text) == ["ORD-1"]
    assert order_numbers(cancelled.text) == []
    assert "No order matches these filters." in cancelled.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2026-13-01"}, "Created from must be a date like 2026-01-31"),
        ({"status": "lost"}, "unknown status &#39;lost&#39;"),
        ({"search_by": "sku"}, "unknown search &#39;sku&#39;"),
        ({"page": "0"}, "Page must be a whole number from 1 to 20000"),
        ({"location": "NOWHERE"}, "unknown location &#39;NOWHERE&#39;"),
    ],
)
async def test_a_bad_filter_is_explained_on_the_list(
    console: httpx.AsyncClient, admin: Member, params: dict[str, str], message: str
) -> None:
    await sign_in(console, admin)

    answer = await console.get("/orders", params=params)

    assert answer.status_code == 400
    assert message in answer.text


async def test_an_order_page_shows_its_lines(
    console: httpx.AsyncClient, admin: Member, placed: int
) -> None:
    await sign_in(console, admin)

    page = await console.get(f"/orders/{placed}")

    assert page.status_code == 200
    assert "<h1>Order ORD-1</h1>" in page.text
    assert re.search(
        r"<td>SKU-1</td>\s*<td class=\"num\">3</td>\s*<td class=\"num\">3</td>", page.text
    )


@pytest.mark.parametrize("order_id", ["999", "abc", "0", "99999999999999999999"])
async def test_an_order_that_is_not_there_answers_404(
    console: httpx.AsyncClient, admin: Member, order_id: str
) -> None:
    await sign_in(console, admin)

    answer = await console.get(f"/orders/{order_id}")

    assert answer.status_code == 404
    assert "not found" in answer.text


async def test_another_accounts_order_answers_404_like_a_missing_one(
    console: httpx.AsyncClient, engines: Engines, placed: int
) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    stranger = await add_staff(engines, other.account_id, "staff@other.example", Role.ADMIN)
    csrf = await sign_in(console, stranger)

    page = await console.get(f"/orders/{placed}")
    hold = await console.post(f"/orders/{placed}/hold", data={"csrf_token": csrf})

    assert page.status_code == 404
    assert hold.status_code == 404
    assert await event_kinds(engines, other.account_id) == ["staff_created", "staff_signed_in"]


async def test_holding_records_the_staff_member_as_the_actor(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, operator: Member, placed: int
) -> None:
    csrf = await sign_in(console, operator)

    answer = await console.post(
        f"/orders/{placed}/hold", data={"reason": "address check"}, headers={"X-CSRF-Token": csrf}
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"/console/orders/{placed}?done=held"
    page = await console.get(f"http://orderyard.test{answer.headers['location']}")
    assert "The order is on hold." in page.text
    assert "hold: address check" in page.text
    events = [e for e in await _events(engines, account) if e[1] == "order_held"]
    assert events == [(f"staff:{operator.id}", "order_held")]


async def _events(engines: Engines, account: NewAccount) -> list[tuple[str, str]]:
    from tests.console.conftest import events_of

    return [(e.actor, e.kind) for e in await events_of(engines, account.account_id)]


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("hold", {"reason": "x"}),
        ("resume", {}),
        ("cancel", {"whole": "1"}),
        ("shipments", {}),
        ("shipments/1/ship", {"tracking_number": "1Z"}),
    ],
)
async def test_an_action_without_the_csrf_token_is_refused_and_writes_nothing(
    console: httpx.AsyncClient,
    engines: Engines,
    account: NewAccount,
    admin: Member,
    placed: int,
    action: str,
    form: dict[str, str],
) -> None:
    await sign_in(console, admin)
    before = await event_kinds(engines, account.account_id)

    missing = await console.post(f"/orders/{placed}/{action}", data=form)
    wrong = await console.post(f"/orders/{placed}/{action}", data={**form, "csrf_token": "0" * 64})

    assert (missing.status_code, wrong.status_code) == (403, 403)
    assert await event_kinds(engines, account.account_id) == before


@pytest.mark.parametrize(
    ("action", "form"),
    [
        ("hold", {"reason": "x"}),
        ("resume", {}),
        ("cancel", {"whole": "1"}),
        ("shipments", {}),
    ],
)
async def test_a_read_only_staff_member_is_refused_every_action(
    console: httpx.AsyncClient,
    engines: Engines,
    account: NewAccount,
    reader: Member,
    placed: int,
    action: str,
    form: dict[str, str],
) -> None:
    csrf = await sign_in(console, reader)
    before = await event_kinds(engines, account.account_id)

    answer = await console.post(f"/orders/{placed}/{action}", data={**form, "csrf_token": csrf})

    assert answer.status_code == 403
    assert "a read-only staff member cannot change anything" in answer.text
    assert await event_kinds(engines, account.account_id) == before


async def test_a_read_only_page_has_no_action_buttons(
    console: httpx.AsyncClient, reader: Member, placed: int
) -> None:
    await sign_in(console, reader)

    page = await console.get(f"/orders/{placed}")

    assert page.status_code == 200
    assert "/hold" not in page.text
    assert "Create shipments" not in page.text
    assert "Units to cancel" not in page.text


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({}, 400, "give the units to cancel of at least one line"),
        ({"cancel_1": "lots"}, 400, "Units to cancel must be a whole number"),
        ({"cancel_1": "4"}, 400, "open"),
        ({"cancel_999": "1"}, 400, "999"),
    ],
)
async def test_a_line_cancellation_the_order_refuses_is_explained_and_writes_nothing(
    console: httpx.AsyncClient,
    engines: Engines,
    account: NewAccount,
    admin: Member,
    placed: int,
    form: dict[str, str],
    status: int,
    message: str,
) -> None:
    csrf = await sign_in(console, admin)
    before = await event_kinds(engines, account.account_id)

    answer = await console.post(f"/orders/{placed}/cancel", data={**form, "csrf_token": csrf})

    assert answer.status_code == status
    assert message in answer.text
    assert await event_kinds(engines, account.account_id) == before


async def test_cancelling_some_units_of_a_line_keeps_the_rest(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member, placed: int
) -> None:
    csrf = await sign_in(console, admin)

    answer = await console.post(
        f"/orders/{placed}/cancel", data={"cancel_1": "1", "reason": "short", "csrf_token": csrf}
    )

    assert answer.status_code == 303
    page = await console.get(f"/orders/{placed}")
    assert re.search(
        r"<td>SKU-1</td>\s*<td class=\"num\">3</td>\s*<td class=\"num\">2</td>", page.text
    )
    assert "order_lines_cancelled" in await event_kinds(engines, account.account_id)


async def test_shipping_a_shipment_of_another_order_answers_404(
    console: httpx.AsyncClient,
    engines: Engines,
    account: NewAccount,
    admin: Member,
    make: Factory,
    placed: int,
) -> None:
    other = await make.order(("SKU-1", 1), number="ORD-2")
    assert other.order_id is not None
    csrf = await sign_in(console, admin)
    created = await console.post(f"/orders/{other.order_id}/shipments", data={"csrf_token": csrf})
    assert created.status_code == 303
    before = await event_kinds(engines, account.account_id)

    answer = await console.post(
        f"/orders/{placed}/shipments/1/ship", data={"tracking_number": "1Z", "csrf_token": csrf}
    )

    assert answer.status_code == 404
    assert f"order {placed} has no shipment 1" in answer.text
    assert await event_kinds(engines, account.account_id) == before


async def test_a_form_value_no_database_can_store_is_refused(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member, placed: int
) -> None:
    csrf = await sign_in(console, admin)
    before = await event_kinds(engines, account.account_id)

    answer = await console.post(
        f"/orders/{placed}/hold", data={"reason": "bad\x00reason", "csrf_token": csrf}
    )

    assert answer.status_code == 400
    assert "Reason holds a character that cannot be stored" in answer.text
    assert await event_kinds(engines, account.account_id) == before
