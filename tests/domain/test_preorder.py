"""Pre-order rules without a database: which wave a line goes to, what a release serves."""

from datetime import UTC, datetime, timedelta

import pytest

from orderyard.domain.errors import ConflictError, InvalidRequestError
from orderyard.domain.preorder import (
    Candidate,
    SequencedLine,
    Wave,
    WaveStatus,
    check_country,
    check_deletable,
    check_future,
    check_planned,
    releasable,
    sequence,
)

DAY = datetime(2026, 12, 20, tzinfo=UTC)


def wave(wave_id: int, planned: int, *, days: int = 0, location: int = 1, **kw: object) -> Wave:
    return Wave(wave_id, 1, location, planned, DAY + timedelta(days=days), **kw)  # type: ignore[arg-type]


def place(position: int, quantity: int) -> SequencedLine:
    return SequencedLine(position, 1, position, position, position, quantity)


def test_a_line_goes_to_the_earliest_open_wave_with_room_for_all_of_it() -> None:
    late, early, closed = (
        wave(1, 5, days=3),
        wave(2, 2, days=1),
        wave(3, 9, status=WaveStatus.released),
    )

    placed = sequence(
        [Candidate(0, 1, 2), Candidate(1, 1, 3), Candidate(2, 1, 1), Candidate(3, 1, 5)],
        [late, early, closed],
    )

    assert placed.waves == {0: 2, 1: 1, 2: 1}
    assert (early.sequenced, late.sequenced, closed.sequenced) == (2, 4, 0)


def test_a_schedules_location_keeps_an_item_to_its_waves() -> None:
    here, there = wave(1, 5, location=1), wave(2, 5, days=2, location=2)

    placed = sequence([Candidate(0, 1, 1)], [here, there], location_of={1: 2})

    assert placed.waves == {0: 2}


def test_a_release_serves_in_position_order_and_stops_at_the_first_line_that_does_not_fit() -> None:
    lines = [place(3, 1), place(1, 2), place(2, 3), place(4, 0)]

    assert [p.position for p in releasable(lines, 4)] == [1]
    assert [p.position for p in releasable(lines, 6)] == [1, 2, 3]
    assert [p.position for p in releasable(lines, None)] == [1, 2, 3]


def test_a_plan_never_drops_below_what_the_wave_holds() -> None:
    held = wave(1, 5, sequenced=2, released=1)

    assert check_planned(3, held) == 3
    with pytest.raises(InvalidRequestError) as below:
        check_planned(2, held)
    assert below.value.field == "planned"
    with pytest.raises(InvalidRequestError):
        check_planned(-1)


def test_dates_countries_and_deletions_are_checked() -> None:
    with pytest.raises(InvalidRequestError) as past:
        check_future(DAY - timedelta(seconds=1), DAY, field="release_at")
    assert past.value.field == "release_at"
    assert check_country(" ca ") == "CA"
    for bad in ("CAN", "C1", "", "ÇA"):
        with pytest.raises(InvalidRequestError):
            check_country(bad)
    with pytest.raises(ConflictError):
        check_deletable(wave(1, 5, released=1))
