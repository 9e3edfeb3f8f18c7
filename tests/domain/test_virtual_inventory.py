"""A pool's calculation and its combined availability, without a database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.inventory import StockLevel
from orderyard.domain.virtual_inventory import (
    Calculation,
    check_calculation,
    check_members,
    combined_available,
)

availables = st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=50)
percentages = st.integers(min_value=0, max_value=100)
buffers = st.integers(min_value=0, max_value=10**7)


def pool_figure(per_location: list[int], calculation: Calculation) -> int:
    """The pool's figure over locations 1..n holding ``per_location`` available units."""
    levels = [StockLevel(n, 7, on_hand=units) for n, units in enumerate(per_location, 1)]
    return calculation.apply(combined_available(levels, range(1, len(per_location) + 1), None))


@given(availables, percentages, buffers)
def test_a_pool_never_shows_less_than_zero(
    per_location: list[int], percentage: int, buffer: int
) -> None:
    assert pool_figure(per_location, Calculation(percentage, buffer)) >= 0


@given(availables, percentages, buffers, st.data())
def test_more_at_any_location_never_lowers_the_pool(
    per_location: list[int], percentage: int, buffer: int, data: st.DataObject
) -> None:
    where = data.draw(st.integers(min_value=0, max_value=len(per_location) - 1))
    more = list(per_location)
    more[where] += data.draw(st.integers(min_value=1, max_value=10**6))
    calculation = Calculation(percentage, buffer)

    assert pool_figure(more, calculation) >= pool_figure(per_location, calculation)


@given(availables)
def test_the_whole_sum_without_buffer_is_the_plain_sum(per_location: list[int]) -> None:
    assert pool_figure(per_location, Calculation()) == sum(per_location)


def test_the_percentage_rounds_down_before_the_buffer() -> None:
    assert Calculation(percentage=33, buffer=2).apply(10) == 1
    assert Calculation(percentage=50, buffer=0).apply(7) == 3
    assert Calculation(percentage=0, buffer=0).apply(1000) == 0
    assert Calculation(percentage=100, buffer=12).apply(10) == 0


def test_levels_elsewhere_and_shortfalls_do_not_count() -> None:
    levels = [
        StockLevel(1, 7, on_hand=5, allocated=1),
        StockLevel(2, 7, on_hand=2, allocated=2, safety_stock=3),
        StockLevel(3, 7, on_hand=100),
    ]

    assert combined_available(levels, {1, 2}, None) == 4


def test_a_kit_combines_what_its_parts_allow_over_the_pools_locations() -> None:
    levels = [
        StockLevel(1, 10, on_hand=3),
        StockLevel(2, 10, on_hand=3),
        StockLevel(1, 11, on_hand=1),
        StockLevel(3, 11, on_hand=50),
    ]

    assert combined_available(levels, {1, 2}, {10: 2, 11: 1}) == 1
    assert combined_available(levels, {1, 2, 3}, {10: 2, 11: 1}) == 3


@pytest.mark.parametrize(
    ("calculation", "field"),
    [(Calculation(101, 0), "percentage"), (Calculation(-1, 0), "percentage"),
     (Calculation(100, -1), "buffer"), (Calculation(100, 2**31), "buffer")],
)  # fmt: skip
def test_a_calculation_out_of_range_is_refused_naming_its_field(
    calculation: Calculation, field: str
) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        check_calculation(calculation)

    assert refused.value.field == field


def test_members_are_trimmed_and_a_repeat_is_refused_at_its_place() -> None:
    assert check_members([" WH1", "WH2 "], field="codes", what="location", most=3) == [
        "WH1",
        "WH2",
    ]
    with pytest.raises(InvalidRequestError) as repeated:
        check_members(["WH1", "WH2", "WH1"], field="codes", what="location", most=3)
    with pytest.raises(InvalidRequestError) as too_many:
        check_members(["A", "B", "C", "D"], field="codes", what="location", most=3)

    assert (repeated.value.field, repeated.value.message) == (
        "codes[2]",
        "location 'WH1' is already named at [0]",
    )
    assert too_many.value.message == "codes must name 1 to 3 locations (got 4)"
