"""Pre-orders under random waves, orders, cancellations, receipts and releases (normal and
bypassing on-hand): a hypothesis state machine over the real services and database.

After every step: no wave holds more than it planned and its counters are its lines' sums;
within each wave positions follow placement order and the released lines are a prefix of
the lines not cancelled (a release never serves a line before an earlier one); each line's
``preordered`` is what its place still waits for; the reserved figure of each level is its
waves' sequenced units; and the ledger rebuilds every level.

The shortfall a bypass release leaves (``stock_levels.bypassed``): ``allocated <= on_hand +
bypassed`` always, and while positive it is exactly what is allocated beyond on-hand; only a
bypass release raises it, and only where it allocated; a receipt of N units pays it off first
(it drops by N, down to zero); a count that loses stock leaves it as it is.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from orderyard.kit.clock import frozen_at
from orderyard.services import inventory as inventory_service
from orderyard.services import order as order_service
from orderyard.services.order import LineInput, PlaceOrder
from orderyard.services.preorder import release as release_service
from orderyard.services.preorder import waves as wave_service
from orderyard.services.preorder.release import ReleaseSelection
from tests.factories import ADDRESS
from tests.services.machines import ServiceMachine

LOCATIONS = ("L-1", "L-2")
START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


class PreorderMachine(ServiceMachine):
    """Waves of one SKU at two locations, and the orders sequenced against them."""

    LOCATIONS = LOCATIONS
    SKUS = ("P-1",)

    def __init__(self) -> None:
        self.frozen = frozen_at(START)
        self.clock = self.frozen.__enter__()
        super().__init__()
        self.orders: list[int] = []
        self.bypassed_at: set[str] = set()
        """Locations where a bypass release has allocated (the only ones with a shortfall)."""

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            self.frozen.__exit__(None, None, None)

    @rule(location=st.sampled_from(LOCATIONS), planned=st.integers(0, 6), days=st.integers(1, 9))
    def plan_wave(self, location: str, planned: int, days: int) -> None:
        new = wave_service.NewWave("P-1", location, planned, START + timedelta(days=days))
        self.run(wave_service.create_wave(self.uow(), new))

    @rule(quantity=st.integers(1, 3), orders=st.integers(1, 3))
    def place(self, quantity: int, orders: int) -> None:
        for _ in range(orders):
            self.place_one(quantity)

    def place_one(self, quantity: int) -> None:
        command = PlaceOrder(
            order_number=f"O-{len(self.orders) + 1}",
            lines=(LineInput("P-1", quantity, Decimal(1)),),
            address=ADDRESS,
        )
        before = self.levels()
        [outcome] = self.run(order_service.place_orders(self.uow(), [command]))
        assert outcome.order_id is not None, outcome.error
        self.orders.append(outcome.order_id)
        after = self.levels()
        assert [lv[2] for lv in after.values()] == [lv[2] for lv in before.values()]

    @precondition(lambda self: bool(self.orders))
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        order_id = data.draw(st.sampled_from(self.orders))
        before = self.levels()
        cancelled = self.attempt(
            order_service.cancel_order(
                self.uow(), order_service.CancelOrder(order_service.OrderRef("id", order_id))
            )
        )
        after = self.levels()
        for code in LOCATIONS:  # a cancel gives back the promise, shortfall first
            given_back = before[code][1] - after[code][1]
            assert after[code][2] == max(0, before[code][2] - given_back), (before, after)
        event(f"cancel {'applied' if cancelled else 'refused'}")

    @rule(location=st.sampled_from(LOCATIONS), units=st.integers(1, 5))
    def receive(self, location: str, units: int) -> None:
        before = self.levels()
        on_hand = before[location][0]
        rows = [inventory_service.OnHandRow(1, location, "P-1", on_hand + units)]
        self.run(inventory_service.set_on_hand(self.uow(), rows))
        after = self.levels()
        assert after[location][2] == max(0, before[location][2] - units), (before, after)
        if before[location][2]:
            event("a receipt paid off a shortfall")

    @rule(location=st.sampled_from(LOCATIONS), units=st.integers(1, 3))
    def lose(self, location: str, units: int) -> None:
        """A count finds fewer units on hand: what they backed is released, the shortfall stays."""
        before = self.levels()
        on_hand = max(0, before[location][0] - units)
        rows = [inventory_service.OnHandRow(1, location, "P-1", on_hand)]
        self.run(inventory_service.set_on_hand(self.uow(), rows))
        after = self.levels()
        assert after[location][2] == before[location][2], (before, after)
        assert after[location][0] == on_hand, (before, after)

    def levels(self) -> dict[str, tuple[int, int, int]]:
        """``(on_hand, allocated, bypassed)`` of P-1 at each location (zeros if never stocked)."""
        return self.run(self._levels())

    async def _levels(self) -> dict[str, tuple[int, int, int]]:
        async with self.uow() as uow:
            ids = await uow.locations.ids_by_code(LOCATIONS)
            item_id = (await uow.catalog.item_ids(["P-1"]))["P-1"]
            found = await uow.stock.levels([(ids[code], item_id) for code in LOCATIONS])
        levels = {code: found.get((ids[code], item_id)) for code in LOCATIONS}
        return {
            code: (0, 0, 0) if lv is None else (lv.on_hand, lv.allocated, lv.bypassed)
            for code, lv in levels.items()
        }

    def waiting(self) -> int:
        """Units sequenced in any wave (releases are tried only then)."""
        return self.run(self._waiting())

    async def _waiting(self) -> int:
        async with self.uow() as uow:
            return sum(w.sequenced for w in await uow.preorders.waiting_waves())

    @precondition(lambda self: self.waiting() > 0)
    @rule(bypass=st.booleans())
    def release(self, bypass: bool) -> None:
        selection = ReleaseSelection(sku="P-1")
        before = self.levels()
        outcome = self.run(release_service.release_preorders(self.uow(), selection, bypass=bypass))
        after = self.levels()
        for code in LOCATIONS:
            on_hand, allocated, bypassed = after[code]
            if bypass:
                assert bypassed == max(before[code][2], allocated - on_hand), (before, after)
                if bypassed > before[code][2]:
                    self.bypassed_at.add(code)
                    event("a bypass release left a shortfall")
            else:
                assert bypassed == before[code][2], (before, after)
        event(f"release {'bypassing' if bypass else 'with stock'}: {min(outcome.units, 3)}+ units")

    @precondition(lambda self: self.waiting() > 0)
    @rule(units=st.integers(0, 4))
    def bypass_then_receive(self, units: int) -> None:
        """A bypass release, then (perhaps) part of its stock arrives at both locations."""
        self.release(bypass=True)
        for location in LOCATIONS if units else ():
            self.receive(location, units)

    @precondition(lambda self: self.waiting() > 0)
    @rule(units=st.integers(1, 6))
    def receive_and_release(self, units: int) -> None:
        """Stock arrives at both locations, then a release with stock serves what it can."""
        for location in LOCATIONS:
            self.receive(location, units)
        self.release(bypass=False)

    @invariant()
    def waves_lines_holds_and_ledger_agree(self) -> None:
        self.run(self._check())

    @invariant()
    def allocation_never_passes_on_hand_but_by_a_bypass_shortfall(self) -> None:
        for code, (on_hand, allocated, bypassed) in self.levels().items():
            assert bypassed >= 0
            assert allocated <= on_hand + bypassed, (code, on_hand, allocated, bypassed)
            assert bypassed in (0, allocated - on_hand), (code, on_hand, allocated, bypassed)
            assert not bypassed or code in self.bypassed_at, code

    async def _check(self) -> None:
        async with self.uow() as uow:
            item_id = (await uow.catalog.item_ids(["P-1"]))["P-1"]
            waves = await uow.preorders.waves_of_item(item_id, None)
            places = await uow.preorders.lines_of_orders(self.orders)
            orders = await uow.orders.load_many(self.orders)
            levels = await uow.stock.all_levels()
            ledger = await uow.stock.ledger_totals()
        lines = {line.id: line for order in orders for line in order.lines}
        for wave in waves:
            mine = sorted((p for p in places if p.wave_id == wave.id), key=lambda p: p.position)
            assert min(wave.sequenced, wave.released) >= 0, wave
            assert wave.sequenced + wave.released <= wave.planned, wave
            assert wave.sequenced == sum(p.quantity for p in mine), wave
            assert wave.released == sum(p.released for p in mine), wave
            assert [p.order_id for p in mine] == sorted(p.order_id for p in mine), wave
            alive = [p for p in mine if p.quantity or p.released]
            released = [bool(p.released) for p in alive]
            assert released == sorted(released, reverse=True), (wave, alive)
        for place in places:
            assert lines[place.order_line_id].preordered == place.quantity, place
        for line in lines.values():
            assert 0 <= line.preordered <= line.unallocated, line
            assert 0 <= line.allocated <= line.effective - line.shipped, line
        for (location_id, level_item), level in levels.items():
            held = sum(
                w.sequenced
                for w in waves
                if (w.location_id, w.item_id) == (location_id, level_item)
            )
            assert level.reserved == held, (location_id, level)
            assert level.allocated >= 0
        assert ledger == {
            key: (lv.on_hand, lv.allocated)
            for key, lv in levels.items()
            if (lv.on_hand, lv.allocated) != (0, 0) or key in ledger
        }


MACHINE_SETTINGS = settings(
    max_examples=30,
    stateful_step_count=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_waves_never_oversequence_and_release_in_placement_order(db_url: str) -> None:
    PreorderMachine.db_url = db_url
    case = PreorderMachine.TestCase
    case.settings = MACHINE_SETTINGS
    case().runTest()
