from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.services.allocation import allocate_backorders
from orderyard.store.engine import Engines
from tests.factories import Factory
from tests.statements import counted


async def test_backorders_of_items_beyond_the_first_batch_are_allocated(make: Factory) -> None:
    location = await make.location("DC-1")
    skus = ["A", "B", "C"]
    ids = [await make.item(sku) for sku in skus]
    placed = [await make.order((sku, 2)) for sku in ["A", "B", "C", "A"]]
    assert {p.status for p in placed} == {OrderStatus.backordered}

    async with make.uow() as uow:
        for item_id in ids:
            await uow.stock.add_on_hand(location.id, item_id, 3)
        await uow.stock.record(
            [Movement(location.id, i, MovementReason.on_hand_set, on_hand_delta=3) for i in ids]
        )
        served = await allocate_backorders(uow, ids, AllocationStrategy.by_priority, batch=1)
        await uow.commit()

    assert served == {p.order_id for p in placed}
    async with make.uow() as uow:
        statuses = [(await uow.orders.load(p.order_id or 0)) for p in placed]
        levels = await uow.stock.all_levels()
    assert [o.status for o in statuses if o] == [
        OrderStatus.allocated,
        OrderStatus.allocated,
        OrderStatus.allocated,
        OrderStatus.partially_allocated,
    ]
    assert sorted(lv.allocated for lv in levels.values()) == [2, 2, 3]


async def test_an_out_of_stock_first_batch_does_not_stop_later_items(make: Factory) -> None:
    location = await make.location("DC-1")
    a = await make.item("A")
    b = await make.item("B")
    first = await make.order(("A", 1))
    second = await make.order(("B", 1))

    async with make.uow() as uow:
        await uow.stock.add_on_hand(location.id, b, 1)
        await uow.stock.record(
            [Movement(location.id, b, MovementReason.on_hand_set, on_hand_delta=1)]
        )
        served = await allocate_backorders(uow, [a, b], AllocationStrategy.by_priority, batch=1)
        await uow.commit()

    assert served == {second.order_id}
    assert first.order_id not in served


async def allocation_statements(make: Factory, engines: Engines, waiting: int) -> list[str]:
    """Statements that allocate ``waiting`` one-unit backorders of one SKU in one batch."""
    location = await make.location("DC-1")
    item = await make.item("A")
    for _ in range(waiting):
        await make.order(("A", 1))
    async with make.uow() as uow:
        await uow.stock.add_on_hand(location.id, item, waiting)
        with counted(engines.write) as statements:
            served = await allocate_backorders(uow, [item], AllocationStrategy.by_priority)
        await uow.commit()
    assert len(served) == waiting
    return statements


async def test_allocating_backorders_costs_statements_per_batch_not_per_order(
    make: Factory, engines: Engines
) -> None:
    statements = await allocation_statements(make, engines, waiting=12)

    # waiting lines, lock orders, their lines, candidates, one take for the level,
    # allocations, movements, order statuses, line quantities, and the account's
    # ships-on-allocation setting (once per round that allocated something)
    assert statements == [
        "SELECT", "SELECT", "SELECT", "SELECT", "UPDATE", "INSERT", "INSERT", "UPDATE", "UPDATE",
        "SELECT",
    ]  # fmt: skip
