"""What the console's tests share: an HTTP client of the console, staff, signing in.

``console`` serves the root app in process (httpx), for the routes' bad paths; the browser
tests (``test_browser.py``) start a real server instead (``tests/console/browser.py``).
"""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from orderyard.app import CONSOLE_ROOT, create_app
from orderyard.domain.event_log import EventFilter, LoggedEvent
from orderyard.domain.staff import Role
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import staff as staff_service
from orderyard.services.account import NewAccount
from orderyard.services.event_log import list_events
from orderyard.settings import ConsoleSettings, DatabaseSettings, Settings
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

PASSWORD = "correct horse battery staple"
HOST = "orderyard.test"


@dataclass(frozen=True, slots=True)
class Member:
    """A staff member the tests created, with its password."""

    id: int
    email: str
    password: str = PASSWORD


async def add_staff(engines: Engines, account_id: AccountId, email: str, role: Role) -> Member:
    """A staff member of the account with ``PASSWORD``."""
    uow = UnitOfWork(engines.write, account_id, actor="test")
    member = await staff_service.create_staff(uow, email, role, PASSWORD)
    return Member(member.id, member.email)


@pytest.fixture
async def admin(engines: Engines, account: NewAccount) -> Member:
    return await add_staff(engines, account.account_id, "admin@acme.example", Role.ADMIN)


@pytest.fixture
async def operator(engines: Engines, account: NewAccount) -> Member:
    return await add_staff(engines, account.account_id, "operator@acme.example", Role.OPERATOR)


@pytest.fixture
async def reader(engines: Engines, account: NewAccount) -> Member:
    return await add_staff(engines, account.account_id, "reader@acme.example", Role.READ_ONLY)


def console_settings(db_url: str, **console: object) -> Settings:
    return Settings(
        database=DatabaseSettings(url=db_url, pool_size=5),
        console=ConsoleSettings(**console),  # type: ignore[arg-type]
    )


@pytest.fixture
async def console(db_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the console (not signed in); redirects are not followed."""
    app = create_app(console_settings(db_url))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"http://{HOST}{CONSOLE_ROOT}"
    ) as http:
        yield http


SIGN_IN_TOKEN = re.compile(r'name="sign_in_token" value="([^"]+)"')
CSRF_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


async def sign_in_form(http: httpx.AsyncClient) -> str:
    """Open the sign-in form (its cookie is kept by the client); its token."""
    page = await http.get("/sign-in")
    found = SIGN_IN_TOKEN.search(page.text)
    assert found is not None, page.text
    return found.group(1)


async def sign_in(http: httpx.AsyncClient, member: Member) -> str:
    """Sign in as ``member``; the CSRF token of its pages."""
    token = await sign_in_form(http)
    answer = await http.post(
        "/sign-in",
        data={"sign_in_token": token, "email": member.email, "password": member.password},
    )
    assert answer.status_code == 303, answer.text
    page = await http.get("/account/api-integration")
    found = CSRF_TOKEN.search(page.text)
    assert found is not None, page.text
    return found.group(1)


async def events_of(engines: Engines, account_id: AccountId) -> list[LoggedEvent]:
    """Every event the account's log holds, oldest first."""
    read = ReadUnitOfWork(engines.read, account_id)
    return (await list_events(read, EventFilter(), PageRequest(1, 500))).items


async def event_kinds(engines: Engines, account_id: AccountId) -> list[str]:
    return [event.kind for event in await events_of(engines, account_id)]
