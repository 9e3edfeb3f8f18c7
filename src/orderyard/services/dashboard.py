"""The dashboard: an account's orders, shipping, fill rate, backorders and stock value.

One read of six statements whatever the account holds (docs/console-figures.md defines each
figure). A new account gets its window of zeros, no fill rate, no backorders and its
locations valued at 0.
"""

from datetime import date

from orderyard.domain.dashboard import (
    Backorders,
    Dashboard,
    DateWindow,
    FillRate,
    LocationValue,
    per_day,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.kit.clock import utcnow
from orderyard.store.uow import ReadUnitOfWork

TOP_BACKORDERED = 10
"""How many SKUs the dashboard lists by units backordered."""


async def dashboard(
    uow: ReadUnitOfWork,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    top: int = TOP_BACKORDERED,
) -> Dashboard:
    """The dashboard's figures over the UTC days from ``first_day`` to ``last_day``.

    Without days, the window is the last 30 UTC days, today included. The series and the
    fill rate belong to the window; backorders and stock value are as they stand now.

    The fill rate is the unit fill rate of the window's orders (``domain.dashboard.FillRate``):
    of the units of the orders created in the window that are still wanted (allocated,
    shipped or backordered; cancelled ones are not, nor the units of a held order), the
    share that stock has met (allocated or shipped).

    Raises:
        InvalidRequestError: the first day is after the last, the window is longer than a
            year (366 days), or ``top`` is not between 1 and 100.
    """
    window = DateWindow.of(first_day, last_day, today=utcnow().date())
    if not 1 <= top <= 100:
        raise InvalidRequestError("top must be between 1 and 100", field="top")
    async with uow.tolerating_lag() as uow:
        placed = await uow.dashboard.orders_per_day(window.start, window.end)
        shipped = await uow.dashboard.units_shipped_per_day(window.start, window.end)
        filled, backordered = await uow.dashboard.fill_units(window.start, window.end)
        lines, units = await uow.dashboard.backorder_totals()
        most = await uow.dashboard.most_backordered(top)
        values = await uow.dashboard.stock_value()
    return Dashboard(
        window,
        per_day(window, placed),
        per_day(window, shipped),
        FillRate(filled, filled + backordered),
        Backorders(lines, units, tuple(most)),
        tuple(
            LocationValue(v.location_id, v.code, v.name, v.units, v.at_cost, v.at_retail)
            for v in values
        ),
    )
