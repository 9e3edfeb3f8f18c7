"""Each allocation strategy as a pure policy: splitting or not, distances, ties, invariants."""

from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.allocation.geo import Coordinates, Point, great_circle_metres
from orderyard.domain.allocation.policy import (
    DESCRIPTIONS,
    AllocationStrategy,
    Candidate,
    Demand,
    Take,
    nearest_first,
    plan,
    plan_line,
    reach,
)
from orderyard.domain.inventory import StockLevel

TORONTO = Coordinates(43.6532, -79.3832)
MONTREAL = Coordinates(45.5017, -73.5673)
NEW_YORK = Coordinates(40.7128, -74.0060)
VANCOUVER = Coordinates(49.2827, -123.1207)
CHICAGO = Coordinates(41.8781, -87.6298)


def candidate(
    location: int, available: int, priority: int, item: int = 1, at: Point = None
) -> Candidate:
    return Candidate(StockLevel(location, item, on_hand=available), priority, at)


def taken(takes: list[Take]) -> list[tuple[int, int]]:
    return [(t.location_id, t.quantity) for t in takes]


class TestByPriority:
    def test_takes_the_lowest_priority_number_first_and_splits(self) -> None:
        takes = plan_line(
            0,
            5,
            [candidate(1, 10, priority=2), candidate(2, 3, priority=1)],
            AllocationStrategy.by_priority,
        )

        assert taken(takes) == [(2, 3), (1, 2)]

    def test_equal_priorities_go_by_location_id(self) -> None:
        takes = plan_line(
            0,
            2,
            [candidate(7, 5, priority=1), candidate(3, 5, priority=1)],
            AllocationStrategy.by_priority,
        )

        assert taken(takes) == [(3, 2)]

    def test_a_shortage_takes_everything_there_is_and_leaves_the_rest(self) -> None:
        takes = plan_line(
            0,
            9,
            [candidate(1, 2, priority=1), candidate(2, 3, priority=2)],
            AllocationStrategy.by_priority,
        )

        assert taken(takes) == [(1, 2), (2, 3)]

    def test_locations_with_nothing_available_are_passed_over(self) -> None:
        takes = plan_line(
            0,
            2,
            [candidate(1, 0, priority=1), candidate(2, 4, priority=2)],
            AllocationStrategy.by_priority,
        )

        assert taken(takes) == [(2, 2)]


class TestSingleLocation:
    def test_never_splits_a_line_that_no_location_can_fill(self) -> None:
        takes = plan_line(
            0,
            5,
            [candidate(1, 4, priority=1), candidate(2, 4, priority=2)],
            AllocationStrategy.single_location,
        )

        assert takes == []

    def test_picks_the_first_location_by_priority_that_can_fill_the_line(self) -> None:
        takes = plan_line(
            0,
            5,
            [candidate(1, 4, priority=1), candidate(2, 9, priority=3), candidate(3, 5, 2)],
            AllocationStrategy.single_location,
        )

        assert taken(takes) == [(3, 5)]

    def test_equal_priorities_go_by_location_id(self) -> None:
        takes = plan_line(
            0,
            3,
            [candidate(8, 3, priority=1), candidate(4, 9, priority=1)],
            AllocationStrategy.single_location,
        )

        assert taken(takes) == [(4, 3)]

    def test_lines_of_one_order_may_each_come_whole_from_different_locations(self) -> None:
        candidates = {1: [candidate(1, 5, priority=1), candidate(2, 4, priority=2)]}

        takes = plan([Demand(1, 3), Demand(1, 4)], candidates, AllocationStrategy.single_location)

        assert [(t.demand_index, t.location_id, t.quantity) for t in takes] == [
            (0, 1, 3),
            (1, 2, 4),
        ]

    def test_a_line_waits_whole_when_what_is_left_nowhere_suffices(self) -> None:
        candidates = {1: [candidate(1, 5, priority=1), candidate(2, 2, priority=2)]}

        takes = plan([Demand(1, 4), Demand(1, 3)], candidates, AllocationStrategy.single_location)

        assert [(t.demand_index, t.location_id, t.quantity) for t in takes] == [(0, 1, 4)]


class TestNearest:
    def test_takes_the_nearest_location_first_whatever_its_priority(self) -> None:
        candidates = [
            candidate(1, 9, priority=1, at=VANCOUVER),
            candidate(2, 9, priority=2, at=NEW_YORK),
            candidate(3, 9, priority=3, at=MONTREAL),
        ]

        takes = plan_line(0, 4, candidates, AllocationStrategy.nearest, destination=TORONTO)

        # Toronto: Montreal 504 km, New York 550 km, Vancouver 3,359 km
        assert taken(takes) == [(3, 4)]

    def test_splits_to_the_next_nearest_when_the_nearest_cannot_fill(self) -> None:
        candidates = [
            candidate(1, 9, priority=1, at=VANCOUVER),
            candidate(2, 9, priority=2, at=NEW_YORK),
            candidate(3, 3, priority=3, at=MONTREAL),
        ]

        takes = plan_line(0, 5, candidates, AllocationStrategy.nearest, destination=TORONTO)

        assert taken(takes) == [(3, 3), (2, 2)]

    def test_the_nearest_for_one_address_is_not_the_nearest_for_another(self) -> None:
        candidates = [candidate(1, 9, 1, at=MONTREAL), candidate(2, 9, 2, at=VANCOUVER)]

        east = plan_line(0, 1, candidates, AllocationStrategy.nearest, destination=NEW_YORK)
        west = plan_line(
            0,
            1,
            candidates,
            AllocationStrategy.nearest,
            destination=Coordinates(47.6062, -122.3321),
        )

        assert (taken(east), taken(west)) == ([(1, 1)], [(2, 1)])

    def test_equal_distances_go_by_priority_then_location_id(self) -> None:
        centre = Coordinates(0, 0)
        candidates = [
            candidate(1, 1, priority=2, at=Coordinates(0, 1)),
            candidate(5, 1, priority=1, at=Coordinates(1, 0)),
            candidate(3, 1, priority=1, at=Coordinates(0, -1)),
            candidate(4, 1, priority=1, at=Coordinates(-1, 0)),
        ]

        takes = plan_line(0, 4, candidates, AllocationStrategy.nearest, destination=centre)

        assert [t.location_id for t in takes] == [3, 4, 5, 1]

    def test_distances_are_compared_in_whole_metres(self) -> None:
        centre, far, near = Coordinates(0, 0), Coordinates(0, 0.0100005), Coordinates(0, 0.01)
        # about 0.06 m apart: the same whole metre (1,112 m), so priority decides
        assert great_circle_metres(far, centre) == great_circle_metres(near, centre) == 1112
        farther = candidate(1, 1, priority=1, at=far)
        nearer = candidate(2, 1, priority=2, at=near)

        takes = plan_line(0, 1, [nearer, farther], AllocationStrategy.nearest, destination=centre)

        assert taken(takes) == [(1, 1)]

    def test_locations_without_coordinates_come_after_located_ones_by_priority(self) -> None:
        candidates = [
            candidate(1, 2, priority=1),
            candidate(2, 2, priority=9, at=VANCOUVER),
            candidate(3, 2, priority=0),
            candidate(4, 2, priority=5, at=MONTREAL),
        ]

        takes = plan_line(0, 8, candidates, AllocationStrategy.nearest, destination=TORONTO)

        assert [t.location_id for t in takes] == [4, 2, 3, 1]

    def test_an_address_without_coordinates_is_allocated_by_priority(self) -> None:
        candidates = [
            candidate(1, 3, priority=3, at=TORONTO),
            candidate(2, 3, priority=1, at=VANCOUVER),
            candidate(3, 3, priority=2),
        ]

        nearest = plan_line(0, 7, candidates, AllocationStrategy.nearest, destination=None)
        by_priority = plan_line(0, 7, candidates, AllocationStrategy.by_priority)

        assert taken(nearest) == taken(by_priority) == [(2, 3), (3, 3), (1, 1)]

    def test_a_nearer_location_with_nothing_available_is_passed_over(self) -> None:
        candidates = [candidate(1, 0, 1, at=MONTREAL), candidate(2, 5, 2, at=CHICAGO)]

        takes = plan_line(0, 2, candidates, AllocationStrategy.nearest, destination=TORONTO)

        assert taken(takes) == [(2, 2)]

    def test_each_demand_ranks_by_its_own_destination(self) -> None:
        candidates = {1: [candidate(1, 5, 1, at=MONTREAL), candidate(2, 5, 2, at=CHICAGO)]}
        demands = [
            Demand(1, 2, Coordinates(45.4215, -75.6972)),
            Demand(1, 2, Coordinates(42.3314, -83.0458)),
        ]

        takes = plan(demands, candidates, AllocationStrategy.nearest)

        # Ottawa is near Montreal; Detroit near Chicago
        assert [(t.demand_index, t.location_id) for t in takes] == [(0, 1), (1, 2)]

    def test_nearest_first_orders_the_located_then_the_rest(self) -> None:
        candidates = [
            candidate(1, 1, 1),
            candidate(2, 1, 2, at=VANCOUVER),
            candidate(3, 1, 3, at=CHICAGO),
        ]

        assert [c.location_id for c in nearest_first(candidates, TORONTO)] == [3, 2, 1]
        assert [c.location_id for c in nearest_first(candidates, None)] == [1, 2, 3]


class TestMostStock:
    def test_prefers_the_fullest_location(self) -> None:
        takes = plan_line(
            0,
            2,
            [candidate(1, 4, priority=1), candidate(2, 9, priority=2)],
            AllocationStrategy.most_stock,
        )

        assert taken(takes) == [(2, 2)]

    def test_splits_to_the_next_fullest_when_the_fullest_cannot_fill(self) -> None:
        takes = plan_line(
            0,
            12,
            [candidate(1, 4, priority=1), candidate(2, 9, priority=2), candidate(3, 6, priority=3)],
            AllocationStrategy.most_stock,
        )

        assert taken(takes) == [(2, 9), (3, 3)]

    def test_equal_stock_goes_by_priority_then_location_id(self) -> None:
        takes = plan_line(
            0,
            3,
            [candidate(6, 5, priority=2), candidate(9, 5, priority=1), candidate(2, 5, priority=2)],
            AllocationStrategy.most_stock,
        )
        again = plan_line(
            0,
            3,
            [candidate(6, 5, priority=2), candidate(2, 5, priority=2)],
            AllocationStrategy.most_stock,
        )

        assert (taken(takes), taken(again)) == ([(9, 3)], [(2, 3)])

    def test_a_later_demand_sees_what_an_earlier_one_left(self) -> None:
        candidates = {1: [candidate(1, 5, priority=1), candidate(2, 4, priority=2)]}

        takes = plan([Demand(1, 3), Demand(1, 3)], candidates, AllocationStrategy.most_stock)

        assert [(t.demand_index, t.location_id, t.quantity) for t in takes] == [
            (0, 1, 3),
            (1, 2, 3),
        ]


def test_later_demands_do_not_see_stock_earlier_ones_took() -> None:
    candidates = {1: [candidate(1, 3, priority=1)]}

    takes = plan([Demand(1, 2), Demand(1, 2)], candidates, AllocationStrategy.by_priority)

    assert [(t.demand_index, t.quantity) for t in takes] == [(0, 2), (1, 1)]


def test_every_strategy_is_described() -> None:
    assert set(DESCRIPTIONS) == set(AllocationStrategy)
    assert all(DESCRIPTIONS.values())


def test_by_priority_reaches_as_deep_as_the_largest_demand_per_item() -> None:
    demands = [Demand(1, 2), Demand(2, 5), Demand(1, 4)]

    assert reach(demands, AllocationStrategy.by_priority) == 6


def test_nearest_without_any_destination_reaches_as_by_priority() -> None:
    demands = [Demand(1, 2), Demand(2, 5), Demand(1, 4)]

    assert reach(demands, AllocationStrategy.nearest) == 6
    assert reach([*demands, Demand(1, 1, TORONTO)], AllocationStrategy.nearest) is None


@pytest.mark.parametrize(
    "strategy", [AllocationStrategy.most_stock, AllocationStrategy.single_location]
)
def test_other_strategies_may_use_any_location(strategy: AllocationStrategy) -> None:
    assert reach([Demand(1, 2, TORONTO)], strategy) is None
    assert reach([Demand(1, 2)], strategy) is None


points = st.one_of(
    st.none(),
    st.builds(
        Coordinates,
        st.integers(-900, 900).map(lambda v: v / 10),
        st.integers(-1800, 1800).map(lambda v: v / 10),
    ),
)
levels = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(0, 20), st.integers(1, 9), points),
    max_size=12,
    unique_by=lambda t: (t[0], t[1]),
)
demands = st.lists(st.builds(Demand, st.integers(1, 3), st.integers(1, 15), points), max_size=8)
Level = tuple[int, int, int, int, Point]


def candidates_of(levels: list[Level]) -> dict[int, list[Candidate]]:
    found: dict[int, list[Candidate]] = defaultdict(list)
    for location, item, available, priority, at in levels:
        found[item].append(candidate(location, available, priority, item, at))
    return found


@given(levels=levels, demands=demands, strategy=st.sampled_from(AllocationStrategy))
def test_a_plan_never_takes_more_than_is_available_or_wanted(
    levels: list[Level], demands: list[Demand], strategy: AllocationStrategy
) -> None:
    takes = plan(demands, candidates_of(levels), strategy)

    taken_per_level: dict[tuple[int, int], int] = defaultdict(int)
    taken_per_demand: dict[int, int] = defaultdict(int)
    for take in takes:
        assert take.quantity > 0
        assert take.item_id == demands[take.demand_index].item_id
        taken_per_level[(take.location_id, take.item_id)] += take.quantity
        taken_per_demand[take.demand_index] += take.quantity
    available = {(loc, item): avail for loc, item, avail, _, _ in levels}
    assert all(q <= available[key] for key, q in taken_per_level.items())
    assert all(q <= demands[i].quantity for i, q in taken_per_demand.items())


@given(levels=levels, demands=demands)
def test_single_location_never_splits_a_line(levels: list[Level], demands: list[Demand]) -> None:
    takes = plan(demands, candidates_of(levels), AllocationStrategy.single_location)

    per_demand: dict[int, list[Take]] = defaultdict(list)
    for take in takes:
        per_demand[take.demand_index].append(take)
    for index, line_takes in per_demand.items():
        assert len(line_takes) == 1
        assert line_takes[0].quantity == demands[index].quantity


@given(levels=levels, demands=demands, strategy=st.sampled_from(AllocationStrategy))
def test_a_splitting_plan_fills_a_line_when_the_stock_left_allows(
    levels: list[Level], demands: list[Demand], strategy: AllocationStrategy
) -> None:
    """Every strategy but single location takes min(wanted, what earlier lines left)."""
    if strategy is AllocationStrategy.single_location:
        return
    left: dict[int, int] = defaultdict(int)
    for _, item, available, _, _ in levels:
        left[item] += available

    takes = plan(demands, candidates_of(levels), strategy)

    for index, demand in enumerate(demands):
        got = sum(t.quantity for t in takes if t.demand_index == index)
        assert got == min(demand.quantity, left[demand.item_id])
        left[demand.item_id] -= got


@given(levels=levels, destination=points)
def test_nearest_ranks_located_locations_by_distance_then_the_rest_by_priority(
    levels: list[Level], destination: Point
) -> None:
    flat = [c for found in candidates_of(levels).values() for c in found]

    ranked = nearest_first(flat, destination)

    assert sorted(map(id, ranked)) == sorted(map(id, flat))
    if destination is None:
        assert [(c.priority, c.location_id) for c in ranked] == sorted(
            (c.priority, c.location_id) for c in flat
        )
        return
    located = [c for c in ranked if c.position is not None]
    assert ranked[: len(located)] == located
    keys = [
        (great_circle_metres(c.position, destination), c.priority, c.location_id)
        for c in located
        if c.position is not None
    ]
    assert keys == sorted(keys)
    rest = [(c.priority, c.location_id) for c in ranked[len(located) :]]
    assert rest == sorted(rest)


@given(levels=levels, demands=demands, strategy=st.sampled_from(AllocationStrategy))
def test_reading_only_as_deep_as_reach_plans_the_same(
    levels: list[Level], demands: list[Demand], strategy: AllocationStrategy
) -> None:
    """What ``StockRepository.candidates(first_by_priority=reach)`` relies on."""
    depth = reach(demands, strategy)
    every = candidates_of(levels)
    shallow: dict[int, list[Candidate]] = {}
    for item, found in every.items():
        before = 0
        for c in sorted(found, key=lambda c: (c.priority, c.location_id)):
            if depth is None or before < depth:
                shallow.setdefault(item, []).append(c)
            before += c.stock.available

    assert plan(demands, shallow, strategy) == plan(demands, every, strategy)
