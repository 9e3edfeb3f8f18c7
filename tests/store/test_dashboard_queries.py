"""The dashboard's queries: UTC days whatever the session's time zone, and exact sums."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import text

from orderyard.domain.dashboard import DateWindow
from orderyard.domain.values import AccountId
from orderyard.kit.clock import TestClock
from orderyard.store.engine import Engines
from orderyard.store.queries.dashboard import DashboardQueries, ValueRow
from orderyard.store.queries.stock_views import prefix_bound
from tests.factories import CLOCK_START, Factory

DEC_6 = date(2026, 12, 6)


async def test_a_day_is_the_utc_day_even_where_the_session_is_a_day_ahead(
    make: Factory, engines: Engines, clock: TestClock
) -> None:
    await make.location("DC-1")
    await make.item("A")
    clock.now = CLOCK_START.replace(hour=23)  # Dec 7, 13:00 at UTC+14
    await make.order(("A", 1))
    window = DateWindow(DEC_6, DEC_6 + timedelta(days=1))

    async with engines.read.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            await conn.execute(text("SET TIME ZONE 'Pacific/Kiritimati'"))
        queries = DashboardQueries(conn, AccountId(make.account_id))
        found = await queries.orders_per_day(window.start, window.end)
        if postgres:
            await conn.execute(text("RESET TIME ZONE"))

    assert found == {DEC_6: 1}


async def test_stock_value_multiplies_each_level_by_its_items_cost_and_retail(
    make: Factory, engines: Engines
) -> None:
    location = await make.location("DC-1")
    await make.priced_item("A", cost="0.3333", retail="1.25")
    await make.priced_item("B", cost="1000000", retail="2000000.5")
    await make.stock("DC-1", "A", 3)
    await make.stock("DC-1", "B", 7)

    async with engines.read.connect() as conn:
        found = await DashboardQueries(conn, AccountId(make.account_id)).stock_value()

    assert found == [
        ValueRow(
            location.id,
            "DC-1",
            "Location DC-1",
            10,
            Decimal("7000000.9999"),
            Decimal("14000007.2500"),
        )
    ]


def test_a_prefix_bound_is_the_least_string_past_every_string_starting_with_it() -> None:
    top = chr(0x10FFFF)
    assert [prefix_bound(p) for p in ("AB", "A" + top, top, "")] == ["AC", "B", None, None]
