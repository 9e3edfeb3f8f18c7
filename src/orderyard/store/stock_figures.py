"""A stock level's figures in SQL: the one place that writes them for the store.

``available`` is ``on_hand - allocated - reserved - safety_stock`` (DESIGN.md; the domain's
``StockLevel.available`` clamps it at zero). Written here once, as a SQLAlchemy expression
and as SQL text for the statements kept as text (``stock_sets``, ``order_sets``).

A level's ``reserved`` column is the sum of its reservations as of their last change, and
``reserved_expires_at`` the earliest expiry among them (``tables.reservations``). Writes trust
the column: it can only overstate what is held (an expired reservation still counted), so a
conditional take never promises reserved units; a level past its earliest expiry is settled
before stock is taken from it. Reads must not overstate, so ``ACTIVE_RESERVED`` counts only
the reservations still running at ``:now`` for such a level, and the column for every other.
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, func, or_, select

from orderyard.store.tables import reservations, stock_levels
from orderyard.store.types import UTCDateTime


def available_sql(alias: str = "") -> str:
    """The available formula over a level's columns, each prefixed by ``alias`` (``s.``)."""
    return f"{alias}on_hand - {alias}allocated - {alias}reserved - {alias}safety_stock"


AVAILABLE: ColumnElement[int] = (
    stock_levels.c.on_hand
    - stock_levels.c.allocated
    - stock_levels.c.reserved
    - stock_levels.c.safety_stock
)
"""What the level's row says may still be promised (its reserved as of the last change)."""

NOW: Any = bindparam("now", type_=UTCDateTime())
"""The moment a read or a settle is computed at: one value per statement, from the clock."""

_running = (
    select(func.coalesce(func.sum(reservations.c.quantity), 0))
    .where(
        reservations.c.account_id == stock_levels.c.account_id,
        reservations.c.item_id == stock_levels.c.item_id,
        reservations.c.location_id == stock_levels.c.location_id,
        or_(reservations.c.expires_at.is_(None), reservations.c.expires_at > NOW),
    )
    .correlate(stock_levels)
    .scalar_subquery()
)

ACTIVE_RESERVED: ColumnElement[int] = case(
    (stock_levels.c.reserved_expires_at <= NOW, _running), else_=stock_levels.c.reserved
)
"""The units the level's reservations hold at ``:now``: expired ones never count, and a
level none of whose reservations has expired costs no lookup (bind ``now``)."""

EXPIRED = and_(
    stock_levels.c.reserved_expires_at.is_not(None), stock_levels.c.reserved_expires_at <= NOW
)
"""The level counts a reservation that has expired at ``:now``: settle it before taking."""
