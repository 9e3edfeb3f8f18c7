"""Taking stock at several levels at once (the set-based path on PostgreSQL)."""

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from orderyard.store.repositories import stock_takes
from orderyard.store.tables import stock_levels
from tests.factories import Factory


@pytest.mark.parametrize("together_from", [2, 100], ids=["set-based", "one-by-one"])
async def test_taking_levels_together_takes_those_with_stock_and_leaves_the_rest(
    make: Factory, monkeypatch: pytest.MonkeyPatch, together_from: int
) -> None:
    monkeypatch.setattr(stock_takes, "TAKE_TOGETHER_FROM", together_from)
    first = await make.location("DC-1")
    second = await make.location("DC-2", priority=2)
    a = await make.item("A")
    b = await make.item("B")
    await make.stock("DC-1", "A", 5)
    await make.stock("DC-2", "A", 5)
    await make.stock("DC-1", "B", 2)

    async with make.uow() as uow:
        taken = await uow.stock.take_levels({(first.id, a): 5, (second.id, a): 3, (first.id, b): 3})
        await uow.commit()

    async with make.uow() as uow:
        levels = await uow.stock.all_levels()
    assert taken == {(first.id, a), (second.id, a)}
    assert {key: lv.allocated for key, lv in levels.items()} == {
        (first.id, a): 5,
        (second.id, a): 3,
        (first.id, b): 0,
    }


async def test_candidates_by_priority_stop_once_the_demand_is_covered(make: Factory) -> None:
    codes = ["DC-1", "DC-2", "DC-3", "DC-4"]
    locations = [await make.location(code, priority=n) for n, code in enumerate(codes, 1)]
    item = await make.item("A")
    for code in codes:
        await make.stock(code, "A", 4)

    async with make.uow() as uow:
        some = await uow.stock.candidates([item], first_by_priority=6)
        every = await uow.stock.candidates([item])

    assert sorted(c.location_id for c in some.by_item[item]) == [loc.id for loc in locations[:2]]
    assert sorted(c.location_id for c in every.by_item[item]) == sorted(loc.id for loc in locations)


async def test_the_database_refuses_allocation_beyond_on_hand_but_a_bypass_shortfall(
    make: Factory,
) -> None:
    location = await make.location("DC-1")
    item = await make.item("A")
    await make.stock("DC-1", "A", 2)
    beyond = (
        update(stock_levels)
        .where(stock_levels.c.account_id == make.account_id)
        .values(allocated=stock_levels.c.allocated + 3)
    )

    async with make.uow() as uow:
        with pytest.raises(IntegrityError):  # a release (or any write) that is not a bypass
            await uow.conn.execute(beyond)
    async with make.uow() as uow:
        with pytest.raises(IntegrityError):
            await uow.conn.execute(update(stock_levels).values(bypassed=-1))
    async with make.uow() as uow:
        allocated = await uow.stock.allocate_held(location.id, item, 3, held=None)
        await uow.commit()

    async with make.uow() as uow:
        level = (await uow.stock.levels([(location.id, item)]))[(location.id, item)]
    assert allocated
    assert (level.on_hand, level.allocated, level.bypassed, level.available) == (2, 3, 1, -1)


async def test_a_rise_of_on_hand_pays_off_the_shortfall_first_and_a_release_shrinks_it_first(
    make: Factory,
) -> None:
    location = await make.location("DC-1")
    item = await make.item("A")
    at = (location.id, item)
    async with make.uow() as uow:
        await uow.stock.add_on_hand(*at, 0)
        await uow.stock.allocate_held(*at, 5, held=None)
        await uow.stock.add_on_hand(*at, 2)
        paid = (await uow.stock.levels([at]))[at]
        await uow.stock.release(*at, 1)
        released = (await uow.stock.levels([at]))[at]
        refused = await uow.stock.ship_out(*at, 3)
        unchanged = (await uow.stock.levels([at]))[at]
        shipped = await uow.stock.ship_out(*at, 2)
        gone = (await uow.stock.levels([at]))[at]
        await uow.commit()

    assert (paid.on_hand, paid.allocated, paid.bypassed, paid.available) == (2, 5, 3, -3)
    assert (released.allocated, released.bypassed, released.available) == (4, 2, -2)
    assert (refused, unchanged) == (False, released)
    assert (shipped, gone.on_hand, gone.allocated, gone.bypassed) == (True, 0, 2, 2)
