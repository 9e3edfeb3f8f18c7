"""Taking stock at several levels at once (the set-based path on PostgreSQL)."""

import pytest

from orderyard.store.repositories import stock_takes
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
