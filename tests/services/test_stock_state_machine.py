"""Stock under random sequences of counts, reservations (with expiries), orders, cancellations
and shipments, on a test clock: a hypothesis state machine over the real services and database.

After every step: each stock level equals the sum of its ledger movements, ``0 <= allocated
<= on_hand``, available is never negative and is the formula over what is held, no order line
holds more than it still wants, the reserved figure of every level is exactly the model's
running reservations there (an expired one never counts), and no order waits for a SKU while
a location has some available (waiting orders are served as soon as stock frees up, except
where only an expiry freed it: those are served at the SKU's next change, which the machine
makes happen before it checks).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    precondition,
    rule,
)

from orderyard.domain.values import AccountId, PageRequest
from orderyard.kit.clock import frozen_at
from orderyard.services import inventory as inventory_service
from orderyard.services import order as order_service
from orderyard.services import reservations as reservation_service
from orderyard.services import shipment as shipment_service
from orderyard.services import visibility
from orderyard.services.order import LineInput, PlaceOrder
from orderyard.services.reservations import ReleaseRow, ReservationRow
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import ADDRESS
from tests.services.machines import ServiceMachine

LOCATIONS = ("L-1", "L-2")
SKUS = ("P-1", "P-2")
REFERENCES = ("cart", "b2b")
START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)

T = TypeVar("T")
locations = st.sampled_from(LOCATIONS)
skus = st.sampled_from(SKUS)


@dataclass
class Held:
    """The model of one reservation: what it holds and until when."""

    quantity: int
    until: datetime | None


class StockMachine(ServiceMachine):
    """Counts, reservations on a test clock, orders, cancellations and shipments."""

    LOCATIONS = LOCATIONS
    SKUS = SKUS

    def __init__(self) -> None:
        self.frozen = frozen_at(START)
        self.clock = self.frozen.__enter__()
        super().__init__()
        self.orders: list[int] = []
        self.held: dict[tuple[str, str, str], Held] = {}

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            self.frozen.__exit__(None, None, None)

    @initialize(counts=st.lists(st.integers(2, 8), min_size=4, max_size=4))
    def stock_every_level(self, counts: list[int]) -> None:
        pairs = [(loc, sku) for loc in LOCATIONS for sku in SKUS]
        rows = [
            inventory_service.OnHandRow(n, loc, sku, on_hand)
            for n, ((loc, sku), on_hand) in enumerate(zip(pairs, counts, strict=True))
        ]
        self.run(inventory_service.set_on_hand(self.uow(), rows))

    @rule(location=locations, sku=skus, on_hand=st.integers(0, 8))
    def count(self, location: str, sku: str, on_hand: int) -> None:
        rows = [inventory_service.OnHandRow(1, location, sku, on_hand)]
        self.run(inventory_service.set_on_hand(self.uow(), rows))

    @rule(
        location=locations,
        sku=skus,
        reference=st.sampled_from(REFERENCES),
        quantity=st.integers(0, 5),
        minutes=st.none() | st.integers(1, 120),
    )
    def reserve(
        self, location: str, sku: str, reference: str, quantity: int, minutes: int | None
    ) -> None:
        until = None if minutes is None else self.clock.now + timedelta(minutes=minutes)
        row = ReservationRow(0, location, sku, quantity, reference=reference, expires_at=until)
        granted = self.attempt(reservation_service.reserve(self.uow(), [row]))
        event(f"reservation {'granted' if granted else 'refused'}")
        if granted:
            if quantity:
                self.held[(location, sku, reference)] = Held(quantity, until)
            else:
                self.held.pop((location, sku, reference), None)

    @rule(location=locations, sku=skus, reference=st.none() | st.sampled_from(REFERENCES))
    def release(self, location: str, sku: str, reference: str | None) -> None:
        row = ReleaseRow(0, location, sku, reference=reference)
        if self.attempt(reservation_service.release(self.uow(), [row])):
            for key in [k for k in self.held if k[:2] == (location, sku)]:
                if reference is None or key[2] == reference:
                    del self.held[key]

    @rule(minutes=st.integers(1, 90))
    def wait(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        for key, held in list(self.held.items()):
            if held.until is not None and held.until <= self.clock.now:
                event("a reservation expired")
                del self.held[key]

    @rule(lines=st.lists(st.tuples(skus, st.integers(1, 4)), min_size=1, max_size=2))
    def place(self, lines: list[tuple[str, int]]) -> None:
        command = PlaceOrder(
            order_number=f"M-{len(self.orders) + 1}",
            lines=tuple(LineInput(sku, qty, Decimal(1)) for sku, qty in lines),
            shipping_method="Pick",
            address=ADDRESS,
        )
        [outcome] = self.run(order_service.place_orders(self.uow(), [command]))
        assert outcome.order_id is not None, outcome.error
        self.orders.append(outcome.order_id)

    @precondition(lambda self: self.orders)
    @rule(pick=st.integers(0, 50))
    def cancel(self, pick: int) -> None:
        self.attempt(
            order_service.cancel_orders(self.uow(), [self.orders[pick % len(self.orders)]])
        )

    @precondition(lambda self: self.orders)
    @rule(pick=st.integers(0, 50))
    def ship(self, pick: int) -> None:
        order_id = self.orders[pick % len(self.orders)]

        async def ship_one() -> None:
            async with self.uow() as uow:
                held = await uow.orders.allocations_of(order_id)
            if held:
                location_id = min(a.location_id for a in held)
                shipment = await shipment_service.create_shipment(
                    self.uow(), order_id, location_id=location_id
                )
                await shipment_service.ship_shipment(self.uow(), shipment.id)

        self.run(ship_one())

    @invariant()
    def stock_adds_up(self) -> None:
        self.run(self._check())

    async def _check(self) -> None:
        async with self.uow() as uow:
            totals = await uow.stock.ledger_totals()
            levels = await uow.stock.all_levels()
            orders = [await uow.orders.load(oid) for oid in self.orders]
        for key, level in levels.items():
            assert totals.get(key, (0, 0)) == (level.on_hand, level.allocated), key
            assert 0 <= level.allocated <= level.on_hand, key
        for order in orders:
            assert order is not None
            for line in order.lines:
                assert 0 <= line.allocated <= line.effective - line.shipped, (order.id, line)
        read = ReadUnitOfWork(self.engines.read, AccountId(self.account_id))
        page = await visibility.stock_at(read, LOCATIONS, SKUS, PageRequest(page=1, per_page=20))
        for row in page.items:
            f = row.figures
            running = sum(
                h.quantity
                for (loc, sku, _), h in self.held.items()
                if (loc, sku) == (row.location, row.sku)
            )
            assert f.reserved == running, (row.location, row.sku)
            assert f.available == max(0, f.on_hand - f.allocated - f.reserved - f.safety_stock)
            assert f.available >= 0


MACHINE_SETTINGS = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_stock_stays_whole_through_counts_reservations_orders_and_time(db_url: str) -> None:
    StockMachine.db_url = db_url
    case = StockMachine.TestCase
    case.settings = MACHINE_SETTINGS
    case().runTest()
