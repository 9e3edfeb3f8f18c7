"""Crash safety on PostgreSQL (issue 15): a server killed with kill -9 under a load of orders.

Two ``orderyard serve`` processes share the test database; eight clients place orders through
both. One process is killed with ``kill -9`` mid-load (requests in flight on it die with the
connection), the load goes on through the other, then the killed one is started again and
takes its share. Afterwards: every order answered 200 exists with its lines, no order exists
half-written (no order without lines, no allocated line without its movement), every stock
level equals the sum of its movements, and every order has its ``order_placed`` event (the
webhooks' outbox).
"""

import asyncio
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from orderyard.app import SHIPEDGE_ROOT
from orderyard.services.account import NewAccount
from orderyard.store.engine import Engines
from orderyard.store.tables import allocations, events, order_lines, orders, stock_levels
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory
from tests.http.servers import ServerProcess
from tests.services.checks import assert_ledger_balances

pytestmark = [pytest.mark.concurrency, pytest.mark.postgres]
CLIENTS = 8
START_TIMEOUT = 120.0
"""Generous: a start imports the whole app, on a machine busy with the load itself."""
SCARCE = 40
"""Units of the second SKU: the load runs past them, so backorders are part of it."""


@contextlib.contextmanager
def two_servers(db_url: str, workdir: Path) -> Iterator[list[ServerProcess]]:
    settings = {"ORDERYARD_WORKER_IN_SERVER": "true"}
    servers = [ServerProcess(db_url, workdir, settings, start_timeout=START_TIMEOUT) for _ in "ab"]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Load:
    """Clients placing one-order requests in turn on each server until told to stop."""

    def __init__(self, servers: list[ServerProcess], account: NewAccount) -> None:
        self._servers = servers
        self._headers = {"AccountID": str(account.account_id), "Key": account.key}
        self.acknowledged: set[str] = set()
        self.lost_connections = 0
        self._stop = asyncio.Event()

    async def client(self, index: int) -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            sent = 0
            while not self._stop.is_set():
                server = self._servers[(index + sent) % len(self._servers)]
                number = f"C{index}-{sent}"
                sent += 1
                skus = (("SKU-1", 1), ("SKU-2", 1)) if sent % 3 == 0 else (("SKU-1", 2),)
                body = {"data": [order_body(number, *skus)]}
                try:
                    answer = await http.post(
                        f"{server.origin}{SHIPEDGE_ROOT}/orders", json=body, headers=self._headers
                    )
                except httpx.TransportError:
                    self.lost_connections += 1
                    await asyncio.sleep(0.05)
                    continue
                if answer.status_code == 200:
                    self.acknowledged.add(number)

    async def until(self, acknowledged: int) -> None:
        deadline = time.monotonic() + 2 * START_TIMEOUT
        while len(self.acknowledged) < acknowledged:
            assert time.monotonic() < deadline, "the load stalled"
            await asyncio.sleep(0.01)

    def stop(self) -> None:
        self._stop.set()


async def test_orders_acknowledged_around_a_kill_9_all_exist_whole_with_their_events(
    make: Factory, account: NewAccount, engines: Engines, db_url: str, tmp_path: Path
) -> None:
    await make.location("DC-1")
    for sku in ("SKU-1", "SKU-2"):
        await make.item(sku)
    await make.stock("DC-1", "SKU-1", 100_000)
    await make.stock("DC-1", "SKU-2", SCARCE)

    with two_servers(db_url, tmp_path) as servers:
        load = Load(servers, account)
        clients = [asyncio.create_task(load.client(i)) for i in range(CLIENTS)]
        try:
            await load.until(60)
            await asyncio.to_thread(servers[0].kill_9)
            await load.until(len(load.acknowledged) + 60)
            await asyncio.to_thread(servers[0].start)
            await load.until(len(load.acknowledged) + 60)
        finally:
            load.stop()
            await asyncio.gather(*clients)

    assert load.lost_connections > 0, "nothing was in flight when the server was killed"
    async with engines.write.connect() as conn:
        numbers = set(
            await conn.scalars(
                select(orders.c.order_number).where(orders.c.account_id == account.account_id)
            )
        )
        without_lines = await conn.scalar(
            select(func.count())
            .select_from(orders.outerjoin(order_lines, order_lines.c.order_id == orders.c.id))
            .where(orders.c.account_id == account.account_id, order_lines.c.id.is_(None))
        )
        allocated_by_lines = await conn.scalar(
            select(func.coalesce(func.sum(order_lines.c.allocated), 0)).where(
                order_lines.c.account_id == account.account_id
            )
        )
        allocated_by_rows = await conn.scalar(
            select(func.coalesce(func.sum(allocations.c.quantity), 0)).where(
                allocations.c.account_id == account.account_id
            )
        )
        allocated_at_levels = await conn.scalar(
            select(func.coalesce(func.sum(stock_levels.c.allocated), 0)).where(
                stock_levels.c.account_id == account.account_id
            )
        )
        placed_events = await conn.scalar(
            select(func.count()).where(
                events.c.account_id == account.account_id, events.c.kind == "order_placed"
            )
        )
    assert load.acknowledged <= numbers
    assert without_lines == 0
    assert allocated_by_lines == allocated_by_rows == allocated_at_levels
    assert (allocated_at_levels or 0) > 0
    assert placed_events == len(numbers)
    await assert_ledger_balances(make)
