from orderyard.domain.errors import (
    DuplicateError,
    InvalidRequestError,
    InvalidStateTransitionError,
)
from orderyard.domain.order import HoldState, OrderStatus
from orderyard.services import order as order_service
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory


async def stock_of(make: Factory, sku: str) -> tuple[int, int]:
    """(on_hand, allocated) summed over the account's locations."""
    async with make.uow() as uow:
        item_id = (await uow.catalog.item_ids([sku]))[sku]
        levels = [lv for lv in (await uow.stock.all_levels()).values() if lv.item_id == item_id]
    return sum(lv.on_hand for lv in levels), sum(lv.allocated for lv in levels)


class TestPlaceOrder:
    async def test_allocates_from_the_highest_priority_location_first(self, make: Factory) -> None:
        await make.location("DC-2", priority=2)
        await make.location("DC-1", priority=1)
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 3)
        await make.stock("DC-2", "SKU-1", 10)

        outcome = await make.order(("SKU-1", 5))

        assert outcome.status is OrderStatus.allocated
        async with make.uow() as uow:
            allocations = await uow.orders.allocations_of(outcome.order_id or 0)
            codes = {loc.id: loc.code for loc in await uow.locations.all()}
        assert sorted((codes[a.location_id], a.quantity) for a in allocations) == [
            ("DC-1", 3),
            ("DC-2", 2),
        ]

    async def test_backorders_what_stock_cannot_cover(self, make: Factory) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 2)

        outcome = await make.order(("SKU-1", 5))

        assert outcome.status is OrderStatus.partially_allocated
        assert await stock_of(make, "SKU-1") == (2, 2)

    async def test_a_held_order_holds_no_stock(self, make: Factory) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 5)

        outcome = await make.order(("SKU-1", 2), hold=HoldState.hold, hold_reason="fraud check")

        assert (outcome.status, outcome.hold) == (OrderStatus.pending, HoldState.hold)
        assert await stock_of(make, "SKU-1") == (5, 0)

    async def test_unknown_sku_is_refused_and_nothing_is_written(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 5)

        outcome = await make.order(("SKU-1", 1), ("NOPE", 1))

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == "lines[1].sku"
        assert await stock_of(make, "SKU-1") == (5, 0)
        page = await order_service.list_orders(read_uow, order_service.OrderFilter(), _page())
        assert page.total == 0

    async def test_unregistered_shipping_method_is_refused(self, make: Factory) -> None:
        await make.item("SKU-1")

        outcome = await make.order(("SKU-1", 1), shipping_method="Teleport")

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == "shipping_method"

    async def test_duplicate_order_number_is_refused(self, make: Factory) -> None:
        await make.item("SKU-1")
        await make.order(("SKU-1", 1), number="A-1")

        outcome = await make.order(("SKU-1", 1), number="A-1")

        assert isinstance(outcome.error, DuplicateError)

    async def test_bulk_keeps_valid_orders_and_reports_failing_ones(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 5)
        good = order_service.PlaceOrder("OK-1", (order_service.LineInput("SKU-1", 2),), "Pick")
        bad = order_service.PlaceOrder("BAD-1", (order_service.LineInput("SKU-1", 2),), "Nope")

        outcomes = await order_service.place_orders(uow, [good, bad])

        assert [o.error is None for o in outcomes] == [True, False]
        assert await stock_of(make, "SKU-1") == (5, 2)
        page = await order_service.list_orders(read_uow, order_service.OrderFilter(), _page())
        assert [v.order_number for v in page.items] == ["OK-1"]


class TestCancelOrders:
    async def test_cancelling_releases_stock_to_the_oldest_backorder(
        self, make: Factory, engines: Engines, uow: UnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 3)
        first = await make.order(("SKU-1", 3))
        second = await make.order(("SKU-1", 2))
        third = await make.order(("SKU-1", 2))

        [cancelled] = await order_service.cancel_orders(uow, [first.order_id or 0])

        assert cancelled.status is OrderStatus.cancelled
        assert (second.status, third.status) == (OrderStatus.backordered, OrderStatus.backordered)
        async with make.uow() as check:
            second_after = await check.orders.load(second.order_id or 0)
            third_after = await check.orders.load(third.order_id or 0)
        assert second_after is not None
        assert third_after is not None
        assert second_after.status is OrderStatus.allocated
        assert third_after.status is OrderStatus.partially_allocated
        assert await stock_of(make, "SKU-1") == (3, 3)


def _page() -> "order_service.PageRequest":
    return order_service.PageRequest()


class TestUpdateOrders:
    async def test_lines_cannot_be_replaced_once_a_shipment_exists(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 5)
        placed = await make.order(("SKU-1", 2))
        await make.ship(placed.order_id or 0, (1, 1))
        command = order_service.UpdateOrder(
            ref=order_service.OrderRef("id", placed.order_id or 0),
            lines=(order_service.LineInput("SKU-1", 4),),
        )

        [outcome] = await order_service.update_orders(uow, [command])

        assert isinstance(outcome.error, InvalidStateTransitionError)
        assert outcome.error.field == "lines"
        assert await stock_of(make, "SKU-1") == (4, 1)
