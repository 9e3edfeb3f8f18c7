"""Orders and their shipments under random sequences of the use cases: a hypothesis state
machine over the real services and database.

Orders are placed (and allocated) through placement, with the account creating shipments on
allocation or not; shipments are created, split, rejected, rerouted, cancelled and shipped;
orders are cancelled, held and resumed; stock is counted. After every step: no line's
shipped plus cancelled exceeds what was ordered, no line holds more than it still wants and
its allocated figure is the sum of its allocations, what shipped is exactly the lines of its
shipped shipments (so a cancelled unit never ships), open shipments claim no more than is
allocated where they are (except where a count took the stock back since), allocated never
exceeds on-hand, and the ledger rebuilds every level.
"""

from collections.abc import Coroutine
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from orderyard.domain.order import HoldState
from orderyard.domain.shipment import OPEN, ShipmentStatus
from orderyard.services import inventory as inventory_service
from orderyard.services import order as order_service
from orderyard.services import shipment as shipment_service
from orderyard.services.order import LineInput, OrderRef, PlaceOrder, UpdateOrder
from tests.factories import ADDRESS
from tests.services.machines import ServiceMachine
from tests.services.test_stock_state_machine import MACHINE_SETTINGS

LOCATIONS = ("L-1", "L-2", "L-3")
SKUS = ("P-1", "P-2")
T = TypeVar("T")
picks = st.integers(0, 50)


class ShipmentMachine(ServiceMachine):
    """One fresh account per run, driven through the services on one event loop."""

    LOCATIONS = LOCATIONS
    SKUS = SKUS

    def __init__(self) -> None:
        super().__init__()
        self.orders: list[int] = []
        self.counted_since: set[int] = set()
        """Orders whose stock a count may have taken back under an open shipment."""

    def attempt_named(self, name: str, coroutine: Coroutine[Any, Any, object]) -> bool:
        """``attempt``, counting what was refused and done per use case (hypothesis events)."""
        done = self.attempt(coroutine)
        event(f"{name} {'done' if done else 'refused'}")
        return done

    def shipment_ids(self, *, lines: int = 1) -> list[int]:
        """Open shipments of at least ``lines`` lines, else every shipment (also tried)."""

        async def read() -> list[int]:
            async with self.uow() as uow:
                found = [s for oid in self.orders for s in await uow.shipments.of_order(oid)]
            wanted = [s.id for s in found if s.status in OPEN and len(s.lines) >= lines]
            return wanted or [s.id for s in found]

        return self.run(read())

    @initialize(
        counts=st.lists(st.integers(0, 6), min_size=6, max_size=6), on_allocation=st.booleans()
    )
    def stock_every_level(self, counts: list[int], on_allocation: bool) -> None:
        pairs = [(loc, sku) for loc in LOCATIONS for sku in SKUS]
        rows = [
            inventory_service.OnHandRow(n, loc, sku, on_hand)
            for n, ((loc, sku), on_hand) in enumerate(zip(pairs, counts, strict=True))
        ]
        self.run(inventory_service.set_on_hand(self.uow(), rows))
        self.run(shipment_service.set_ships_on_allocation(self.uow(), on_allocation))

    @rule(
        lines=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 4)), min_size=1, max_size=3)
    )
    def place(self, lines: list[tuple[str, int]]) -> None:
        command = PlaceOrder(
            order_number=f"S-{len(self.orders) + 1}",
            lines=tuple(LineInput(sku, qty, Decimal(1)) for sku, qty in lines),
            shipping_method="Pick",
            address=ADDRESS,
        )
        [outcome] = self.run(order_service.place_orders(self.uow(), [command]))
        assert outcome.order_id is not None, outcome.error
        self.orders.append(outcome.order_id)

    @rule(location=st.sampled_from(LOCATIONS), sku=st.sampled_from(SKUS), on_hand=st.integers(0, 8))
    def count(self, location: str, sku: str, on_hand: int) -> None:
        rows = [inventory_service.OnHandRow(1, location, sku, on_hand)]
        self.run(inventory_service.set_on_hand(self.uow(), rows))
        self.counted_since.update(self.orders)

    @precondition(lambda self: self.orders)
    @rule(pick=picks)
    def create_all(self, pick: int) -> None:
        order_id = self.orders[pick % len(self.orders)]
        self.attempt_named(
            "create all", shipment_service.create_all_shipments(self.uow(), order_id)
        )

    @precondition(lambda self: self.orders)
    @rule(pick=picks, by_sku=st.booleans())
    def split(self, pick: int, by_sku: bool) -> None:
        ids = self.shipment_ids(lines=2)
        if not ids:
            return
        shipment_id = ids[pick % len(ids)]

        async def split_first() -> None:
            async with self.uow() as uow:
                shipment = await uow.shipments.get(shipment_id)
            assert shipment is not None
            if not shipment.lines:
                return
            line = shipment.lines[0]
            if by_sku:
                await shipment_service.split_shipment(self.uow(), shipment_id, skus=[line.sku])
            else:
                await shipment_service.split_shipment(
                    self.uow(), shipment_id, order_line_ids=[line.order_line_id]
                )

        self.attempt_named("split", split_first())

    @precondition(lambda self: self.orders)
    @rule(pick=picks)
    def reject(self, pick: int) -> None:
        ids = self.shipment_ids()
        if ids:
            self.attempt_named(
                "reject", shipment_service.reject_shipment(self.uow(), ids[pick % len(ids)])
            )

    @precondition(lambda self: self.orders)
    @rule(pick=picks, location=st.sampled_from(LOCATIONS))
    def reroute(self, pick: int, location: str) -> None:
        ids = self.shipment_ids()
        if ids:
            shipment_id = ids[pick % len(ids)]
            self.attempt_named(
                "reroute", shipment_service.reroute_shipment(self.uow(), shipment_id, location)
            )

    @precondition(lambda self: self.orders)
    @rule(pick=picks)
    def cancel_shipment(self, pick: int) -> None:
        ids = self.shipment_ids()
        if ids:
            self.attempt_named(
                "cancel shipment",
                shipment_service.cancel_shipment(self.uow(), ids[pick % len(ids)]),
            )

    @precondition(lambda self: self.orders)
    @rule(pick=picks)
    def ship(self, pick: int) -> None:
        ids = self.shipment_ids()
        if ids:
            self.attempt_named(
                "ship", shipment_service.ship_shipment(self.uow(), ids[pick % len(ids)])
            )

    @precondition(lambda self: self.orders)
    @rule(pick=picks)
    def cancel_order(self, pick: int) -> None:
        order_id = self.orders[pick % len(self.orders)]
        self.run(order_service.cancel_orders(self.uow(), [order_id]))

    @precondition(lambda self: self.orders)
    @rule(pick=picks, hold=st.sampled_from([HoldState.hold, HoldState.none]))
    def hold_or_resume(self, pick: int, hold: HoldState) -> None:
        order_id = self.orders[pick % len(self.orders)]
        command = UpdateOrder(OrderRef("id", order_id), hold=hold, hold_reason="check")
        [outcome] = self.run(order_service.update_orders(self.uow(), [command]))
        event(f"{hold.value} {'refused' if outcome.error else 'done'}")

    @invariant()
    def orders_shipments_and_stock_agree(self) -> None:
        self.run(self._check())

    async def _check(self) -> None:
        async with self.uow() as uow:
            totals = await uow.stock.ledger_totals()
            levels = await uow.stock.all_levels()
            for order_id in self.orders:
                order = await uow.orders.load(order_id)
                assert order is not None
                allocations = await uow.orders.allocations_of(order_id)
                shipments = await uow.shipments.of_order(order_id)
                self._check_order(order_id, order.lines, allocations, shipments)
        for key, level in levels.items():
            assert totals.get(key, (0, 0)) == (level.on_hand, level.allocated), key
            assert 0 <= level.allocated <= level.on_hand, key

    def _check_order(self, order_id: int, lines: Any, allocations: Any, shipments: Any) -> None:
        claims: dict[tuple[int, int], int] = {}
        for s in shipments:
            for sl in s.lines:
                if s.status in (
                    ShipmentStatus.created,
                    ShipmentStatus.released,
                    ShipmentStatus.picked,
                    ShipmentStatus.packed,
                ):
                    key = (sl.order_line_id, s.location_id)
                    claims[key] = claims.get(key, 0) + sl.quantity
        held: dict[tuple[int, int], int] = {}
        for a in allocations:
            held[(a.order_line_id, a.location_id)] = a.quantity
        for line in lines:
            shipped = sum(
                sl.quantity
                for s in shipments
                if s.status in (ShipmentStatus.shipped, ShipmentStatus.delivered)
                for sl in s.lines
                if sl.order_line_id == line.id
            )
            assert line.shipped + line.cancelled <= line.quantity, line
            assert line.shipped == shipped, line
            assert 0 <= line.allocated <= line.effective - line.shipped, line
            assert line.allocated == sum(q for (lid, _), q in held.items() if lid == line.id)
        if order_id not in self.counted_since:
            for key, units in claims.items():
                assert units <= held.get(key, 0), (order_id, key)


def test_orders_and_shipments_stay_whole_through_every_use_case(db_url: str) -> None:
    ShipmentMachine.db_url = db_url
    case = ShipmentMachine.TestCase
    case.settings = MACHINE_SETTINGS
    case().runTest()
