"""The dashboard, the console's home: what a merchant reads at a glance.

Orders and units shipped per UTC day over a window (7, 30 or 90 days), the window's fill rate,
the open backorders with the SKUs most waited for, and the stock's value by location: one
read of ``services.dashboard`` (six statements whatever the account holds). The two series
are drawn by uPlot (``static/charts.js``) from the figures the page also lists in tables, so
a screen reader, or a browser without scripts, reads the same numbers.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.forms import whole_number
from orderyard.console.session import SignedDep
from orderyard.console.web import render, status_of
from orderyard.domain.dashboard import Dashboard, DayCount
from orderyard.domain.errors import DomainError, InvalidRequestError
from orderyard.http.deps import read_uow
from orderyard.kit.clock import utcnow
from orderyard.services.dashboard import dashboard

router = APIRouter()
WINDOWS: Final = (7, 30, 90)
"""The windows a merchant chooses from, in days (today, UTC, the last of them)."""
DEFAULT_WINDOW: Final = 30
EPOCH: Final = date(1970, 1, 1)
SECONDS_PER_DAY: Final = 86_400


@dataclass(frozen=True, slots=True)
class Series:
    """A chart's figures: one value per UTC day, with what its text alternative says."""

    id: str
    title: str
    unit: str
    days: tuple[DayCount, ...]

    @property
    def total(self) -> int:
        """The window's sum."""
        return sum(day.value for day in self.days)

    @property
    def peak(self) -> DayCount:
        """The day with the most (the first of them)."""
        return max(self.days, key=lambda day: day.value)

    @property
    def summary(self) -> str:
        """The chart in one sentence, for its ``aria-label``."""
        first, last = self.days[0].day, self.days[-1].day
        said = f"{self.title}, {first.isoformat()} to {last.isoformat()}: {self.total} {self.unit}"
        if self.total:
            said += f"; most on {self.peak.day.isoformat()}, {self.peak.value}"
        return said

    def chart_data(self) -> dict[str, list[int] | str]:
        """What ``charts.js`` draws: each day as seconds since the epoch (UTC), its value."""
        return {
            "label": self.title,
            "x": [(day.day - EPOCH).days * SECONDS_PER_DAY for day in self.days],
            "y": [day.value for day in self.days],
        }


def share(part: Decimal | int, whole: Decimal | int) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when the whole is 0): a bar's length."""
    return 0 if not whole else round(100 * part / whole)


def is_empty(figures: Dashboard) -> bool:
    """Whether the account has nothing to show yet: no orders, shipments, backorders or stock."""
    return not (
        any(day.value for day in figures.orders_per_day)
        or any(day.value for day in figures.units_shipped_per_day)
        or figures.backorders.units
        or any(place.units for place in figures.stock_value)
    )


def window_of(request: Request) -> int:
    """The window asked for (``days``), 30 days by default.

    Raises:
        InvalidRequestError: not one of the windows offered.
    """
    days = whole_number(request.query_params, "days", label="Days") or DEFAULT_WINDOW
    if days not in WINDOWS:
        shown = ", ".join(str(window) for window in WINDOWS)
        raise InvalidRequestError(f"the window is {shown} days, not {days}", field="days")
    return days


@router.get("/")
async def home(request: Request, signed: SignedDep) -> Response:
    """The dashboard: the console's home after sign-in."""
    context: dict[str, object] = {"windows": WINDOWS, "days": DEFAULT_WINDOW}
    try:
        days = context["days"] = window_of(request)
        today = utcnow().date()
        figures = await dashboard(
            read_uow(request, signed.session.account_id),
            first_day=today - timedelta(days=days - 1),
            last_day=today,
        )
    except DomainError as error:
        context["error"] = error.message
        return render(
            request, "dashboard.html", context, signed=signed, status_code=status_of(error)
        )
    context |= figures_context(figures)
    return render(request, "dashboard.html", context, signed=signed)


def figures_context(figures: Dashboard) -> dict[str, object]:
    """What the dashboard's template reads beside the figures: series, bars' scales, totals."""
    values = figures.stock_value
    return {
        "figures": figures,
        "empty": is_empty(figures),
        "series": [
            Series("orders-per-day", "Orders per day", "orders", figures.orders_per_day),
            Series(
                "shipped-per-day", "Units shipped per day", "units", figures.units_shipped_per_day
            ),
        ],
        "share": share,
        "most_backordered": max((sku.units for sku in figures.backorders.top), default=0),
        "most_valued": max((place.at_cost for place in values), default=Decimal(0)),
        "stock_units": sum(place.units for place in values),
        "stock_at_cost": sum((place.at_cost for place in values), Decimal(0)),
        "stock_at_retail": sum((place.at_retail for place in values), Decimal(0)),
    }
