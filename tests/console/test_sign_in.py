"""Signing in and out of the console over HTTP: cookies, refusals, limits, events."""

import httpx
import pytest

from orderyard.app import CONSOLE_ROOT, create_app
from orderyard.services import staff as staff_service
from orderyard.services.account import NewAccount
from orderyard.services.staff import StaffRef
from orderyard.store.engine import Engines
from orderyard.store.uow import UnitOfWork
from tests.console.conftest import (
    HOST,
    Member,
    console_settings,
    event_kinds,
    sign_in,
    sign_in_form,
)


async def test_signing_in_sets_an_http_only_same_site_cookie_and_records_the_event(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    token = await sign_in_form(console)

    answer = await console.post(
        "/sign-in",
        data={"sign_in_token": token, "email": "ADMIN@acme.example", "password": admin.password},
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{CONSOLE_ROOT}/orders"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("orderyard_console=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert f"Path={CONSOLE_ROOT}" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here
    assert (await console.get("/orders")).status_code == 200
    assert await event_kinds(engines, account.account_id) == ["staff_created", "staff_signed_in"]


async def test_over_https_the_session_cookie_is_secure(db_url: str, admin: Member) -> None:
    app = create_app(console_settings(db_url))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"https://{HOST}{CONSOLE_ROOT}"
    ) as http:
        token = await sign_in_form(http)
        answer = await http.post(
            "/sign-in",
            data={"sign_in_token": token, "email": admin.email, "password": admin.password},
        )

    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("orderyard_console=")
    )
    assert "Secure" in cookie


async def test_a_wrong_password_is_refused_and_starts_no_session(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    token = await sign_in_form(console)

    answer = await console.post(
        "/sign-in",
        data={"sign_in_token": token, "email": admin.email, "password": "not the password"},
    )

    assert answer.status_code == 401
    assert "the e-mail or the password is wrong" in answer.text
    assert "orderyard_console=" not in " ".join(answer.headers.get_list("set-cookie"))
    assert (await console.get("/orders")).status_code == 303
    assert await event_kinds(engines, account.account_id) == ["staff_created"]


async def test_an_unknown_e_mail_is_refused_in_the_same_words(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    token = await sign_in_form(console)

    answer = await console.post(
        "/sign-in",
        data={"sign_in_token": token, "email": "nobody@acme.example", "password": admin.password},
    )

    assert answer.status_code == 401
    assert "the e-mail or the password is wrong" in answer.text
    assert await event_kinds(engines, account.account_id) == ["staff_created"]


async def test_a_sign_in_without_the_forms_token_is_refused_and_writes_nothing(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    await sign_in_form(console)

    answer = await console.post("/sign-in", data={"email": admin.email, "password": admin.password})

    assert answer.status_code == 403
    assert "nothing was changed" in answer.text
    assert await event_kinds(engines, account.account_id) == ["staff_created"]


async def test_a_malformed_e_mail_is_refused_naming_the_problem(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    token = await sign_in_form(console)

    answer = await console.post(
        "/sign-in", data={"sign_in_token": token, "email": "not an address", "password": "x" * 12}
    )

    assert answer.status_code == 400
    assert "is not an e-mail address" in answer.text
    assert await event_kinds(engines, account.account_id) == ["staff_created"]


async def _attempt(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    """One sign-in from a freshly opened form (each answer sets a new form token)."""
    token = await sign_in_form(http)
    return await http.post(
        "/sign-in", data={"sign_in_token": token, "email": email, "password": password}
    )


async def test_sign_in_attempts_beyond_the_burst_of_one_e_mail_wait(
    db_url: str, engines: Engines, account: NewAccount, admin: Member
) -> None:
    app = create_app(console_settings(db_url, sign_in_email_burst=2, sign_in_email_per_hour=1))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}{CONSOLE_ROOT}"
    ) as http:
        wrong = [(await _attempt(http, admin.email, "wrong password!")).status_code for _ in "ab"]
        refused = await _attempt(http, admin.email.upper(), admin.password)
        other = await _attempt(http, "operator@acme.example", "wrong password!")

    assert wrong == [401, 401]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3000  # one attempt an hour
    assert "Too many sign-in attempts" in refused.text
    assert other.status_code == 401  # another e-mail still has its attempts
    assert await event_kinds(engines, account.account_id) == ["staff_created"]


async def test_sign_in_attempts_beyond_the_burst_of_one_address_wait_whatever_the_e_mail(
    db_url: str, engines: Engines, account: NewAccount, admin: Member
) -> None:
    app = create_app(console_settings(db_url, sign_in_address_burst=3))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}{CONSOLE_ROOT}"
    ) as http:
        for n in range(3):
            await _attempt(http, f"guess{n}@acme.example", "x" * 12)
        refused = await _attempt(http, admin.email, admin.password)

    assert refused.status_code == 429
    assert await event_kinds(engines, account.account_id) == ["staff_created"]


async def test_signing_out_ends_the_session_for_good(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    csrf = await sign_in(console, admin)
    session_cookie = console.cookies["orderyard_console"]

    answer = await console.post("/sign-out", data={"csrf_token": csrf})

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{CONSOLE_ROOT}/sign-in"
    console.cookies.set("orderyard_console", session_cookie, domain=HOST, path=CONSOLE_ROOT)
    assert (await console.get("/orders")).status_code == 303  # the old cookie is dead
    kinds = await event_kinds(engines, account.account_id)
    assert kinds == ["staff_created", "staff_signed_in", "staff_signed_out"]


async def test_signing_out_without_the_csrf_token_is_refused_and_the_session_lives(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    await sign_in(console, admin)

    answer = await console.post("/sign-out", data={})

    assert answer.status_code == 403
    assert (await console.get("/orders")).status_code == 200
    assert await event_kinds(engines, account.account_id) == ["staff_created", "staff_signed_in"]


async def test_disabling_a_staff_member_ends_its_session_at_the_next_request(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    await sign_in(console, admin)
    assert (await console.get("/orders")).status_code == 200

    uow = UnitOfWork(engines.write, account.account_id, actor="test")
    await staff_service.disable_staff(uow, StaffRef(staff_id=admin.id))

    answer = await console.get("/orders", headers={"HX-Request": "true"})
    assert answer.status_code == 303
    assert answer.headers["HX-Redirect"] == f"{CONSOLE_ROOT}/sign-in"


@pytest.mark.parametrize("cookie", ["", "forged-token", "x" * 300])
async def test_a_missing_or_forged_session_cookie_goes_to_sign_in(
    console: httpx.AsyncClient, cookie: str
) -> None:
    if cookie:
        console.cookies.set("orderyard_console", cookie, domain=HOST, path=CONSOLE_ROOT)

    answer = await console.get("/orders/1")

    assert answer.status_code == 303
    assert answer.headers["location"] == f"{CONSOLE_ROOT}/sign-in"


async def test_the_console_root_without_its_slash_leads_to_the_console(
    console: httpx.AsyncClient,
) -> None:
    answer = await console.get("http://orderyard.test/console")

    assert answer.status_code == 307
    assert answer.headers["location"] == "/console/"
