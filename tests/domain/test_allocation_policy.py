from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.allocation.policy import (
    AllocationStrategy,
    Candidate,
    plan,
    plan_line,
    reach,
)
from orderyard.domain.inventory import StockLevel


def candidate(location: int, available: int, priority: int, item: int = 1) -> Candidate:
    return Candidate(StockLevel(location, item, on_hand=available), priority)


def test_by_priority_takes_the_lowest_priority_number_first() -> None:
    takes = plan_line(
        0,
        5,
        [candidate(1, 10, priority=2), candidate(2, 3, priority=1)],
        AllocationStrategy.by_priority,
    )

    assert [(t.location_id, t.quantity) for t in takes] == [(2, 3), (1, 2)]


def test_single_location_never_splits() -> None:
    takes = plan_line(
        0,
        5,
        [candidate(1, 4, priority=1), candidate(2, 4, priority=2)],
        AllocationStrategy.single_location,
    )

    assert takes == []


def test_single_location_picks_the_best_location_that_can_fill_the_line() -> None:
    takes = plan_line(
        0,
        5,
        [candidate(1, 4, priority=1), candidate(2, 9, priority=3), candidate(3, 5, 2)],
        AllocationStrategy.single_location,
    )

    assert [(t.location_id, t.quantity) for t in takes] == [(3, 5)]


def test_most_stock_prefers_the_fullest_location() -> None:
    takes = plan_line(
        0,
        2,
        [candidate(1, 4, priority=1), candidate(2, 9, priority=2)],
        AllocationStrategy.most_stock,
    )

    assert [(t.location_id, t.quantity) for t in takes] == [(2, 2)]


def test_later_demands_do_not_see_stock_earlier_ones_took() -> None:
    candidates = {1: [candidate(1, 3, priority=1)]}

    takes = plan([(1, 2), (1, 2)], candidates, AllocationStrategy.by_priority)

    assert [(t.demand_index, t.quantity) for t in takes] == [(0, 2), (1, 1)]


levels = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 20), st.integers(1, 9)),
    max_size=12,
    unique_by=lambda t: (t[0], t[1]),
)
demands = st.lists(st.tuples(st.integers(1, 3), st.integers(1, 15)), max_size=8)


@given(levels=levels, demands=demands, strategy=st.sampled_from(AllocationStrategy))
def test_a_plan_never_takes_more_than_is_available_or_wanted(
    levels: list[tuple[int, int, int, int]],
    demands: list[tuple[int, int]],
    strategy: AllocationStrategy,
) -> None:
    candidates: dict[int, list[Candidate]] = defaultdict(list)
    for location, item, available, priority in levels:
        candidates[item].append(candidate(location, available, priority, item))

    takes = plan(demands, candidates, strategy)

    taken_per_level: dict[tuple[int, int], int] = defaultdict(int)
    taken_per_demand: dict[int, int] = defaultdict(int)
    for take in takes:
        assert take.quantity > 0
        assert take.item_id == demands[take.demand_index][0]
        taken_per_level[(take.location_id, take.item_id)] += take.quantity
        taken_per_demand[take.demand_index] += take.quantity
    available = {(loc, item): avail for loc, item, avail, _ in levels}
    assert all(q <= available[key] for key, q in taken_per_level.items())
    assert all(q <= demands[i][1] for i, q in taken_per_demand.items())


def test_by_priority_reaches_as_deep_as_the_largest_demand_per_item() -> None:
    demands = [(1, 2), (2, 5), (1, 4)]

    assert reach(demands, AllocationStrategy.by_priority) == 6


@pytest.mark.parametrize(
    "strategy", [AllocationStrategy.most_stock, AllocationStrategy.single_location]
)
def test_other_strategies_may_use_any_location(strategy: AllocationStrategy) -> None:
    assert reach([(1, 2)], strategy) is None
