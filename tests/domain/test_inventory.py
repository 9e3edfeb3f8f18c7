from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.inventory import (
    CountChanges,
    Movement,
    MovementReason,
    StockLevel,
    item_figures,
    kit_availability,
    kit_figures,
    rebuild_levels,
)


def test_available_subtracts_allocated_reserved_and_safety_stock() -> None:
    level = StockLevel(1, 1, on_hand=10, allocated=3, reserved=2, safety_stock=1)

    assert level.available == 4


def test_available_is_never_negative() -> None:
    assert StockLevel(1, 1, on_hand=1, allocated=1, safety_stock=5).available == 0


def test_a_bypass_shortfall_shows_as_negative_available_and_nothing_promisable() -> None:
    level = StockLevel(1, 1, on_hand=1, allocated=4, reserved=2, safety_stock=1, bypassed=3)

    assert (level.available, level.promisable) == (-3, 0)


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_without_a_shortfall_available_is_never_negative(
    on_hand: int, allocated: int, reserved: int, safety: int
) -> None:
    level = StockLevel(1, 1, on_hand, min(allocated, on_hand), reserved, safety)

    assert level.available == max(0, on_hand - min(allocated, on_hand) - reserved - safety)


def test_a_total_and_a_kit_count_a_locations_shortfall_as_zero() -> None:
    short = StockLevel(1, 7, on_hand=0, allocated=2, bypassed=2)
    stocked = StockLevel(2, 7, on_hand=5)

    per_location, total = item_figures([short, stocked])
    kits, kit_total = kit_figures({7: 1}, [short, stocked])

    assert (per_location[1].available, per_location[2].available, total.available) == (-2, 5, 5)
    assert (kits[1].available, kits[2].available, kit_total.available) == (0, 5, 5)


def test_a_kit_is_limited_by_its_scarcest_component() -> None:
    assert kit_availability({1: 1, 2: 2}, {1: 10, 2: 7}) == 3


def test_a_kit_without_components_has_nothing_available() -> None:
    assert kit_availability({}, {}) == 0


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(-5, 5), st.integers(-5, 5))))
def test_rebuilding_sums_deltas_per_level(moves: list[tuple[int, int, int]]) -> None:
    movements = [
        Movement(loc, 1, MovementReason.on_hand_set, on_hand_delta=oh, allocated_delta=al)
        for loc, oh, al in moves
    ]

    levels = rebuild_levels(movements)

    for loc in {m[0] for m in moves}:
        assert levels[(loc, 1)] == (
            sum(oh for l_, oh, _ in moves if l_ == loc),
            sum(al for l_, _, al in moves if l_ == loc),
        )


def test_movements_sum_to_count_changes() -> None:
    moved = [
        Movement(1, 10, MovementReason.on_hand_set, on_hand_delta=3),
        Movement(1, 11, MovementReason.on_hand_set, on_hand_delta=-2),
    ]

    assert CountChanges.of(moved) == CountChanges(2, frozenset({10}))
    assert CountChanges.of(moved) + CountChanges(1, frozenset({12})) == CountChanges(
        3, frozenset({10, 12})
    )
