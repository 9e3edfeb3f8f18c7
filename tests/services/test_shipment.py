import pytest

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError, NotFoundError
from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import HoldState, OrderStatus
from orderyard.domain.shipment import ShipmentStatus
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.services import order as order_service
from orderyard.services import shipment as shipment_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level, load_order


async def _stocked(make: Factory, on_hand: int = 5) -> int:
    location = await make.location("DC-1")
    await make.item("SKU-1")
    await make.item("SKU-2")
    await make.stock("DC-1", "SKU-1", on_hand)
    await make.stock("DC-1", "SKU-2", on_hand)
    return location.id


class TestCreateShipment:
    async def test_takes_every_allocated_unit_at_the_location(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        location_id = await _stocked(make)
        placed = await make.order(("SKU-1", 3), ("SKU-2", 1))

        shipment = await shipment_service.create_shipment(uow, placed.order_id or 0)

        assert (shipment.status, shipment.location_id) == (ShipmentStatus.created, location_id)
        assert [(ln.line_no, ln.sku, ln.quantity) for ln in shipment.lines] == [
            (1, "SKU-1", 3),
            (2, "SKU-2", 1),
        ]
        assert await level(make, "DC-1", "SKU-1") == (5, 3)

    async def test_takes_only_the_given_lines(self, make: Factory, uow: UnitOfWork) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 3), ("SKU-2", 1))

        shipment = await shipment_service.create_shipment(uow, placed.order_id or 0, lines=[(1, 2)])

        async with make.uow() as check:
            stored = await check.shipments.get(shipment.id)
        assert stored is not None
        assert [(ln.line_no, ln.quantity) for ln in stored.lines] == [(1, 2)]

    async def test_units_in_an_open_shipment_cannot_be_claimed_again(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 3))
        await shipment_service.create_shipment(make.uow(), placed.order_id or 0, lines=[(1, 2)])

        with pytest.raises(InvalidRequestError) as caught:
            await shipment_service.create_shipment(uow, placed.order_id or 0, lines=[(1, 2)])

        assert caught.value.field == "lines[0].quantity"
        assert caught.value.message == (
            "cannot ship 2 of SKU-1 (line 1): 1 allocated at this location "
            "and not in another shipment"
        )
        async with make.uow() as check:
            assert len(await check.shipments.of_order(placed.order_id or 0)) == 1

    async def test_several_locations_need_one_named(self, make: Factory, uow: UnitOfWork) -> None:
        await make.location("DC-1", priority=1)
        second = await make.location("DC-2", priority=2)
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 2)
        await make.stock("DC-2", "SKU-1", 2)
        placed = await make.order(("SKU-1", 3))

        with pytest.raises(InvalidRequestError) as caught:
            await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
        shipment = await shipment_service.create_shipment(
            uow, placed.order_id or 0, location_id=second.id
        )

        assert caught.value.field == "location"
        assert [(ln.sku, ln.quantity) for ln in shipment.lines] == [("SKU-1", 1)]

    async def test_nothing_allocated_means_nothing_to_ship(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        placed = await make.order(("SKU-1", 3))

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.create_shipment(uow, placed.order_id or 0)

        assert caught.value.message == "nothing of the order is allocated and free to ship"
        async with make.uow() as check:
            assert await check.shipments.of_order(placed.order_id or 0) == []

    async def test_a_held_order_is_not_shipped(self, make: Factory, uow: UnitOfWork) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 1), hold=HoldState.hold, hold_reason="fraud")

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.create_shipment(uow, placed.order_id or 0)

        assert caught.value.message == "a held order cannot be shipped"

    async def test_another_accounts_order_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 1))
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError) as caught:
            await shipment_service.create_shipment(
                UnitOfWork(engines.write, AccountId(other.account_id)), placed.order_id or 0
            )

        assert caught.value.field == "order"
        async with make.uow() as check:
            assert await check.shipments.of_order(placed.order_id or 0) == []


class TestShipShipment:
    async def test_shipping_moves_stock_out_and_ships_the_order(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 3), ("SKU-2", 1))
        created = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)

        shipped = await shipment_service.ship_shipment(
            uow, created.id, tracking_number="1Z999", carrier="UPS"
        )

        assert (shipped.status, shipped.tracking_number, shipped.carrier) == (
            ShipmentStatus.shipped,
            "1Z999",
            "UPS",
        )
        assert shipped.shipped_at is not None
        assert await level(make, "DC-1", "SKU-1") == (2, 0)
        assert await level(make, "DC-1", "SKU-2") == (4, 0)
        order = await load_order(make, placed.order_id)
        assert order.status is OrderStatus.shipped
        assert [(ln.allocated, ln.shipped) for ln in order.lines] == [(0, 3), (0, 1)]
        async with make.uow() as check:
            assert await check.orders.allocations_of(order.id) == []
        await assert_ledger_balances(make)

    async def test_a_partial_shipment_leaves_the_order_partially_shipped(
        self, make: Factory
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 3))

        await make.ship(placed.order_id or 0, (1, 1))
        partly = await load_order(make, placed.order_id)
        await make.ship(placed.order_id or 0)
        fully = await load_order(make, placed.order_id)

        assert partly.status is OrderStatus.partially_shipped
        assert (partly.lines[0].allocated, partly.lines[0].shipped) == (2, 1)
        assert fully.status is OrderStatus.shipped
        assert await level(make, "DC-1", "SKU-1") == (2, 0)
        await assert_ledger_balances(make)

    async def test_shipping_what_is_allocated_keeps_the_backorder_waiting(
        self, make: Factory
    ) -> None:
        await _stocked(make, on_hand=2)
        placed = await make.order(("SKU-1", 5))

        await make.ship(placed.order_id or 0)

        order = await load_order(make, placed.order_id)
        assert order.status is OrderStatus.partially_shipped
        assert (order.lines[0].shipped, order.lines[0].unallocated) == (2, 3)
        await make.stock("DC-1", "SKU-1", 3)
        assert (await load_order(make, placed.order_id)).lines[0].allocated == 3

    async def test_records_a_shipped_movement_for_the_order(self, make: Factory) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))

        shipment_id = await make.ship(placed.order_id or 0)

        moves = [m for m in await ledger(make) if m.order_id == placed.order_id]
        assert [(m.reason, m.on_hand_delta, m.allocated_delta, m.reference) for m in moves] == [
            (MovementReason.allocated, 0, 2, ""),
            (MovementReason.shipped, -2, -2, f"shipment:{shipment_id}"),
        ]

    async def test_cannot_ship_twice(self, make: Factory, uow: UnitOfWork) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        shipment_id = await make.ship(placed.order_id or 0)

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.ship_shipment(uow, shipment_id)

        assert caught.value.message == "cannot move a shipment from 'shipped' to 'shipped'"
        assert await level(make, "DC-1", "SKU-1") == (3, 0)
        assert (await load_order(make, placed.order_id)).lines[0].shipped == 2

    async def test_cannot_ship_units_the_order_no_longer_has_allocated(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        created = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
        await make.stock("DC-1", "SKU-1", 1)

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.ship_shipment(uow, created.id)

        assert caught.value.message == (
            "cannot ship 2 of SKU-1 (line 1): only 1 allocated at the location"
        )
        assert await level(make, "DC-1", "SKU-1") == (1, 1)
        async with make.uow() as check:
            stored = await check.shipments.get(created.id)
        assert stored is not None
        assert stored.status is ShipmentStatus.created
        await assert_ledger_balances(make)

    async def test_cancelling_the_order_cancels_its_open_shipments(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        created = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
        await order_service.cancel_orders(make.uow(), [placed.order_id or 0])

        with pytest.raises(InvalidStateTransitionError) as caught:
            await shipment_service.ship_shipment(uow, created.id)

        assert caught.value.message == "cannot move a shipment from 'cancelled' to 'shipped'"
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        async with make.uow() as check:
            stored = await check.shipments.get(created.id)
            events = await check.events.of("shipment", created.id)
        assert stored is not None
        assert stored.status is ShipmentStatus.cancelled
        assert events[-1][1] == "shipment_cancelled"
        await assert_ledger_balances(make)

    async def test_another_accounts_shipment_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        created = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError) as caught:
            await shipment_service.ship_shipment(
                UnitOfWork(engines.write, AccountId(other.account_id)), created.id
            )

        assert caught.value.message == f"shipment {created.id} not found"
        assert await level(make, "DC-1", "SKU-1") == (5, 2)


class TestAdvanceAndCancel:
    async def test_moves_through_the_warehouse_steps(self, make: Factory) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        created = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)

        for status in (ShipmentStatus.released, ShipmentStatus.picked, ShipmentStatus.packed):
            await shipment_service.advance_shipment(make.uow(), created.id, status)
        await shipment_service.ship_shipment(make.uow(), created.id)
        delivered = await shipment_service.advance_shipment(
            make.uow(), created.id, ShipmentStatus.delivered
        )

        assert delivered.status is ShipmentStatus.delivered
        async with make.uow() as check:
            kinds = [kind for _, kind in await check.events.of("shipment", created.id)]
        assert kinds == [
            "shipment_created",
            "shipment_released",
            "shipment_picked",
            "shipment_packed",
            "shipment_shipped",
            "shipment_delivered",
        ]

    async def test_steps_never_go_backwards(self, make: Factory, uow: UnitOfWork) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        created = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)
        await shipment_service.advance_shipment(make.uow(), created.id, ShipmentStatus.packed)

        with pytest.raises(InvalidStateTransitionError):
            await shipment_service.advance_shipment(uow, created.id, ShipmentStatus.released)

        async with make.uow() as check:
            stored = await check.shipments.get(created.id)
        assert stored is not None
        assert stored.status is ShipmentStatus.packed

    @pytest.mark.parametrize("status", [ShipmentStatus.shipped, ShipmentStatus.cancelled])
    async def test_shipping_and_cancelling_have_their_own_use_cases(
        self, make: Factory, uow: UnitOfWork, status: ShipmentStatus
    ) -> None:
        with pytest.raises(InvalidRequestError) as caught:
            await shipment_service.advance_shipment(uow, 1, status)

        assert caught.value.field == "status"

    async def test_cancelling_frees_the_units_for_another_shipment(self, make: Factory) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        first = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)

        cancelled = await shipment_service.cancel_shipment(make.uow(), first.id)
        second = await shipment_service.create_shipment(make.uow(), placed.order_id or 0)

        assert cancelled.status is ShipmentStatus.cancelled
        assert [(ln.sku, ln.quantity) for ln in second.lines] == [("SKU-1", 2)]
        assert await level(make, "DC-1", "SKU-1") == (5, 2)

    async def test_a_shipped_shipment_cannot_be_cancelled(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _stocked(make)
        placed = await make.order(("SKU-1", 2))
        shipment_id = await make.ship(placed.order_id or 0)

        with pytest.raises(InvalidStateTransitionError):
            await shipment_service.cancel_shipment(uow, shipment_id)

        assert await level(make, "DC-1", "SKU-1") == (3, 0)
        assert (await load_order(make, placed.order_id)).status is OrderStatus.shipped
