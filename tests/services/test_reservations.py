"""Reservations: units held aside, refused beyond what is free, expiring with no sweeper.

Time is a test clock (``kit.clock.frozen_at``): every read and write below runs at the
moment the test sets, and an expiry takes effect the instant the clock passes it.
"""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from orderyard.domain.inventory import StockFigures
from orderyard.domain.order import OrderStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.kit.clock import TestClock
from orderyard.services import reservations as reservation_service
from orderyard.services import visibility
from orderyard.services.inventory import CountRowError
from orderyard.services.reservations import (
    ReleaseRow,
    ReservationRow,
    RowConflictError,
    RowNotFoundError,
)
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import CLOCK_START, Factory
from tests.services.checks import assert_ledger_balances, count_rows, level, load_order

START = CLOCK_START
HOUR = timedelta(hours=1)


@pytest.fixture
async def stocked(make: Factory, clock: TestClock) -> Factory:
    """DC-1 holds 10 of A; DC-2 (second in priority) holds 4 of A."""
    await make.location("DC-1")
    await make.location("DC-2", priority=2)
    await make.item("A")
    await make.stock("DC-1", "A", 10)
    await make.stock("DC-2", "A", 4)
    return make


async def figures(make: Factory, location: str, sku: str = "A") -> StockFigures:
    uow = ReadUnitOfWork(make.engines.read, AccountId(make.account_id))
    page = await visibility.stock_at(uow, [location], [sku], PageRequest(page=1, per_page=1))
    return page.items[0].figures


async def reserve(make: Factory, *rows: ReservationRow) -> reservation_service.ReservationResult:
    numbered = [replace(row, line=line) for line, row in enumerate(rows)]
    return await reservation_service.reserve(make.uow(), numbered)


def held(
    quantity: int, *, at: str = "DC-1", ref: str = "", until: datetime | None = None
) -> ReservationRow:
    return ReservationRow(0, at, "A", quantity, reference=ref, expires_at=until)


async def test_a_reservation_holds_units_back_from_available(stocked: Factory) -> None:
    await reserve(stocked, held(3, ref="cart-1"), held(2, ref="cart-2"))

    found = await figures(stocked, "DC-1")

    assert (found.on_hand, found.reserved, found.available) == (10, 5, 5)


async def test_setting_a_reservation_again_replaces_its_quantity(stocked: Factory) -> None:
    await reserve(stocked, held(3, ref="cart-1"))
    await reserve(stocked, held(1, ref="cart-1"))

    assert (await figures(stocked, "DC-1")).reserved == 1


async def test_quantity_zero_removes_the_reservation(stocked: Factory) -> None:
    await reserve(stocked, held(3, ref="cart-1"))
    await reserve(stocked, held(0, ref="cart-1"))

    assert (await figures(stocked, "DC-1")).reserved == 0
    assert await count_rows(stocked, "reservations") == 0


async def test_an_expired_reservation_stops_counting_at_once(
    stocked: Factory, clock: TestClock
) -> None:
    await reserve(stocked, held(4, until=START + HOUR), held(1, ref="forever"))

    assert (await figures(stocked, "DC-1")).reserved == 5
    clock.advance(HOUR - timedelta(microseconds=1))
    assert (await figures(stocked, "DC-1")).reserved == 5
    clock.advance(timedelta(microseconds=1))
    found = await figures(stocked, "DC-1")
    assert (found.reserved, found.available) == (1, 9)


async def test_an_order_takes_units_an_expired_reservation_held(
    stocked: Factory, clock: TestClock
) -> None:
    await reserve(stocked, held(10, until=START + HOUR))
    clock.advance(2 * HOUR)

    placed = await stocked.order(("A", 10))

    order = await load_order(stocked, placed.order_id)
    assert order.status is OrderStatus.allocated
    assert await level(stocked, "DC-1", "A") == (10, 10)
    assert await count_rows(stocked, "reservations") == 0
    await assert_ledger_balances(stocked)


async def test_an_order_never_takes_reserved_units(stocked: Factory) -> None:
    await reserve(stocked, held(9), held(4, at="DC-2"))

    placed = await stocked.order(("A", 3))

    order = await load_order(stocked, placed.order_id)
    assert (order.lines[0].allocated, order.status) == (1, OrderStatus.partially_allocated)


async def test_units_an_expiry_frees_go_to_waiting_orders_before_a_new_one(
    stocked: Factory, clock: TestClock
) -> None:
    await reserve(stocked, held(10, until=START + HOUR), held(4, at="DC-2"))
    waiting = await stocked.order(("A", 6))
    clock.advance(2 * HOUR)

    newer = await stocked.order(("A", 6))

    assert (await load_order(stocked, waiting.order_id)).lines[0].allocated == 6
    assert (await load_order(stocked, newer.order_id)).lines[0].allocated == 4
    await assert_ledger_balances(stocked)


async def test_lowering_a_reservation_serves_waiting_orders(stocked: Factory) -> None:
    await reserve(stocked, held(10), held(4, at="DC-2"))
    waiting = await stocked.order(("A", 3))

    result = await reserve(stocked, held(8))

    assert result.orders_allocated == 1
    assert (await load_order(stocked, waiting.order_id)).lines[0].allocated == 2


async def test_releasing_a_reservation_serves_waiting_orders(stocked: Factory) -> None:
    await reserve(stocked, held(10, ref="b2b"), held(4, at="DC-2"))
    waiting = await stocked.order(("A", 3))

    result = await reservation_service.release(
        stocked.uow(), [ReleaseRow(0, "DC-1", "A", reference="b2b")]
    )

    assert result.orders_allocated == 1
    assert (await load_order(stocked, waiting.order_id)).status is OrderStatus.allocated
    assert (await figures(stocked, "DC-1")).reserved == 0


async def test_releasing_without_a_reference_removes_every_reservation_of_the_level(
    stocked: Factory,
) -> None:
    await reserve(stocked, held(2, ref="x"), held(3, ref="y"), held(1, at="DC-2"))

    await reservation_service.release(stocked.uow(), [ReleaseRow(0, "DC-1", "A")])

    assert (await figures(stocked, "DC-1")).reserved == 0
    assert (await figures(stocked, "DC-2")).reserved == 1


async def test_a_reservation_beyond_what_is_free_is_refused_and_nothing_is_held(
    stocked: Factory,
) -> None:
    await stocked.order(("A", 4))

    with pytest.raises(RowConflictError) as refused:
        await reserve(stocked, held(1, at="DC-2"), ReservationRow(1, "DC-1", "A", 7))

    assert (refused.value.line, refused.value.field) == (1, "quantity")
    assert "only 6 units" in refused.value.message
    assert await count_rows(stocked, "reservations") == 0
    assert (await figures(stocked, "DC-2")).reserved == 0


async def test_replacing_a_reservation_counts_its_own_units_as_free(stocked: Factory) -> None:
    await reserve(stocked, held(10))

    await reserve(stocked, held(10))

    assert (await figures(stocked, "DC-1")).reserved == 10


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        (ReservationRow(0, "DC-9", "A", 1), "location", "unknown location 'DC-9'"),
        (ReservationRow(0, "DC-1", "ZZ", 1), "sku", "unknown SKU 'ZZ'"),
        (ReservationRow(0, "DC-1", "A", -1), "quantity", "must not be negative"),
        (ReservationRow(0, "DC-1", "A", 1, expires_at=START), "expires_at", "in the future"),
    ],
)
async def test_a_bad_row_is_refused_naming_its_field_and_nothing_is_held(
    stocked: Factory, row: ReservationRow, field: str, words: str
) -> None:
    with pytest.raises(CountRowError) as refused:
        await reserve(stocked, held(1, ref="ok"), row)

    assert refused.value.field == field
    assert words in refused.value.message
    assert await count_rows(stocked, "reservations") == 0


async def test_a_repeated_reservation_is_refused(stocked: Factory) -> None:
    with pytest.raises(CountRowError) as refused:
        await reserve(stocked, held(1, ref="x"), ReservationRow(1, "DC-1", "A", 2, reference="x"))

    assert (refused.value.line, refused.value.earlier) == (1, 0)


async def test_releasing_a_reservation_that_is_not_there_is_refused(stocked: Factory) -> None:
    await reserve(stocked, held(2, ref="x"))

    with pytest.raises(RowNotFoundError):
        await reservation_service.release(
            stocked.uow(),
            [ReleaseRow(0, "DC-1", "A", reference="x"), ReleaseRow(1, "DC-1", "A", reference="y")],
        )

    assert (await figures(stocked, "DC-1")).reserved == 2


async def test_an_expired_reservation_cannot_be_released(
    stocked: Factory, clock: TestClock
) -> None:
    await reserve(stocked, held(2, ref="x", until=START + HOUR))
    clock.advance(HOUR)

    with pytest.raises(RowNotFoundError):
        await reservation_service.release(stocked.uow(), [ReleaseRow(0, "DC-1", "A", "x")])


async def test_a_location_holding_only_expired_reservations_holds_nothing_reserved(
    stocked: Factory, clock: TestClock
) -> None:
    await reserve(stocked, held(2, at="DC-2", until=START + HOUR))
    clock.advance(HOUR)

    async with stocked.uow() as uow:
        location_id = (await uow.locations.ids_by_code(["DC-2"]))["DC-2"]
        holdings = await uow.locations.holdings(location_id)

    assert holdings.reserved == 0
