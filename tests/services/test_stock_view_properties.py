"""The stock views' figures under random stock, orders and reservations, on a real database.

Whatever was counted, ordered and reserved (reservations running, expired, or for good): at
each location ``available`` is ``max(0, on_hand - allocated - reserved - safety_stock)`` with
``reserved`` the reservations still running at the read (``store/stock_figures.py``), the
locations' figures add up to the SKU's total, and the stock list shows the same total.

The oracle is independent of the reads: on-hand, allocated and safety stock are the levels'
rows as the write side holds them, and the running reservations are those this test made
whose expiry is still ahead. Each example runs in a fresh account (``checks.fresh_account``).
"""

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderyard.domain.errors import DomainError
from orderyard.domain.inventory import StockFigures
from orderyard.domain.values import AccountId
from orderyard.kit.clock import frozen_at
from orderyard.services import stock_views
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import CLOCK_START, Factory
from tests.services.checks import fresh_account

LOCATIONS = ("L-1", "L-2", "L-3")
SKUS = ("P-1", "P-2")
READ_AT = CLOCK_START + timedelta(hours=1)
"""The reads run an hour after the writes: reservations expiring before then hold nothing."""


@dataclass(frozen=True)
class Held:
    location: str
    sku: str
    quantity: int
    expires_in: timedelta | None


counts = st.lists(st.integers(0, 8), min_size=6, max_size=6)
orders = st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 6)), max_size=4)
holds = st.lists(
    st.builds(
        Held,
        st.sampled_from(LOCATIONS),
        st.sampled_from(SKUS),
        st.integers(1, 3),
        st.sampled_from([None, timedelta(minutes=30), timedelta(hours=2)]),
    ),
    max_size=5,
)


async def _made(
    make: Factory, stock: list[int], placed: list[tuple[str, int]], held: list[Held]
) -> list[tuple[str, str, int, datetime | None]]:
    """Count, order and reserve; return the reservations the service accepted."""
    pairs = [(loc, sku) for loc in LOCATIONS for sku in SKUS]
    for (loc, sku), on_hand in zip(pairs, stock, strict=True):
        await make.stock(loc, sku, on_hand)
    for sku, quantity in placed:
        await make.order((sku, quantity))
    accepted = []
    for n, hold in enumerate(held):
        until = None if hold.expires_in is None else CLOCK_START + hold.expires_in
        try:
            await make.reserve(
                hold.location, hold.sku, hold.quantity, reference=f"r{n}", expires_at=until
            )
        except DomainError:
            continue
        accepted.append((hold.location, hold.sku, hold.quantity, until))
    return accepted


async def _expected(
    make: Factory, accepted: list[tuple[str, str, int, datetime | None]]
) -> dict[str, dict[str, StockFigures]]:
    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
        location_ids = await uow.locations.ids_by_code(LOCATIONS)
        item_ids = await uow.catalog.item_ids(SKUS)
    running: dict[tuple[str, str], int] = {}
    for loc, sku, quantity, until in accepted:
        if until is None or until > READ_AT:
            running[(loc, sku)] = running.get((loc, sku), 0) + quantity
    expected: dict[str, dict[str, StockFigures]] = {}
    for sku in SKUS:
        for loc in LOCATIONS:
            level = levels.get((location_ids[loc], item_ids[sku]))
            if level is None:
                expected.setdefault(sku, {})[loc] = StockFigures()
                continue
            reserved = running.get((loc, sku), 0)
            free = level.on_hand - level.allocated - reserved - level.safety_stock
            expected.setdefault(sku, {})[loc] = StockFigures(
                level.on_hand, level.allocated, reserved, level.safety_stock, max(0, free)
            )
    return expected


async def _example(
    db_url: str, stock: list[int], placed: list[tuple[str, int]], held: list[Held]
) -> None:
    async with fresh_account(db_url, LOCATIONS, SKUS) as (engines, account_id):
        make = Factory(engines, account_id)
        with frozen_at(CLOCK_START) as clock:
            accepted = await _made(make, stock, placed, held)
            clock.now = READ_AT
            expected = await _expected(make, accepted)
            await _check(engines, account_id, expected)


async def _check(
    engines: Engines, account_id: AccountId, expected: dict[str, dict[str, StockFigures]]
) -> None:
    listed = await stock_views.sku_list(ReadUnitOfWork(engines.read, account_id))
    totals = {row.sku: row.total for row in listed.items}
    for sku in SKUS:
        found = await stock_views.sku_stock(ReadUnitOfWork(engines.read, account_id), sku)
        per_location = {row.code: row.figures for row in found.locations}
        assert per_location == expected[sku], sku
        assert found.total == sum(per_location.values(), StockFigures()), sku
        assert totals[sku] == found.total, sku


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stock=counts, placed=orders, held=holds)
def test_each_locations_available_follows_the_rule_and_the_locations_add_up_to_the_total(
    db_url: str, stock: list[int], placed: list[tuple[str, int]], held: list[Held]
) -> None:
    asyncio.run(_example(db_url, stock, placed, held))
