"""Benchmark data set up through Orderyard's core services, in this process.

The services are what the CLI and the API call, so the data obeys the same rules (items are
validated, on-hand changes write ledger movements), without one process launch or HTTP call
per record. Each function opens its own engines, runs one or a few service calls, and closes
them again; call them from synchronous code (the harness's setup hooks).
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from orderyard.dialects.shipedge import examples as shipedge_examples
from orderyard.domain.catalog import ItemDetails
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services import inventory as inventory_service
from orderyard.services import location as location_service
from orderyard.services import webhooks as webhook_service
from orderyard.store.engine import Engines, create_engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

T = TypeVar("T")
ITEMS_PER_CALL = 500
"""Items per ``create_items`` call (one transaction each)."""


@dataclass(frozen=True)
class NewAccount:
    """An account made for the benchmark, with the key the API needs."""

    account_id: int
    key: str


def _run(url: str, work: Callable[[Engines], Awaitable[T]]) -> T:
    async def main() -> T:
        engines = create_engines(url, pool_size=2)
        try:
            return await work(engines)
        finally:
            await engines.dispose()

    return asyncio.run(main())


def _tenant(engines: Engines, account_id: int) -> UnitOfWork:
    return UnitOfWork(engines.write, AccountId(account_id), actor="bench")


def create_account(url: str, name: str) -> NewAccount:
    """Create an account with ShipEdge's example shipping method ``Pick`` and store ``My Shop``."""

    async def work(engines: Engines) -> NewAccount:
        new = await account_service.create_account(
            SystemUnitOfWork(engines.write),
            name,
            shipping_methods=shipedge_examples.SHIPPING_METHODS,
            channels=shipedge_examples.STORES,
        )
        return NewAccount(int(new.account_id), new.key)

    return _run(url, work)


def create_locations(url: str, account_id: int, locations: Sequence[tuple[str, int]]) -> None:
    """Create locations, given as (code, priority)."""

    async def work(engines: Engines) -> None:
        for code, priority in locations:
            command = location_service.CreateLocation(code=code, name=code, priority=priority)
            await location_service.create_location(_tenant(engines, account_id), command)

    _run(url, work)


def create_items(url: str, account_id: int, skus: Sequence[str]) -> dict[str, int]:
    """Create the SKUs as items; return their ids by SKU.

    Raises:
        RuntimeError: the catalog refused an item.
    """

    async def work(engines: Engines) -> dict[str, int]:
        ids: dict[str, int] = {}
        details = ItemDetails(description="bench item", cost=Decimal(1), retail=Decimal(2))
        for start in range(0, len(skus), ITEMS_PER_CALL):
            commands = [
                catalog_service.CreateItem(sku=sku, details=details)
                for sku in skus[start : start + ITEMS_PER_CALL]
            ]
            outcomes = await catalog_service.create_items(_tenant(engines, account_id), commands)
            for command, outcome in zip(commands, outcomes, strict=True):
                if outcome.item is None:
                    raise RuntimeError(f"item {command.sku} refused: {outcome.error}")
                ids[command.sku] = outcome.item.id
        return ids

    return _run(url, work)


def set_on_hand(url: str, account_id: int, counts: Sequence[tuple[str, str, int]]) -> None:
    """Set on-hand for (location, sku, count) rows, as ``orderyard stock import`` does."""
    rows = [
        inventory_service.OnHandRow(line, location, sku, count)
        for line, (location, sku, count) in enumerate(counts, start=2)
    ]

    async def work(engines: Engines) -> None:
        await inventory_service.set_on_hand(_tenant(engines, account_id), rows, reference="bench")

    _run(url, work)


def subscribe_webhook(url: str, account_id: int, endpoint: str, event_types: Sequence[str]) -> int:
    """Subscribe ``endpoint`` to ``event_types`` for the account; return the subscription id."""

    async def work(engines: Engines) -> int:
        command = webhook_service.Subscribe(endpoint, list(event_types), "shipedge")
        sub = await webhook_service.subscribe(_tenant(engines, account_id), command)
        return sub.id

    return _run(url, work)
