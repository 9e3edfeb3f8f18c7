"""My Account > Preferences > API Integration over HTTP: who may generate a key, and what
the old key does afterwards."""

import re

import httpx
import pytest

from orderyard.domain.errors import AuthenticationError
from orderyard.domain.staff import Role
from orderyard.services import account as account_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.console.conftest import Member, add_staff, event_kinds, sign_in


async def test_the_page_shows_the_account_id_and_both_base_urls_with_curl_examples(
    console: httpx.AsyncClient, account: NewAccount, operator: Member
) -> None:
    await sign_in(console, operator)

    page = await console.get("/account/api-integration")

    assert page.status_code == 200
    assert f'<dd id="account-id">{account.account_id}</dd>' in page.text
    assert "http://orderyard.test/apirest/v4/oms" in page.text
    assert (
        f"curl -X POST &#34;http://orderyard.test/apirest/v4/oms/ping&#34;"
        f" -H &#34;AccountID: {account.account_id}&#34; -H &#34;Key: YOUR_KEY&#34;"
    ) in page.text
    assert "http://orderyard.test/v1/items/Skus" in page.text
    assert "Only an admin can generate a new key." in page.text
    assert account.key not in page.text


async def test_an_admin_generates_a_key_shown_once_and_the_old_one_stops_at_once(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    csrf = await sign_in(console, admin)
    system = SystemUnitOfWork(engines.read)
    assert await account_service.authenticate(system, account.key) == account.account_id

    answer = await console.post("/account/api-integration/key", data={"csrf_token": csrf})

    assert answer.status_code == 200
    found = re.search(r'<code id="new-key" class="secret">([^<]+)</code>', answer.text)
    assert found is not None
    new_key = found.group(1)
    assert await account_service.authenticate(system, new_key) == account.account_id
    with pytest.raises(AuthenticationError):
        await account_service.authenticate(system, account.key)
    assert new_key not in (await console.get("/account/api-integration")).text
    kinds = await event_kinds(engines, account.account_id)
    assert kinds[-1] == "account_key_regenerated"


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.READ_ONLY])
async def test_only_an_admin_may_generate_a_key(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, role: Role
) -> None:
    member = await add_staff(engines, account.account_id, "member@acme.example", role)
    csrf = await sign_in(console, member)
    before = await event_kinds(engines, account.account_id)

    answer = await console.post("/account/api-integration/key", data={"csrf_token": csrf})

    assert answer.status_code == 403
    assert "only an admin can generate the account&#39;s API key" in answer.text
    system = SystemUnitOfWork(engines.read)
    assert await account_service.authenticate(system, account.key) == account.account_id
    assert await event_kinds(engines, account.account_id) == before


async def test_generating_a_key_without_the_csrf_token_changes_nothing(
    console: httpx.AsyncClient, engines: Engines, account: NewAccount, admin: Member
) -> None:
    await sign_in(console, admin)
    before = await event_kinds(engines, account.account_id)

    answer = await console.post("/account/api-integration/key", data={})

    assert answer.status_code == 403
    system = SystemUnitOfWork(engines.read)
    assert await account_service.authenticate(system, account.key) == account.account_id
    assert await event_kinds(engines, account.account_id) == before
