from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.inventory import (
    CountChanges,
    Movement,
    MovementReason,
    StockLevel,
    kit_availability,
    rebuild_levels,
)


def test_available_subtracts_allocated_reserved_and_safety_stock() -> None:
    level = StockLevel(1, 1, on_hand=10, allocated=3, reserved=2, safety_stock=1)

    assert level.available == 4


def test_available_is_never_negative() -> None:
    assert StockLevel(1, 1, on_hand=1, allocated=1, safety_stock=5).available == 0


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
