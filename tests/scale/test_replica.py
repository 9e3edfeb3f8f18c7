"""A read replica: lag-tolerant reads go to it, everything else to the primary, and a replica
that lags or is down sends them to the primary instead of failing.

Each test proves which database answered by what it shows: replay is paused on the replica,
an order is written on the primary, and only the primary can show it. One replica serves the
whole module (its base backup is the slow part); the test that stops it runs last.
"""

import asyncio
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from orderyard.app import CONSOLE_ROOT, SHIPEDGE_ROOT
from orderyard.domain.staff import Role
from orderyard.domain.values import PageRequest
from orderyard.services.account import NewAccount
from orderyard.services.order import OrderFilter, OrderRef, get_order, list_orders
from orderyard.store.engine import Engines
from orderyard.store.replica import Replica, open_replica
from orderyard.store.uow import ReadUnitOfWork
from tests.console.conftest import Member, add_staff, sign_in
from tests.dialects.orderdynamics.test_orders import order_body as od_order_body
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory
from tests.http.servers import Served, serving
from tests.scale.replica import StreamingReplica, streaming_replica

pytestmark = [pytest.mark.postgres, pytest.mark.scale]

GENEROUS = 3600.0
"""A lag allowance no paused test reaches: the replica keeps serving while it shows the past."""
READ_ONLY = "read-only transaction"
"""What a statement sent to the standby that writes would fail with."""


@pytest.fixture(scope="module")
def replica(migrated_template: str) -> Iterator[StreamingReplica]:
    """One standby of the test server for the module (made after the test database)."""
    with streaming_replica(migrated_template) as made:
        print(f"\nbase backup of the test server: {made.backup_seconds:.1f} s")  # noqa: T201
        yield made


@pytest.fixture(autouse=True)
async def replaying(replica: StreamingReplica, db_url: str) -> AsyncIterator[None]:
    """Each test starts with replay running and caught up with the emptied database."""
    if not replica.stopped:
        await replica.resume_replay()
    yield
    if not replica.stopped:
        await replica.resume_replay()


@pytest.fixture
async def standby(replica: StreamingReplica, db_url: str) -> AsyncIterator[Replica]:
    """A ``Replica`` of the standby, checked on every read, its allowance generous."""
    made = open_replica(
        replica.url_of(db_url), pool_size=2, max_lag_seconds=GENEROUS, check_seconds=0
    )
    yield made
    await made.dispose()


def reads(engines: Engines, account: NewAccount, replica: Replica) -> ReadUnitOfWork:
    """What a route is given: a read unit of work on the primary that knows the replica."""
    return ReadUnitOfWork(engines.read, account.account_id, replica=replica)


async def listed(engines: Engines, account: NewAccount, replica: Replica) -> list[str]:
    """The order numbers of the first page of the account's orders (a lag-tolerant read)."""
    found = await list_orders(reads(engines, account, replica), OrderFilter(), PageRequest(1, 50))
    return [order.order_number for order in found.items]


async def stocked(make: Factory) -> None:
    await make.location("DC-1")
    for sku in ("PROD-001", "SKU-1"):
        await make.item(sku)
        await make.stock("DC-1", sku, 100)


async def test_a_list_reads_the_replica_while_a_get_reads_the_primary(
    replica: StreamingReplica,
    standby: Replica,
    engines: Engines,
    account: NewAccount,
    make: Factory,
) -> None:
    await stocked(make)
    await make.order(("PROD-001", 1), number="BEFORE")
    await replica.wait_caught_up()
    await replica.pause_replay()

    placed = await make.order(("PROD-001", 1), number="AFTER")

    assert await listed(engines, account, standby) == ["BEFORE"]
    assert standby.state.usable, standby.state
    got = await get_order(reads(engines, account, standby), OrderRef("id", placed.order_id or 0))
    assert got.order_number == "AFTER"
    named = OrderFilter(order_id=placed.order_id)
    by_id = await list_orders(reads(engines, account, standby), named, PageRequest(1, 50))
    assert [order.order_number for order in by_id.items] == ["AFTER"]  # a lookup: the primary
    await replica.resume_replay()
    assert await listed(engines, account, standby) == ["AFTER", "BEFORE"]


async def test_only_a_lag_tolerant_unit_opens_on_the_replica(
    standby: Replica, engines: Engines, account: NewAccount
) -> None:
    plain = reads(engines, account, standby)

    async with plain:
        assert not plain.on_replica
    async with plain.tolerating_lag() as tolerant:
        assert tolerant.on_replica


async def test_a_replica_lagging_past_the_allowance_leaves_the_list_to_the_primary(
    replica: StreamingReplica,
    standby: Replica,
    engines: Engines,
    account: NewAccount,
    make: Factory,
) -> None:
    standby.max_lag_seconds = 0.2
    await stocked(make)
    await replica.pause_replay()

    await make.order(("PROD-001", 1), number="NEW")
    await _until_lagging(standby)

    assert await listed(engines, account, standby) == ["NEW"]
    assert not standby.state.usable
    assert standby.state.reason.startswith("lags"), standby.state


async def _until_lagging(standby: Replica, within: float = 10.0) -> None:
    """Wait until the replica's lag passes its allowance (real time: the lag is real)."""
    deadline = time.monotonic() + within
    while (await standby.check()).usable:
        assert time.monotonic() < deadline, standby.state
        await asyncio.sleep(0.05)


def replica_settings(replica: StreamingReplica, db_url: str) -> dict[str, str]:
    return {
        "ORDERYARD_DATABASE__REPLICA_URL": replica.url_of(db_url),
        "ORDERYARD_DATABASE__REPLICA_MAX_LAG_SECONDS": str(GENEROUS),
        "ORDERYARD_DATABASE__REPLICA_CHECK_SECONDS": "0",
        "ORDERYARD_DATABASE__POOL_SIZE": "3",
        "ORDERYARD_RATE_LIMIT__ENABLED": "false",
    }


@pytest.fixture
def server(
    replica: StreamingReplica, db_url: str, account: NewAccount, tmp_path: Path
) -> Iterator[tuple[Served, httpx.Client]]:
    """``orderyard serve`` with the replica, and a client authenticated for both dialects."""
    headers = {
        "AccountID": str(account.account_id),
        "Key": account.key,
        "Ocp-Apim-Subscription-Key": account.key,
    }
    with (
        serving(tmp_path, db_url, replica_settings(replica, db_url)) as served,
        httpx.Client(base_url=served.origin, headers=headers, timeout=30) as http,
    ):
        yield served, http


def shipedge_numbers(http: httpx.Client) -> list[str]:
    answer = http.get(f"{SHIPEDGE_ROOT}/orders")
    assert answer.status_code == 200, answer.text
    return sorted(order["order_number"] for order in answer.json()["data"])


def replica_reads(http: httpx.Client, database: str) -> float:
    """``orderyard_replica_reads_total{database=...}`` on the server's ``/metrics``."""
    text = http.get("/metrics").text
    line = rf'^orderyard_replica_reads_total{{database="{database}"}} (\S+)$'
    found = re.search(line, text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_through_a_server_a_new_order_is_got_at_once_and_listed_once_replayed(
    replica: StreamingReplica, server: tuple[Served, httpx.Client], make: Factory
) -> None:
    _, http = server
    await stocked(make)
    await replica.pause_replay()

    created = http.post(f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body("SE-1")]})

    assert created.status_code == 200, created.text
    [result] = created.json()["data"]
    got = http.get(f"{SHIPEDGE_ROOT}/orders/{result['order_id']}")
    assert got.status_code == 200, got.text
    assert got.json()["data"]["order_number"] == "SE-1"
    assert shipedge_numbers(http) == []
    await replica.resume_replay()
    assert shipedge_numbers(http) == ["SE-1"]
    assert replica_reads(http, "replica") >= 2


CONSOLE_PAGES = ("/", "/orders", "/shipments", "/returns", "/jobs", "/stock")
"""The console's dashboard and list pages, which read the replica."""


async def console_pages(origin: str, member: Member) -> set[int]:
    """Sign in to the console of a real server and open its dashboard and list pages."""
    async with httpx.AsyncClient(base_url=f"{origin}{CONSOLE_ROOT}", timeout=30) as console:
        await sign_in(console, member)
        return {(await console.get(page)).status_code for page in CONSOLE_PAGES}


async def test_writes_and_reads_of_both_dialects_never_reach_the_replica_with_a_write(
    replica: StreamingReplica,
    server: tuple[Served, httpx.Client],
    make: Factory,
    engines: Engines,
    account: NewAccount,
) -> None:
    served, http = server
    await stocked(make)
    member = await add_staff(engines, account.account_id, "ops@acme.example", Role.ADMIN)
    statuses: set[int] = set()
    for n in range(5):
        for answer in (
            http.post(f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body(f"SE-{n}")]}),
            http.post("/v1/orders", json=od_order_body(f"OD-{n}")),
            http.get(f"{SHIPEDGE_ROOT}/orders", params={"per_page": 5}),
            http.post("/v1/orders/Search", json={}),
            http.get("/v1/orders", params={"ExternalOrderId": f"OD-{n}"}),
            http.get(f"{SHIPEDGE_ROOT}/inventory/products"),
            http.get("/StatusManagement/v1"),
        ):
            statuses.add(answer.status_code)
            assert READ_ONLY not in answer.text

    assert statuses == {200, 201}, statuses
    assert await console_pages(served.origin, member) == {200}
    assert replica_reads(http, "replica") > 0
    assert READ_ONLY not in served.log.read_text()
    await replica.wait_caught_up()
    assert len(shipedge_numbers(http)) == 10  # both dialects' orders, listed on the replica


async def test_a_stopped_replica_leaves_every_list_to_the_primary(
    replica: StreamingReplica, server: tuple[Served, httpx.Client], make: Factory
) -> None:
    """Runs last in the module: the replica stays stopped."""
    served, http = server
    await stocked(make)
    assert shipedge_numbers(http) == []

    replica.stop()
    created = http.post(f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body("SE-1")]})

    assert created.status_code == 200, created.text
    assert shipedge_numbers(http) == ["SE-1"]
    assert http.post("/v1/orders/Search", json={}).status_code == 200
    assert "orderyard_replica_usable 0.0" in http.get("/metrics").text
    assert replica_reads(http, "primary") >= 2
    assert "Traceback" not in served.log.read_text()
