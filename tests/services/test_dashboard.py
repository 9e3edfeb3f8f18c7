"""The dashboard: per-day series over UTC days, fill rate, backorders and stock value.

The clock stands at ``CLOCK_START`` (2026-12-06 09:00 UTC) and moves by hand, so each record
lands on the day the test says.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from orderyard.domain.dashboard import (
    BackorderedSku,
    Backorders,
    DateWindow,
    DayCount,
    FillRate,
    LocationValue,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.location import Location
from orderyard.domain.values import AccountId
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import dashboard as dashboard_service
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork
from tests.factories import CLOCK_START, Factory

DAY = timedelta(days=1)
DEC_6 = date(2026, 12, 6)
DEC_7 = date(2026, 12, 7)


def reader(make: Factory) -> ReadUnitOfWork:
    return ReadUnitOfWork(make.engines.read, AccountId(make.account_id))


def nonzero(series: tuple[DayCount, ...]) -> dict[date, int]:
    return {point.day: point.value for point in series if point.value}


@pytest.fixture
async def busy(make: Factory, clock: TestClock) -> Factory:
    """Dec 6: A (cost 2.5, retail 12.5) counted 10 at DC-1; ORD-1 takes 6 of A, ORD-2 wants 8
    and gets 4. Dec 7: ORD-1 ships, ORD-3 wants 5 of B (none in stock). An order 40 days
    before still waits for 1 of B. DC-2 holds nothing."""
    await make.location("DC-1")
    await make.location("DC-2", priority=2)
    await make.priced_item("A", cost="2.5", retail="12.5")
    await make.priced_item("B", cost="1", retail="3")
    clock.advance(-40 * DAY)
    await make.order(("B", 1), number="OLD")
    clock.now = CLOCK_START
    await make.stock("DC-1", "A", 10)
    first = await make.order(("A", 6), number="ORD-1")
    await make.order(("A", 8), number="ORD-2")
    clock.advance(DAY)
    await make.ship(first.order_id or 0)
    await make.order(("B", 5), number="ORD-3")
    return make


async def test_the_default_window_is_the_last_thirty_utc_days(busy: Factory) -> None:
    found = await dashboard_service.dashboard(reader(busy))

    assert found.window == DateWindow(DEC_7 - 29 * DAY, DEC_7)
    assert [p.day for p in found.orders_per_day] == found.window.days()
    assert len(found.orders_per_day) == len(found.units_shipped_per_day) == 30
    assert nonzero(found.orders_per_day) == {DEC_6: 2, DEC_7: 1}
    assert nonzero(found.units_shipped_per_day) == {DEC_7: 6}


async def test_the_fill_rate_counts_the_windows_orders_units_met_by_stock(busy: Factory) -> None:
    found = await dashboard_service.dashboard(reader(busy))

    # ORD-1: 6 shipped; ORD-2: 4 allocated, 4 backordered; ORD-3: 5 backordered.
    assert found.fill_rate == FillRate(filled=10, wanted=19)
    assert found.fill_rate.rate == Decimal("0.5263")


async def test_backorders_are_the_accounts_open_ones_and_its_most_waited_for_skus(
    busy: Factory,
) -> None:
    found = await dashboard_service.dashboard(reader(busy))

    assert (found.backorders.lines, found.backorders.units) == (3, 10)
    assert [(s.sku, s.units, s.lines) for s in found.backorders.top] == [("B", 6, 2), ("A", 4, 1)]


async def test_the_top_backordered_skus_stop_at_top(busy: Factory) -> None:
    found = await dashboard_service.dashboard(reader(busy), top=1)

    assert [s.sku for s in found.backorders.top] == ["B"]


async def test_stock_is_valued_at_cost_and_retail_per_location(busy: Factory) -> None:
    found = await dashboard_service.dashboard(reader(busy))

    dc1, dc2 = (location.id for location in await _locations(busy))
    assert found.stock_value == (
        LocationValue(dc1, "DC-1", "Location DC-1", 4, Decimal("10.0000"), Decimal("50.0000")),
        LocationValue(dc2, "DC-2", "Location DC-2", 0, Decimal("0.0000"), Decimal("0.0000")),
    )


async def _locations(make: Factory) -> list[Location]:
    async with make.uow() as uow:
        return list(await uow.locations.all())


async def test_a_window_of_one_day_counts_that_day_only(busy: Factory) -> None:
    found = await dashboard_service.dashboard(reader(busy), first_day=DEC_6, last_day=DEC_6)

    assert found.orders_per_day == (DayCount(DEC_6, 2),)
    assert found.units_shipped_per_day == (DayCount(DEC_6, 0),)
    assert found.fill_rate == FillRate(filled=10, wanted=14)


async def test_a_record_counts_on_its_utc_day_to_the_second(
    make: Factory, clock: TestClock
) -> None:
    await make.location("DC-1")
    await make.item("A")
    clock.now = CLOCK_START.replace(hour=23, minute=59, second=59, microsecond=999999)
    await make.order(("A", 1), number="LATE")
    clock.advance(timedelta(microseconds=1))
    await make.order(("A", 1), number="EARLY")

    found = await dashboard_service.dashboard(reader(make), first_day=DEC_6, last_day=DEC_7)

    assert found.orders_per_day == (DayCount(DEC_6, 1), DayCount(DEC_7, 1))


async def test_a_new_account_gets_zeros_and_no_fill_rate(make: Factory, clock: TestClock) -> None:
    found = await dashboard_service.dashboard(reader(make))

    assert {p.value for p in found.orders_per_day + found.units_shipped_per_day} == {0}
    assert (found.fill_rate, found.fill_rate.rate) == (FillRate(0, 0), None)
    assert found.backorders == Backorders(0, 0, ())
    assert found.stock_value == ()


async def test_another_accounts_records_never_count(
    busy: Factory, engines: Engines, clock: TestClock
) -> None:
    other = await account_service.create_account(
        SystemUnitOfWork(engines.write), "Other", shipping_methods=("Pick",)
    )
    theirs = Factory(engines, other.account_id)
    await theirs.location("DC-1")
    await theirs.priced_item("A", cost="100", retail="100")
    await theirs.stock("DC-1", "A", 3)
    shipped = await theirs.order(("A", 3))
    await theirs.ship(shipped.order_id or 0)
    await theirs.order(("A", 7))

    mine = await dashboard_service.dashboard(reader(busy))
    found = await dashboard_service.dashboard(reader(theirs))

    assert nonzero(mine.orders_per_day) == {DEC_6: 2, DEC_7: 1}
    assert nonzero(mine.units_shipped_per_day) == {DEC_7: 6}
    assert (mine.fill_rate, mine.backorders.units) == (FillRate(10, 19), 10)
    assert [v.code for v in mine.stock_value] == ["DC-1", "DC-2"]
    assert (nonzero(found.orders_per_day), nonzero(found.units_shipped_per_day)) == (
        {DEC_7: 2},
        {DEC_7: 3},
    )
    assert found.backorders == Backorders(
        1, 7, (BackorderedSku(found.backorders.top[0].item_id, "A", 7, 1),)
    )
    assert [(v.code, v.units, v.at_cost) for v in found.stock_value] == [
        ("DC-1", 0, Decimal("0.0000"))
    ]


@pytest.mark.parametrize(
    ("first_day", "last_day", "message"),
    [
        (DEC_7, DEC_6, "the first day 2026-12-07 is after the last day 2026-12-06"),
        (DEC_7 - 366 * DAY, DEC_7, "a window is at most 366 days long"),
    ],
)
async def test_a_window_backwards_or_longer_than_a_year_is_refused(
    make: Factory, first_day: date, last_day: date, message: str
) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        await dashboard_service.dashboard(reader(make), first_day=first_day, last_day=last_day)

    assert (refused.value.field, str(refused.value)) == ("first_day", message)


async def test_a_year_of_days_is_the_longest_window(make: Factory) -> None:
    found = await dashboard_service.dashboard(
        reader(make), first_day=DEC_7 - 365 * DAY, last_day=DEC_7
    )

    assert len(found.orders_per_day) == 366


@pytest.mark.parametrize("top", [0, 101])
async def test_a_top_out_of_range_is_refused(make: Factory, top: int) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        await dashboard_service.dashboard(reader(make), top=top)

    assert refused.value.field == "top"
