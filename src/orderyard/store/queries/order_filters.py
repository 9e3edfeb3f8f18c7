"""Which orders a list finds: its filter, and the conditions each field becomes.

Every condition is a range of an index leading with ``account_id`` (docs/console.md, "The
orders list"), so a filtered page and its count read the matching orders, not the account's.
The ShipEdge and OrderDynamics lists and the console's all page with ``OrderQueries.page``
(``order.py``) and so with these conditions.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, select

from orderyard.domain.customer import CustomerLink
from orderyard.domain.order import HoldState, OrderStatus
from orderyard.store.customer_link import linked_orders
from orderyard.store.tables import allocations, channels, order_lines, orders


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders a list returns. Every field maps to an index leading with account_id."""

    statuses: frozenset[OrderStatus] | None = None
    hold: HoldState | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    order_type: int | None = None
    location_id: int | None = None
    channel_id: int | None = None
    channel_name: str | None = None
    updated_after: datetime | None = None
    """Changed after (exclusive), with ``updated_before``: a range of (account_id, updated_at)."""
    updated_before: datetime | None = None
    ordered_from: datetime | None = None
    ordered_to: datetime | None = None
    customer_external_id: str | None = None
    customer_email: str | None = None
    sku: str | None = None
    """Orders with a line of this SKU: a range of (account_id, sku, order_id) on the lines."""
    order_number_prefix: str | None = None
    reference: str | None = None
    """Orders with this reference exactly: a range of (account_id, reference)."""
    order_id: int | None = None
    linked_to: CustomerLink | None = None
    """A customer's orders by the link rule (``store/customer_link.py``): two index ranges."""


SORT_COLUMNS = {
    "id": orders.c.id,
    "order_number": orders.c.order_number,
    "created_at": orders.c.created_at,
    "updated_at": orders.c.updated_at,
    "ordered_at": orders.c.ordered_at,
}
"""Sorts a list may ask for; each is the second column of an (account_id, column, id) index."""


def conditions(where: OrderFilter, account_id: int, dialect: str) -> list[ColumnElement[bool]]:
    """The conditions of ``where`` on ``orders`` (the account's own condition apart).

    ``dialect`` is the database's (``postgresql``, ``sqlite``): an order-number prefix is a
    range of different operators on each (``_prefix_conditions``).
    """
    return (
        _state_conditions(where, account_id)
        + _detail_conditions(where)
        + _key_conditions(where, account_id, dialect)
    )


def count_along(
    where: OrderFilter, keys: Sequence[ColumnElement[Any]]
) -> tuple[ColumnElement[Any], ...]:
    """The columns a page's bounded count reads along: the sort's ``keys``, none for a prefix.

    A count ordered along the sort's index walks that index to find the matches; matches
    found by an index of their own would have to be sorted to be counted in that order. An
    order-number prefix is such a range (``ix_orders_order_number_prefix``): its count reads
    the range as it comes, with no sort, and stops at the bound (at 1,000,000 orders, a prefix
    matching 11,111 was counted by reading and sorting 10,051 of them: bench/README.md,
    "Console orders list").
    """
    if where.order_number_prefix:
        return ()
    return tuple(keys)


def _state_conditions(where: OrderFilter, account_id: int) -> list[ColumnElement[bool]]:
    """Conditions on the order's state, dates, channel and where its units are allocated."""
    found: list[ColumnElement[bool]] = []
    if where.hold is not None:
        found.append(orders.c.hold == where.hold.value)
    if where.statuses is not None:
        found.append(orders.c.status.in_(sorted(s.value for s in where.statuses)))
    if where.created_from is not None:
        found.append(orders.c.created_at >= where.created_from)
    if where.created_to is not None:
        found.append(orders.c.created_at < where.created_to)
    if where.order_type is not None:
        found.append(orders.c.order_type == where.order_type)
    if where.channel_id is not None:
        found.append(orders.c.channel_id == where.channel_id)
    if where.channel_name is not None:
        found.append(
            orders.c.channel_id.in_(
                select(channels.c.id).where(
                    channels.c.account_id == account_id,
                    channels.c.name == where.channel_name,
                )
            )
        )
    if where.location_id is not None:
        found.append(
            exists().where(
                allocations.c.account_id == account_id,
                allocations.c.location_id == where.location_id,
                allocations.c.order_id == orders.c.id,
            )
        )
    if where.linked_to is not None:
        found.append(linked_orders(where.linked_to))
    return found


def _detail_conditions(where: OrderFilter) -> list[ColumnElement[bool]]:
    """The conditions of OrderDynamics' lists: each an index range leading with account."""
    found: list[ColumnElement[bool]] = []
    if where.updated_after is not None:
        found.append(orders.c.updated_at > where.updated_after)
    if where.updated_before is not None:
        found.append(orders.c.updated_at < where.updated_before)
    if where.ordered_from is not None:
        found.append(orders.c.ordered_at >= where.ordered_from)
    if where.ordered_to is not None:
        found.append(orders.c.ordered_at < where.ordered_to)
    if where.customer_external_id is not None:
        found.append(orders.c.customer_external_id == where.customer_external_id)
    if where.customer_email is not None:
        found.append(orders.c.customer_email == where.customer_email)
    return found


def _key_conditions(where: OrderFilter, account_id: int, dialect: str) -> list[ColumnElement[bool]]:
    """Conditions on the order's own keys and its lines' SKUs (searches)."""
    found: list[ColumnElement[bool]] = []
    if where.order_number_prefix is not None:
        found += _prefix_conditions(where.order_number_prefix, dialect)
    if where.reference is not None:
        found.append(orders.c.reference == where.reference)
    if where.order_id is not None:
        found.append(orders.c.id == where.order_id)
    if where.sku is not None:
        found.append(
            orders.c.id.in_(
                select(order_lines.c.order_id).where(
                    order_lines.c.account_id == account_id,
                    order_lines.c.sku == where.sku,
                )
            )
        )
    return found


def _prefix_conditions(prefix: str, dialect: str) -> list[ColumnElement[bool]]:
    """Order numbers starting with ``prefix``: ``LIKE``, and the same as a range of bytes.

    ``LIKE`` decides; the range is what an index answers, even in a generic plan, where a
    ``LIKE`` on a parameter has no prefix the planner can see (after five executions of the
    prepared statement a search read the table: bench/README.md, "Console orders list"). On
    PostgreSQL the range is of ``varchar_pattern_ops``' operators (``~>=~``, ``~<~``), byte by
    byte whatever the collation, which ``ix_orders_order_number_prefix`` answers; ``>=`` and
    ``<`` on the column would follow the database's collation, under which the numbers
    starting with a prefix need not be one range (Czech sorts ``ch`` after ``h``). On SQLite
    the column's collation is BINARY, byte by byte, so the plain operators are that range,
    and they keep SQLite's ``LIKE``, which ignores the case of ASCII letters, to the case.
    """
    found = [orders.c.order_number.startswith(prefix, autoescape=True)]
    if not prefix:
        return found
    at_least, below = ("~>=~", "~<~") if dialect == "postgresql" else (">=", "<")
    found.append(orders.c.order_number.op(at_least, is_comparison=True)(prefix))
    after = _after_prefix(prefix)
    if after is not None:
        found.append(orders.c.order_number.op(below, is_comparison=True)(after))
    return found


def _after_prefix(prefix: str) -> str | None:
    """The least string above every string starting with ``prefix``, compared byte by byte.

    UTF-8 orders as code points, so the last character's successor bounds the prefix (past
    the surrogates, which no text holds); the last code point has none: None.
    """
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:
        last = 0xE000
    return None if last > 0x10FFFF else prefix[:-1] + chr(last)
