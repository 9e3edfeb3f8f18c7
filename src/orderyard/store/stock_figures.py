"""A stock level's figures in SQL: the one place that writes them for the store.

``available`` is ``on_hand - allocated - reserved - safety_stock`` (DESIGN.md). Written here
once, as a SQLAlchemy expression and as SQL text for the statements kept as text
(``stock_sets``, ``order_sets``). Takes trust it as it is: it is never positive on a level
with a shortfall (below).

**The shortfall** (``bypassed``): units a pre-order release that bypasses the inventory
requirement allocated beyond on-hand (``services/preorder/release.py``). Only that release
raises it (``RAISED_BYPASSED``): the database check ``allocated <= on_hand + bypassed`` keeps
every other path to ``allocated <= on_hand``. Every other write of ``on_hand`` or
``allocated`` settles it (``settled_bypassed``): it never exceeds what is allocated beyond
on-hand, so a receipt (any rise of on-hand) pays it off first and a released allocation
shrinks it first. While it is positive, ``allocated = on_hand + bypassed`` exactly.

A read shows ``max(0, on_hand + bypassed - allocated - reserved - safety_stock) - bypassed``
(``domain.inventory.StockLevel.available``): never negative for a level without a shortfall,
and exactly ``-bypassed`` for a level with one.

A level's ``reserved`` column is the sum of its reservations as of their last change, and
``reserved_expires_at`` the earliest expiry among them (``tables.reservations``). Writes trust
the column: it can only overstate what is held (an expired reservation still counted), so a
conditional take never promises reserved units; a level past its earliest expiry is settled
before stock is taken from it. Reads must not overstate, so ``ACTIVE_RESERVED`` counts only
the reservations still running at ``:now`` for such a level, and the column for every other.
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, case, func, literal, or_, select

from orderyard.store.tables import reservations, stock_levels
from orderyard.store.types import UTCDateTime


def available_sql(alias: str = "") -> str:
    """The available formula over a level's columns, each prefixed by ``alias`` (``s.``)."""
    return f"{alias}on_hand - {alias}allocated - {alias}reserved - {alias}safety_stock"


def settled_bypassed_sql(allocated: str, on_hand: str, bypassed: str = "bypassed") -> str:
    """The shortfall after a write that leaves ``allocated`` and ``on_hand`` (SQL text).

    Never raised: at most what stays allocated beyond on-hand, at least zero.
    """
    beyond = f"({allocated}) - ({on_hand})"
    return (
        f"CASE WHEN {beyond} <= 0 THEN 0 WHEN {beyond} < {bypassed} THEN {beyond} "
        f"ELSE {bypassed} END"
    )


def settled_bypassed(
    allocated: ColumnElement[int], on_hand: ColumnElement[int]
) -> ColumnElement[int]:
    """``settled_bypassed_sql`` over expressions of the level's values after the write."""
    beyond = allocated - on_hand
    return case(
        (beyond <= 0, literal(0)),
        (beyond < stock_levels.c.bypassed, beyond),
        else_=stock_levels.c.bypassed,
    )


def raised_bypassed(
    allocated: ColumnElement[int], on_hand: ColumnElement[int]
) -> ColumnElement[int]:
    """The shortfall after a bypass release leaves ``allocated``: what is beyond on-hand.

    Only a pre-order release that bypasses the inventory requirement writes this.
    """
    beyond = allocated - on_hand
    return case((beyond > stock_levels.c.bypassed, beyond), else_=stock_levels.c.bypassed)


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
