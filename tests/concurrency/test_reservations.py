"""Reservations racing orders for the same units: nothing is promised twice, on both backends.

A level holds 20 units, 5 of them under a reservation that has just expired (and was never
settled). Twenty one-unit orders and ten two-unit reservations race for them. Every unit ends
up either allocated or reserved, never both, and the expired reservation gives its units up.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from orderyard.domain.errors import DomainError
from orderyard.kit.clock import frozen_at
from orderyard.services import reservations as reservation_service
from orderyard.services.reservations import ReservationRow
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances

pytestmark = pytest.mark.concurrency

UNITS = 20
START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


async def reserve(make: Factory, reference: str, quantity: int) -> bool:
    row = ReservationRow(0, "DC-1", "A", quantity, reference=reference)
    try:
        await reservation_service.reserve(make.uow(), [row])
    except DomainError:
        return False
    return True


async def test_orders_and_reservations_racing_never_promise_a_unit_twice(make: Factory) -> None:
    with frozen_at(START) as clock:
        await make.location("DC-1")
        await make.item("A")
        await make.stock("DC-1", "A", UNITS)
        expiring = ReservationRow(
            0, "DC-1", "A", 5, reference="old", expires_at=START + timedelta(1)
        )
        await reservation_service.reserve(make.uow(), [expiring])
        clock.advance(timedelta(days=1))

        outcomes = await asyncio.gather(
            *(make.order(("A", 1)) for _ in range(UNITS)),
            *(reserve(make, f"cart-{n}", 2) for n in range(10)),
        )

    granted = sum(1 for granted in outcomes[UNITS:] if granted)
    async with make.uow() as uow:
        [level] = (await uow.stock.all_levels()).values()
        held = await uow.reservations.held([(level.location_id, level.item_id)])
    assert "old" not in {r.reference for r in held}
    assert level.reserved == sum(r.quantity for r in held) == 2 * granted
    assert level.allocated + level.reserved <= UNITS
    assert level.allocated + level.reserved >= UNITS - 1  # two units asked, one left
    await assert_ledger_balances(make)
