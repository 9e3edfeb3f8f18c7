"""The account's allocation strategy: listing, switching, and what each allocates in the store."""

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from orderyard.domain.allocation.policy import DESCRIPTIONS, AllocationStrategy
from orderyard.domain.location import Location
from orderyard.domain.order import HoldState, OrderStatus
from orderyard.domain.values import Address, PageRequest
from orderyard.services import account as account_service
from orderyard.services import inventory as inventory_service
from orderyard.services import location as location_service
from orderyard.services import order as order_service
from orderyard.services import strategy as service
from orderyard.services.account import NewAccount
from orderyard.services.order import LineInput, OrderOutcome, OrderRef, PlaceOrder, UpdateOrder
from orderyard.store.engine import Engines
from orderyard.store.tables import events
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import ADDRESS, Factory
from tests.services.checks import assert_ledger_balances, level
from tests.services.test_order_statements import READS, WRITES_ONE_LEVEL
from tests.statements import counted

CITIES = {
    "Toronto": ("43.6532", "-79.3832"),
    "Montreal": ("45.5017", "-73.5673"),
    "New York": ("40.7128", "-74.0060"),
    "Vancouver": ("49.2827", "-123.1207"),
    "Ottawa": ("45.4215", "-75.6972"),
    "Seattle": ("47.6062", "-122.3321"),
}
"""Toronto is 504 km from Montreal, 550 km from New York and 3,359 km from Vancouver."""


def address_in(city: str | None) -> Address:
    if city is None:
        return ADDRESS
    latitude, longitude = CITIES[city]
    return replace(ADDRESS, city=city, latitude=Decimal(latitude), longitude=Decimal(longitude))


async def located(make: Factory, code: str, city: str | None, *, priority: int) -> Location:
    command = location_service.CreateLocation(
        code=code, name=f"{code} in {city}", priority=priority, address=address_in(city)
    )
    return await location_service.create_location(make.uow(), command)


async def order_to(
    make: Factory, number: str, city: str | None, quantity: int, **fields: object
) -> OrderOutcome:
    command = PlaceOrder(
        number,
        (LineInput("SKU-1", quantity),),
        "Pick",
        address=address_in(city),
        **fields,  # type: ignore[arg-type]
    )
    [outcome] = await order_service.place_orders(make.uow(), [command])
    assert outcome.error is None, outcome.error
    return outcome


async def allocated_at(make: Factory, outcome: OrderOutcome) -> dict[int, int]:
    """``{location_id: units}`` the order holds."""
    async with make.uow() as uow:
        held = await uow.orders.allocations_of(outcome.order_id or 0)
    return {a.location_id: a.quantity for a in held}


async def counts(make: Factory, *rows: tuple[str, int]) -> None:
    """Set SKU-1's on-hand at several locations in one feed (one backorder allocation)."""
    await inventory_service.set_on_hand(
        make.uow(),
        [
            inventory_service.OnHandRow(n, code, "SKU-1", units)
            for n, (code, units) in enumerate(rows)
        ],
    )


async def switch(make: Factory, strategy: AllocationStrategy) -> None:
    await service.switch_strategy(make.uow(), strategy)


@pytest.fixture
async def canada(make: Factory) -> dict[str, Location]:
    """VAN (priority 1), NYC (2), MTL (3), HQ (0, no coordinates); SKU-1 nowhere yet."""
    await make.item("SKU-1")
    return {
        "VAN": await located(make, "VAN", "Vancouver", priority=1),
        "NYC": await located(make, "NYC", "New York", priority=2),
        "MTL": await located(make, "MTL", "Montreal", priority=3),
        "HQ": await located(make, "HQ", None, priority=0),
    }


class TestTheStrategies:
    def test_every_strategy_is_listed_in_order_with_what_it_does(self) -> None:
        page = service.list_strategies(PageRequest(1, 20))

        assert [(s.strategy, s.description) for s in page.items] == [
            (strategy, DESCRIPTIONS[strategy]) for strategy in AllocationStrategy
        ]
        assert [s.strategy.value for s in page.items] == [
            "by_priority",
            "single_location",
            "nearest",
            "most_stock",
        ]
        assert page.total == 4

    def test_the_list_is_paged(self) -> None:
        second = service.list_strategies(PageRequest(2, 3))

        assert [s.strategy for s in second.items] == [AllocationStrategy.most_stock]
        assert (second.total, second.total_pages) == (4, 2)

    async def test_a_new_account_allocates_by_priority(self, uow: UnitOfWork) -> None:
        current = await service.current_strategy(uow)

        assert current.strategy is AllocationStrategy.by_priority

    async def test_a_switch_is_read_back_and_recorded_as_an_event(
        self, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        switched = await service.switch_strategy(uow, AllocationStrategy.nearest)

        assert switched.strategy is AllocationStrategy.nearest
        assert (await service.current_strategy(uow)).strategy is AllocationStrategy.nearest
        assert await switches(engines, account) == [
            ("test", {"from": "by_priority", "to": "nearest"})
        ]

    async def test_choosing_the_current_strategy_again_records_nothing(
        self, uow: UnitOfWork, engines: Engines, account: NewAccount
    ) -> None:
        await service.switch_strategy(uow, AllocationStrategy.most_stock)

        again = await service.switch_strategy(uow, AllocationStrategy.most_stock)

        assert again.strategy is AllocationStrategy.most_stock
        assert len(await switches(engines, account)) == 1

    async def test_a_switch_leaves_other_accounts_alone(
        self, uow: UnitOfWork, engines: Engines, make: Factory
    ) -> None:
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        await service.switch_strategy(uow, AllocationStrategy.single_location)

        theirs = UnitOfWork(engines.write, other.account_id, actor="test")
        assert (await service.current_strategy(theirs)).strategy is AllocationStrategy.by_priority


async def switches(engines: Engines, account: NewAccount) -> list[tuple[str, object]]:
    async with engines.write.connect() as conn:
        rows = await conn.execute(
            select(events.c.actor, events.c.data)
            .where(
                events.c.account_id == account.account_id,
                events.c.kind == "allocation_strategy_switched",
                events.c.record_type == "account",
                events.c.record_id == account.account_id,
            )
            .order_by(events.c.id)
        )
        return [(actor, json.loads(data)) for actor, data in rows]


class TestWhatEachStrategyAllocates:
    async def test_by_priority_splits_from_the_lowest_priority_number(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await make.stock("VAN", "SKU-1", 2)
        await make.stock("MTL", "SKU-1", 9)

        placed = await order_to(make, "N-1", "Toronto", 5)

        assert placed.status is OrderStatus.allocated
        assert await allocated_at(make, placed) == {canada["VAN"].id: 2, canada["MTL"].id: 3}

    async def test_single_location_backorders_a_line_rather_than_split_it(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.single_location)
        await make.stock("VAN", "SKU-1", 4)
        await make.stock("MTL", "SKU-1", 4)

        placed = await order_to(make, "N-1", "Toronto", 5)
        assert placed.status is OrderStatus.backordered
        await make.stock("NYC", "SKU-1", 6)

        assert await allocated_at(make, placed) == {canada["NYC"].id: 5}
        assert await level(make, "VAN", "SKU-1") == (4, 0)
        await assert_ledger_balances(make)

    async def test_nearest_takes_the_nearest_first_and_splits_to_the_next(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.nearest)
        for code in ("VAN", "NYC", "HQ"):
            await make.stock(code, "SKU-1", 9)
        await make.stock("MTL", "SKU-1", 3)

        placed = await order_to(make, "N-1", "Toronto", 5)

        assert await allocated_at(make, placed) == {canada["MTL"].id: 3, canada["NYC"].id: 2}
        await assert_ledger_balances(make)

    async def test_nearest_without_coordinates_on_the_order_allocates_by_priority(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.nearest)
        await make.stock("HQ", "SKU-1", 1)
        await make.stock("MTL", "SKU-1", 9)

        placed = await order_to(make, "N-1", None, 3)

        assert await allocated_at(make, placed) == {canada["HQ"].id: 1, canada["MTL"].id: 2}

    async def test_nearest_places_a_located_order_with_as_many_statements_as_any(
        self, make: Factory, engines: Engines, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.nearest)
        await make.stock("MTL", "SKU-1", 9)
        await make.stock("VAN", "SKU-1", 9)

        with counted(engines.write) as statements:
            placed = await order_to(make, "N-1", "Toronto", 1)

        assert statements == READS + WRITES_ONE_LEVEL[engines.write.dialect.name]
        assert await allocated_at(make, placed) == {canada["MTL"].id: 1}

    async def test_nearest_backorders_go_by_each_waiting_orders_own_address(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.nearest)
        seattle = await order_to(make, "N-1", "Seattle", 2)
        ottawa = await order_to(make, "N-2", "Ottawa", 2)

        await counts(make, ("MTL", 2), ("VAN", 2))

        assert await allocated_at(make, seattle) == {canada["VAN"].id: 2}
        assert await allocated_at(make, ottawa) == {canada["MTL"].id: 2}
        await assert_ledger_balances(make)

    async def test_a_resumed_order_is_allocated_nearest_its_stored_address(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.nearest)
        await make.stock("VAN", "SKU-1", 5)
        await make.stock("NYC", "SKU-1", 5)
        held = await order_to(make, "N-1", "Toronto", 2, hold=HoldState.hold, hold_reason="x")
        assert await allocated_at(make, held) == {}

        update = UpdateOrder(OrderRef("id", held.order_id or 0), hold=HoldState.none)
        [resumed] = await order_service.update_orders(make.uow(), [update])

        assert resumed.status is OrderStatus.allocated
        assert await allocated_at(make, held) == {canada["NYC"].id: 2}

    async def test_most_stock_takes_the_fullest_first(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await switch(make, AllocationStrategy.most_stock)
        await make.stock("VAN", "SKU-1", 3)
        await make.stock("NYC", "SKU-1", 7)
        await make.stock("MTL", "SKU-1", 4)

        first = await order_to(make, "N-1", "Toronto", 9)
        second = await order_to(make, "N-2", "Toronto", 2)

        assert await allocated_at(make, first) == {canada["NYC"].id: 7, canada["MTL"].id: 2}
        assert await allocated_at(make, second) == {canada["VAN"].id: 2}


class TestSwitching:
    async def test_only_orders_allocated_after_a_switch_follow_it(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        """An order allocated by priority keeps Vancouver; a backorder served after the
        switch to nearest comes from Montreal, though Vancouver had stock again."""
        await make.stock("VAN", "SKU-1", 2)
        before = await order_to(make, "N-1", "Toronto", 2)
        waiting = await order_to(make, "N-2", "Toronto", 2)
        assert waiting.status is OrderStatus.backordered

        await switch(make, AllocationStrategy.nearest)
        await counts(make, ("VAN", 4), ("MTL", 2))

        assert await allocated_at(make, before) == {canada["VAN"].id: 2}
        assert await allocated_at(make, waiting) == {canada["MTL"].id: 2}
        await assert_ledger_balances(make)

    async def test_an_order_placed_after_a_switch_back_follows_priority_again(
        self, make: Factory, canada: dict[str, Location]
    ) -> None:
        await make.stock("VAN", "SKU-1", 5)
        await make.stock("MTL", "SKU-1", 5)
        await switch(make, AllocationStrategy.nearest)
        nearest = await order_to(make, "N-1", "Toronto", 1)

        await switch(make, AllocationStrategy.by_priority)
        by_priority = await order_to(make, "N-2", "Toronto", 1)

        assert await allocated_at(make, nearest) == {canada["MTL"].id: 1}
        assert await allocated_at(make, by_priority) == {canada["VAN"].id: 1}
