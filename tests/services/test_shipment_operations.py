"""Create all, reject, reroute, split, status, tracking numbers and ship-on-allocation."""

import pytest

from orderyard.domain.errors import (
    ConflictError,
    DuplicateError,
    InvalidRequestError,
    InvalidStateTransitionError,
    NotFoundError,
)
from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.domain.shipment import Shipment, ShipmentStatus, TrackingNumber
from orderyard.kit.clock import TestClock
from orderyard.services import shipment as shipment_service
from orderyard.store.uow import UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, ledger, level, load_order


async def _two_locations(make: Factory, first: int = 2, second: int = 5) -> None:
    """DC-1 (priority 1) and DC-2 (priority 2), each with SKU-1 and SKU-2."""
    await make.location("DC-1", priority=1)
    await make.location("DC-2", priority=2)
    for sku in ("SKU-1", "SKU-2"):
        await make.item(sku)
        await make.stock("DC-1", sku, first)
        await make.stock("DC-2", sku, second)


async def _stored(make: Factory, shipment_id: int) -> Shipment:
    async with make.uow() as uow:
        found = await uow.shipments.get(shipment_id)
    assert found is not None
    return found


async def _kinds(make: Factory, shipment_id: int) -> list[str]:
    async with make.uow() as uow:
        return [kind for _, kind in await uow.events.of("shipment", shipment_id)]


class TestCreateAllShipments:
    async def test_one_shipment_per_location_for_everything_allocated(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 3), ("SKU-2", 1))

        planned = await shipment_service.create_all_shipments(uow, placed.order_id or 0)

        assert [[(ln.sku, ln.quantity) for ln in s.lines] for s in planned] == [
            [("SKU-1", 2), ("SKU-2", 1)],
            [("SKU-1", 1)],
        ]
        assert {s.status for s in planned} == {ShipmentStatus.created}
        assert await _kinds(make, planned[0].id) == ["shipment_created"]

    async def test_only_what_no_open_shipment_claims(self, make: Factory, uow: UnitOfWork) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 3))
        first = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        await shipment_service.cancel_shipment(make.uow(), first[1].id)

        again = await shipment_service.create_all_shipments(uow, placed.order_id or 0)

        assert [(s.location_id, [ln.quantity for ln in s.lines]) for s in again] == [
            (first[1].location_id, [1])
        ]

    async def test_nothing_to_ship_is_a_conflict_and_writes_nothing(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make, 0, 0)
        placed = await make.order(("SKU-1", 3))

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.create_all_shipments(uow, placed.order_id or 0)

        assert caught.value.message == (
            f"order {placed.order_id} has nothing allocated that is not already in a shipment"
        )
        assert await count_rows(make, "shipments") == 0

    async def test_an_unknown_order_is_not_found(self, make: Factory, uow: UnitOfWork) -> None:
        with pytest.raises(NotFoundError):
            await shipment_service.create_all_shipments(uow, 999_999)


class TestRejectShipment:
    async def test_releases_the_units_and_sources_them_elsewhere(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make, first=3)
        placed = await make.order(("SKU-1", 2))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)

        rejected = await shipment_service.reject_shipment(uow, shipment.id, "damaged stock")

        assert rejected.status is ShipmentStatus.rejected
        assert await level(make, "DC-1", "SKU-1") == (3, 0)
        assert await level(make, "DC-2", "SKU-1") == (5, 2)
        order = await load_order(make, placed.order_id)
        assert (order.status, order.lines[0].allocated) == (OrderStatus.allocated, 2)
        reasons = [(m.reason, m.allocated_delta) for m in (await ledger(make))[-2:]]
        assert reasons == [(MovementReason.released, -2), (MovementReason.allocated, 2)]
        assert await _kinds(make, shipment.id) == ["shipment_created", "shipment_rejected"]
        await assert_ledger_balances(make)

    async def test_never_back_to_the_rejecting_location_and_backorders_the_rest(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make, first=5, second=1)
        placed = await make.order(("SKU-1", 3))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)

        await shipment_service.reject_shipment(uow, shipment.id)

        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await level(make, "DC-2", "SKU-1") == (1, 1)
        order = await load_order(make, placed.order_id)
        assert (order.status, order.lines[0].allocated) == (OrderStatus.partially_allocated, 1)
        await assert_ledger_balances(make)

    async def test_a_shipped_shipment_cannot_be_rejected(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 1))
        shipment_id = await make.ship(placed.order_id or 0)
        before = await ledger(make)

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.reject_shipment(uow, shipment_id)

        assert caught.value.message == "cannot move a shipment from 'shipped' to 'rejected'"
        assert await ledger(make) == before
        assert (await _stored(make, shipment_id)).status is ShipmentStatus.shipped


class TestRerouteShipment:
    async def test_moves_the_whole_shipment_and_its_allocation(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 2), ("SKU-2", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        await shipment_service.advance_shipment(make.uow(), shipment.id, ShipmentStatus.picked)

        moved = await shipment_service.reroute_shipment(uow, shipment.id, "DC-2")

        assert (moved.id, moved.status) == (shipment.id, ShipmentStatus.created)
        assert (await _stored(make, shipment.id)).location_id == moved.location_id
        assert await level(make, "DC-1", "SKU-1") == (2, 0)
        assert await level(make, "DC-2", "SKU-1") == (5, 2)
        assert await level(make, "DC-2", "SKU-2") == (5, 1)
        order = await load_order(make, placed.order_id)
        assert [line.allocated for line in order.lines] == [2, 1]
        await assert_ledger_balances(make)

    async def test_all_or_nothing_names_what_the_location_lacks(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make, first=5, second=1)
        placed = await make.order(("SKU-1", 3), ("SKU-2", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        before = await ledger(make)

        with pytest.raises(ConflictError) as caught:
            await shipment_service.reroute_shipment(uow, shipment.id, "DC-2")

        assert caught.value.message == (
            "location 'DC-2' cannot take the whole shipment: it lacks "
            "2 of SKU-1 (1 available, 3 needed)"
        )
        assert caught.value.field == "location"
        assert await ledger(make) == before
        assert await level(make, "DC-2", "SKU-2") == (1, 0)
        assert (await _stored(make, shipment.id)).location_id == shipment.location_id

    @pytest.mark.parametrize(
        ("code", "error", "message"),
        [
            ("NOWHERE", InvalidRequestError, "unknown location 'NOWHERE'"),
            ("DC-1", ConflictError, "is already at 'DC-1'"),
        ],
    )
    async def test_refuses_an_unknown_or_the_same_location(
        self, make: Factory, uow: UnitOfWork, code: str, error: type[Exception], message: str
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)

        with pytest.raises(error) as caught:
            await shipment_service.reroute_shipment(uow, shipment.id, code)

        assert message in str(caught.value)
        assert await level(make, "DC-1", "SKU-1") == (2, 1)


class TestSplitShipment:
    async def test_by_order_line(self, make: Factory, uow: UnitOfWork) -> None:
        await _two_locations(make, first=5)
        placed = await make.order(("SKU-1", 1), ("SKU-2", 1), ("SKU-1", 2))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        line_two = shipment.lines[1].order_line_id

        by_line = await shipment_service.split_shipment(uow, shipment.id, order_line_ids=[line_two])

        assert [ln.line_no for ln in (await _stored(make, by_line.id)).lines] == [2]
        assert [ln.line_no for ln in (await _stored(make, shipment.id)).lines] == [1, 3]
        assert by_line.location_id == shipment.location_id
        assert await _kinds(make, shipment.id) == ["shipment_created", "shipment_split"]

    async def test_by_sku_moves_every_line_of_it(self, make: Factory, uow: UnitOfWork) -> None:
        await _two_locations(make, first=5)
        placed = await make.order(("SKU-1", 1), ("SKU-2", 1), ("SKU-1", 2))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)

        split = await shipment_service.split_shipment(uow, shipment.id, skus=["SKU-1"])

        assert [ln.line_no for ln in (await _stored(make, split.id)).lines] == [1, 3]
        assert [ln.line_no for ln in (await _stored(make, shipment.id)).lines] == [2]

    @pytest.mark.parametrize(
        ("named", "error", "message"),
        [
            ({}, InvalidRequestError, "name the order lines or SKUs to split off"),
            ({"skus": ["NOPE"]}, InvalidRequestError, "SKU 'NOPE' is not in shipment"),
            ({"order_line_ids": [999_999]}, InvalidRequestError, "order line 999999 is not in"),
            ({"skus": ["SKU-1", "SKU-2"]}, InvalidStateTransitionError, "would leave shipment"),
        ],
    )
    async def test_refuses_nothing_everything_or_a_stranger(
        self,
        make: Factory,
        uow: UnitOfWork,
        named: dict[str, list[object]],
        error: type[Exception],
        message: str,
    ) -> None:
        await _two_locations(make, first=5)
        placed = await make.order(("SKU-1", 1), ("SKU-2", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)

        with pytest.raises(error) as caught:
            await shipment_service.split_shipment(uow, shipment.id, **named)  # type: ignore[arg-type]

        assert message in str(caught.value)
        assert await count_rows(make, "shipments") == 1
        assert len((await _stored(make, shipment.id)).lines) == 2


class TestStatus:
    async def test_walks_the_flow_and_records_delivery_time(
        self, make: Factory, uow: UnitOfWork, clock: TestClock
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        for status in (ShipmentStatus.released, ShipmentStatus.picked, ShipmentStatus.packed):
            await shipment_service.set_shipment_status(make.uow(), shipment.id, status)
        await shipment_service.set_shipment_status(make.uow(), shipment.id, ShipmentStatus.shipped)

        done = await shipment_service.set_shipment_status(
            uow, shipment.id, ShipmentStatus.delivered
        )

        assert (done.status, done.delivered_at) == (ShipmentStatus.delivered, clock.now)
        assert await level(make, "DC-1", "SKU-1") == (1, 0)
        assert (await load_order(make, placed.order_id)).status is OrderStatus.shipped
        assert (await _kinds(make, shipment.id))[1:] == [
            "shipment_released",
            "shipment_picked",
            "shipment_packed",
            "shipment_shipped",
            "shipment_delivered",
        ]

    async def test_a_wrong_transition_names_both_states(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 1))
        shipment_id = await make.ship(placed.order_id or 0)

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.set_shipment_status(uow, shipment_id, ShipmentStatus.picked)

        assert caught.value.message == "cannot move a shipment from 'shipped' to 'picked'"
        assert (await _stored(make, shipment_id)).status is ShipmentStatus.shipped


class TestTrackingNumbers:
    async def test_several_per_shipment_the_first_is_the_shipments_own(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        first = TrackingNumber("1Z1", "UPS", "https://ups.example/1Z1")
        await shipment_service.add_tracking(make.uow(), shipment.id, first)
        await shipment_service.add_tracking(make.uow(), shipment.id, TrackingNumber("1Z2", "UPS"))

        listed = await shipment_service.tracking_numbers(make.uow(), shipment.id)
        stored = await _stored(make, shipment.id)
        assert listed == [first, TrackingNumber("1Z2", "UPS")]
        assert (stored.carrier, stored.tracking_number) == ("UPS", "1Z1")

        after = await shipment_service.remove_tracking(uow, shipment.id, "1Z1")

        assert after.tracking_number == "1Z2"
        assert await shipment_service.tracking_numbers(make.uow(), shipment.id) == [
            TrackingNumber("1Z2", "UPS")
        ]

    async def test_refuses_a_repeated_or_unknown_number(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        placed = await make.order(("SKU-1", 1))
        [shipment] = await shipment_service.create_all_shipments(make.uow(), placed.order_id or 0)
        await shipment_service.add_tracking(make.uow(), shipment.id, TrackingNumber("1Z1"))

        with pytest.raises(DuplicateError):
            await shipment_service.add_tracking(uow, shipment.id, TrackingNumber("1Z1"))
        with pytest.raises(NotFoundError) as caught:
            await shipment_service.remove_tracking(make.uow(), shipment.id, "1Z9")

        assert caught.value.field == "number"
        assert await count_rows(make, "shipment_tracking") == 1


class TestShipsOnAllocation:
    async def test_off_by_default_and_placement_creates_no_shipment(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make)
        await make.order(("SKU-1", 1))

        assert await shipment_service.ships_on_allocation(uow) is False
        assert await count_rows(make, "shipments") == 0

    async def test_placement_and_backorders_create_their_shipments_when_on(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _two_locations(make, first=1, second=0)
        await shipment_service.set_ships_on_allocation(make.uow(), True)

        placed = await make.order(("SKU-1", 2))
        await make.stock("DC-2", "SKU-1", 4)

        async with uow:
            shipments = await uow.shipments.of_order(placed.order_id or 0)
        assert [(s.location_id, [ln.quantity for ln in s.lines]) for s in shipments] == [
            (shipments[0].location_id, [1]),
            (shipments[1].location_id, [1]),
        ]
        assert shipments[0].location_id != shipments[1].location_id
        await assert_ledger_balances(make)
