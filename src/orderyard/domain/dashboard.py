"""The dashboard's figures for one account over a window of UTC days (docs/console-figures.md).

Days are UTC calendar days: a record counts on the day its timestamp falls in UTC. Every day
of the window is present in a series, with 0 when nothing happened, so a chart reads it as is.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from orderyard.domain.errors import InvalidRequestError

DEFAULT_DAYS = 30
"""The window when none is given: the last 30 UTC days, today included."""

MAX_DAYS = 366
"""The longest window: a year of days, each a point of a chart."""

RATE_PLACES = Decimal("0.0001")
"""A rate is given to four places (a percentage to two)."""


@dataclass(frozen=True, slots=True)
class DateWindow:
    """The UTC days from ``first_day`` to ``last_day``, both included."""

    first_day: date
    last_day: date

    @classmethod
    def of(cls, first_day: date | None, last_day: date | None, *, today: date) -> "DateWindow":
        """The window asked for; a missing end is today, a missing start 30 days before its end.

        Raises:
            InvalidRequestError: the first day is after the last, or the window is longer
                than ``MAX_DAYS``.
        """
        last = today if last_day is None else last_day
        first = last - timedelta(days=DEFAULT_DAYS - 1) if first_day is None else first_day
        if first > last:
            raise InvalidRequestError(
                f"the first day {first.isoformat()} is after the last day {last.isoformat()}",
                field="first_day",
            )
        if (last - first).days + 1 > MAX_DAYS:
            raise InvalidRequestError(
                f"a window is at most {MAX_DAYS} days long", field="first_day"
            )
        return cls(first, last)

    @property
    def start(self) -> datetime:
        """The first moment of the window (UTC midnight of its first day)."""
        return datetime.combine(self.first_day, time(), UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the window (UTC midnight after its last day)."""
        return datetime.combine(self.last_day + timedelta(days=1), time(), UTC)

    def days(self) -> list[date]:
        """Every day of the window, in order."""
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]


@dataclass(frozen=True, slots=True)
class DayCount:
    """A figure of one UTC day."""

    day: date
    value: int


def per_day(window: DateWindow, counts: Mapping[date, int]) -> tuple[DayCount, ...]:
    """Every day of the window with its count, 0 for the days that have none."""
    return tuple(DayCount(day, counts.get(day, 0)) for day in window.days())


@dataclass(frozen=True, slots=True)
class FillRate:
    """Unit fill rate: the share of the units still wanted that stock has met.

    Over the order lines of the orders created in the window: ``filled`` is their units
    allocated or shipped, ``wanted`` those plus their units backordered (cancelled units
    are no longer wanted; a held order's units wait for its release, not for stock).
    """

    filled: int
    wanted: int

    @property
    def rate(self) -> Decimal | None:
        """``filled / wanted`` to four places (half to even); None when nothing is wanted."""
        if self.wanted == 0:
            return None
        return (Decimal(self.filled) / Decimal(self.wanted)).quantize(
            RATE_PLACES, rounding=ROUND_HALF_EVEN
        )


@dataclass(frozen=True, slots=True)
class BackorderedSku:
    """A SKU's open backorders: its units waiting for stock, on how many order lines."""

    item_id: int
    sku: str
    units: int
    lines: int


@dataclass(frozen=True, slots=True)
class Backorders:
    """The account's open backorders now, and the SKUs with the most units waiting."""

    lines: int
    units: int
    top: tuple[BackorderedSku, ...]


@dataclass(frozen=True, slots=True)
class LocationValue:
    """The stock on hand at one location, in units and valued at the items' cost and retail.

    The catalog holds a cost and a retail price per item and no currency: both values are in
    the account's catalog currency, whatever its orders are paid in.
    """

    location_id: int
    code: str
    name: str
    units: int
    at_cost: Decimal
    at_retail: Decimal


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Every figure of the dashboard, for one account and one window."""

    window: DateWindow
    orders_per_day: tuple[DayCount, ...]
    units_shipped_per_day: tuple[DayCount, ...]
    fill_rate: FillRate
    backorders: Backorders
    stock_value: tuple[LocationValue, ...]
