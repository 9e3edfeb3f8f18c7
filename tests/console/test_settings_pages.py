"""Settings over HTTP: locations, the allocation strategy, shipping methods and channels.

Each change goes through the service the APIs use and records its event as the admin's;
operators and read-only members are refused (403) and nothing is written.
"""

import re

import httpx
import pytest

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.staff import Role
from orderyard.domain.values import PageRequest
from orderyard.services import location as location_service
from orderyard.services import strategy as strategy_service
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.console.conftest import Member, add_staff, event_kinds, events_of, sign_in
from tests.factories import Factory


async def locations(engines: Engines, account: NewAccount) -> list[tuple[str, str, int]]:
    found = await location_service.list_locations(ReadUnitOfWork(engines.read, account.account_id))
    return [(place.code, place.name, place.priority) for place in found]


async def names_in(
    engines: Engines, account: NewAccount, registry: location_service.Registry
) -> list[str]:
    uow = UnitOfWork(engines.write, account.account_id, actor="test")
    names = await location_service.list_names(uow, registry, PageRequest(1, 100))
    return [record.name for record in names.items]


async def strategy_of(engines: Engines, account: NewAccount) -> AllocationStrategy:
    uow = UnitOfWork(engines.write, account.account_id, actor="test")
    return (await strategy_service.current_strategy(uow)).strategy


async def test_an_admin_adds_renames_and_reprioritizes_a_location(
    console: httpx.AsyncClient, admin: Member, engines: Engines, account: NewAccount
) -> None:
    csrf = await sign_in(console, admin)

    added = await console.post(
        "/settings/locations",
        data={
            "csrf_token": csrf,
            "code": "DC-9",
            "name": "North",
            "kind": "store",
            "priority": "5",
        },
    )
    changed = await console.post(
        "/settings/locations/change",
        data={"csrf_token": csrf, "code": "DC-9", "name": "North DC", "priority": "2"},
    )
    page = await console.get("/settings", params={"done": "location_changed"})

    assert (added.status_code, added.headers["location"]) == (
        303,
        "/console/settings?done=location_added",
    )
    assert changed.status_code == 303
    assert await locations(engines, account) == [("DC-9", "North DC", 2)]
    assert "The location is changed." in page.text
    assert 'value="North DC"' in page.text
    events = [
        e for e in await events_of(engines, account.account_id) if e.kind.startswith("location_")
    ]
    assert [(e.kind, e.actor) for e in events] == [
        ("location_created", f"staff:{admin.id}"),
        ("location_updated", f"staff:{admin.id}"),
    ]


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"code": "DC-1", "name": "Again"}, 400, "DC-1"),
        ({"code": "", "name": "No code"}, 400, "Code is required"),
        ({"code": "DC-2", "name": "X", "kind": "moon"}, 400, "unknown kind &#39;moon&#39;"),
        ({"code": "DC-2", "name": "X", "priority": "-1"}, 400, "Priority must be a whole number"),
        ({"code": "C" * 65, "name": "X"}, 400, "Code has at most 64 characters"),
    ],
)
async def test_a_refused_location_is_explained_and_nothing_is_added(
    console: httpx.AsyncClient,
    admin: Member,
    make: Factory,
    engines: Engines,
    account: NewAccount,
    data: dict[str, str],
    status: int,
    message: str,
) -> None:
    await make.location("DC-1")
    csrf = await sign_in(console, admin)

    refused = await console.post("/settings/locations", data={"csrf_token": csrf, **data})

    assert refused.status_code == status
    assert message in refused.text
    assert 'role="alert"' in refused.text
    assert [code for code, _, _ in await locations(engines, account)] == ["DC-1"]


async def test_changing_an_unknown_location_is_a_not_found(
    console: httpx.AsyncClient, admin: Member, engines: Engines, account: NewAccount
) -> None:
    csrf = await sign_in(console, admin)

    refused = await console.post(
        "/settings/locations/change", data={"csrf_token": csrf, "code": "NOPE", "name": "X"}
    )

    assert refused.status_code == 404
    assert "location &#39;NOPE&#39; not found" in refused.text
    assert "location_updated" not in await event_kinds(engines, account.account_id)


async def test_an_admin_switches_the_allocation_strategy(
    console: httpx.AsyncClient, admin: Member, engines: Engines, account: NewAccount
) -> None:
    csrf = await sign_in(console, admin)

    switched = await console.post(
        "/settings/strategy", data={"csrf_token": csrf, "strategy": "most_stock"}
    )
    unknown = await console.post(
        "/settings/strategy", data={"csrf_token": csrf, "strategy": "random"}
    )
    page = await console.get("/settings")

    assert switched.status_code == 303
    assert unknown.status_code == 400
    assert "unknown allocation strategy &#39;random&#39;" in unknown.text
    assert await strategy_of(engines, account) is AllocationStrategy.most_stock
    assert '<strong id="current-strategy">most stock</strong>' in page.text
    kinds = await event_kinds(engines, account.account_id)
    assert kinds.count("allocation_strategy_switched") == 1


@pytest.mark.parametrize(
    ("path", "registry"),
    [
        ("shipping-methods", location_service.Registry.shipping_methods),
        ("channels", location_service.Registry.channels),
    ],
)
async def test_an_admin_adds_a_shipping_method_or_a_channel_once(
    console: httpx.AsyncClient,
    admin: Member,
    engines: Engines,
    account: NewAccount,
    path: str,
    registry: location_service.Registry,
) -> None:
    csrf = await sign_in(console, admin)
    before = await names_in(engines, account, registry)

    added = await console.post(f"/settings/{path}", data={"csrf_token": csrf, "name": "Express"})
    again = await console.post(f"/settings/{path}", data={"csrf_token": csrf, "name": "Express"})
    empty = await console.post(f"/settings/{path}", data={"csrf_token": csrf, "name": " "})
    page = await console.get("/settings")

    assert added.status_code == 303
    assert again.status_code == 400
    assert "Express" in again.text
    assert empty.status_code == 400
    assert "is required" in empty.text
    assert await names_in(engines, account, registry) == [*before, "Express"]
    assert re.search(rf'<ul class="names" id="{path}">.*<li>Express</li></ul>', page.text)
    assert (await event_kinds(engines, account.account_id)).count(
        f"{registry.value}_registered"
    ) == 1


async def test_an_unknown_setting_is_not_found(console: httpx.AsyncClient, admin: Member) -> None:
    csrf = await sign_in(console, admin)

    refused = await console.post("/settings/suppliers", data={"csrf_token": csrf, "name": "X"})

    assert refused.status_code == 404


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.READ_ONLY])
@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/settings/locations", {"code": "DC-2", "name": "X"}),
        ("/settings/locations/change", {"code": "DC-1", "name": "Renamed"}),
        ("/settings/strategy", {"strategy": "most_stock"}),
        ("/settings/shipping-methods", {"name": "Express"}),
        ("/settings/channels", {"name": "Web"}),
    ],
)
async def test_only_an_admin_changes_settings_and_a_refusal_writes_nothing(
    console: httpx.AsyncClient,
    make: Factory,
    engines: Engines,
    account: NewAccount,
    role: Role,
    path: str,
    data: dict[str, str],
) -> None:
    await make.location("DC-1")
    member = await add_staff(engines, account.account_id, "someone@acme.example", role)
    csrf = await sign_in(console, member)
    before = await event_kinds(engines, account.account_id)

    page = await console.get("/settings")
    refused = await console.post(path, data={"csrf_token": csrf, **data})

    assert "Only an admin can change the settings." in page.text
    assert '<form method="post" action="/console/settings' not in page.text
    assert refused.status_code == 403
    assert "only an admin can change the account&#39;s settings" in refused.text
    assert await event_kinds(engines, account.account_id) == before
    assert await locations(engines, account) == [("DC-1", "Location DC-1", 1)]
    assert await strategy_of(engines, account) is AllocationStrategy.by_priority


async def test_a_settings_change_without_the_csrf_token_writes_nothing(
    console: httpx.AsyncClient, admin: Member, engines: Engines, account: NewAccount
) -> None:
    await sign_in(console, admin)
    before = await event_kinds(engines, account.account_id)

    refused = await console.post("/settings/strategy", data={"strategy": "most_stock"})

    assert refused.status_code == 403
    assert "nothing was changed" in refused.text
    assert await strategy_of(engines, account) is AllocationStrategy.by_priority
    assert await event_kinds(engines, account.account_id) == before
