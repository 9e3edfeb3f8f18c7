from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.inventory import (
    StockFigures,
    StockLevel,
    item_figures,
    kit_availability,
    kit_figures,
)


def test_an_item_shows_each_location_and_adds_them_up() -> None:
    levels = [
        StockLevel(1, 7, on_hand=10, allocated=3, reserved=1, safety_stock=1),
        StockLevel(2, 7, on_hand=2, allocated=2, safety_stock=4),
    ]

    per_location, total = item_figures(levels)

    assert per_location == {1: StockFigures(10, 3, 1, 1, 5), 2: StockFigures(2, 2, 0, 4, 0)}
    assert total == StockFigures(12, 5, 1, 5, 5)


def test_an_item_without_levels_shows_zeros() -> None:
    assert item_figures([]) == ({}, StockFigures())


def test_a_kit_shows_what_its_components_allow_per_location() -> None:
    needs = {1: 1, 2: 2}
    levels = [
        StockLevel(10, 1, on_hand=5, allocated=1),
        StockLevel(10, 2, on_hand=9, allocated=1),
        StockLevel(20, 1, on_hand=3),
    ]

    per_location, _ = kit_figures(needs, levels)

    assert per_location == {
        10: StockFigures(on_hand=4, available=4),
        20: StockFigures(on_hand=0, available=0),
    }


def test_a_kit_total_may_draw_components_from_different_locations() -> None:
    needs = {1: 1, 2: 1}
    levels = [StockLevel(10, 1, on_hand=4), StockLevel(20, 2, on_hand=3)]

    per_location, total = kit_figures(needs, levels)

    assert per_location == {10: StockFigures(), 20: StockFigures()}
    assert total == StockFigures(on_hand=3, available=3)


def test_a_kit_whose_component_has_no_stock_anywhere_has_none() -> None:
    _, total = kit_figures({1: 1, 2: 1}, [StockLevel(10, 1, on_hand=8)])

    assert total == StockFigures()


@given(
    st.dictionaries(st.integers(1, 4), st.integers(1, 5), min_size=1),
    st.lists(st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(0, 50))),
)
def test_a_kit_total_never_promises_more_than_any_component_allows(
    needs: dict[int, int], rows: list[tuple[int, int, int]]
) -> None:
    levels = {(loc, item): StockLevel(loc, item, on_hand=qty) for loc, item, qty in rows}

    _, total = kit_figures(needs, levels.values())

    for item, need in needs.items():
        held = sum(lv.available for lv in levels.values() if lv.item_id == item)
        assert total.available * need <= held
    assert total.available == kit_availability(
        needs,
        {i: sum(lv.available for lv in levels.values() if lv.item_id == i) for i in needs},
    )
