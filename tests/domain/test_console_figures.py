"""The console's figures as plain Python: windows of UTC days, fill rate, movement sources."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from orderyard.domain.dashboard import DateWindow, DayCount, FillRate, per_day
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.stock_views import RecordKind, RecordLink, source_of

TODAY = date(2026, 12, 7)


def test_a_window_without_days_is_the_last_thirty_days_today_included() -> None:
    window = DateWindow.of(None, None, today=TODAY)

    assert (window.first_day, window.last_day, len(window.days())) == (
        date(2026, 11, 8),
        TODAY,
        30,
    )
    assert (window.start, window.end) == (
        datetime(2026, 11, 8, tzinfo=UTC),
        datetime(2026, 12, 8, tzinfo=UTC),
    )


def test_a_window_with_only_its_last_day_reaches_thirty_days_back_from_it() -> None:
    window = DateWindow.of(None, date(2026, 1, 30), today=TODAY)

    assert (window.first_day, window.last_day) == (date(2026, 1, 1), date(2026, 1, 30))


def test_a_window_with_only_its_first_day_runs_to_today() -> None:
    assert DateWindow.of(date(2026, 12, 1), None, today=TODAY) == DateWindow(
        date(2026, 12, 1), TODAY
    )


def test_a_first_day_after_today_without_a_last_day_is_refused() -> None:
    with pytest.raises(InvalidRequestError) as refused:
        DateWindow.of(date(2026, 12, 8), None, today=TODAY)
    assert refused.value.field == "first_day"


def test_every_day_of_the_window_has_a_count() -> None:
    window = DateWindow(date(2026, 12, 30), date(2027, 1, 2))

    assert per_day(window, {date(2026, 12, 31): 4, date(2026, 12, 1): 9}) == (
        DayCount(date(2026, 12, 30), 0),
        DayCount(date(2026, 12, 31), 4),
        DayCount(date(2027, 1, 1), 0),
        DayCount(date(2027, 1, 2), 0),
    )


@pytest.mark.parametrize(
    ("filled", "wanted", "rate"),
    [
        (0, 0, None),
        (0, 3, Decimal("0.0000")),
        (3, 3, Decimal("1.0000")),
        (2, 3, Decimal("0.6667")),
        (1, 8, Decimal("0.1250")),
        (1, 80000, Decimal("0.0000")),  # 0.0000125 rounds half to even
    ],
)
def test_the_fill_rate_is_filled_over_wanted_to_four_places(
    filled: int, wanted: int, rate: Decimal | None
) -> None:
    assert FillRate(filled, wanted).rate == rate


@pytest.mark.parametrize(
    ("reference", "link"),
    [
        ("shipment:12", RecordLink(RecordKind.shipment, 12, "12")),
        ("return:3", RecordLink(RecordKind.return_, 3, "3")),
        ("replenishment:7", RecordLink(RecordKind.replenishment, 7, "7")),
        ("manufacture:9", RecordLink(RecordKind.manufacture_order, 9, "9")),
        ("", None),
        ("on-hand feed", None),
        ("bulk job 4", None),
        ("shipment:", None),
        ("shipment:x1", None),
        ("shipment:١٢", None),
        ("order:5", None),
    ],
)
def test_a_movements_reference_names_its_source_record_only_in_the_services_form(
    reference: str, link: RecordLink | None
) -> None:
    assert source_of(reference) == link
