"""Return views for reads and lists, and the filters the lists offer.

Every filter is a range of an index leading with the account: ``(account_id, id)``,
``(account_id, order_id)``, ``(account_id, status, id)``, ``(account_id, created_at)``;
a customer's returns go through the customer's orders (the link rule, ``customer_link.py``).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, select

from orderyard.domain.customer import CustomerLink
from orderyard.domain.returns import ReturnOutcome, ReturnStatus
from orderyard.domain.values import Page, PageRequest
from orderyard.store.customer_link import linked_orders
from orderyard.store.queries.paging import bounded_count
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import locations, orders, return_lines, returns


@dataclass(frozen=True, slots=True)
class ReturnLineView:
    """One returned SKU as clients see it."""

    sku: str
    quantity: int
    reason: str
    good: int
    damaged: int
    id: int = 0
    order_line_id: int = 0


@dataclass(frozen=True, slots=True)
class ReturnView:
    """A return as clients see it."""

    id: int
    order_id: int
    order_number: str
    status: ReturnStatus
    outcome: ReturnOutcome | None
    location_code: str | None
    created_at: datetime
    updated_at: datetime
    lines: tuple[ReturnLineView, ...] = ()
    customer_external_id: str = ""


class ReturnSort(StrEnum):
    """What a list of returns may be sorted by (its column)."""

    id = "id"
    created_at = "created_at"
    order_id = "order_id"


@dataclass(frozen=True, slots=True)
class ReturnFilter:
    """Which returns a list holds; every condition given must hold (None: any)."""

    return_id: int | None = None
    order_id: int | None = None
    order_number: str | None = None
    order_number_prefix: str | None = None
    statuses: frozenset[ReturnStatus] = field(default_factory=frozenset)
    created_after: datetime | None = None
    created_before: datetime | None = None
    customer: CustomerLink | None = None
    customer_external_id: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The conditions beside the account (orders joined)."""
        found: list[ColumnElement[bool]] = []
        if self.return_id is not None:
            found.append(returns.c.id == self.return_id)
        if self.order_id is not None:
            found.append(returns.c.order_id == self.order_id)
        if self.order_number is not None:
            found.append(orders.c.order_number == self.order_number)
        if self.order_number_prefix:
            found.append(
                orders.c.order_number.startswith(self.order_number_prefix, autoescape=True)
            )
        if self.statuses:
            found.append(returns.c.status.in_(sorted(s.value for s in self.statuses)))
        if self.created_after is not None:
            found.append(returns.c.created_at >= self.created_after)
        if self.created_before is not None:
            found.append(returns.c.created_at < self.created_before)
        if self.customer is not None:
            found.append(linked_orders(self.customer))
        if self.customer_external_id is not None:
            found.append(orders.c.customer_external_id == self.customer_external_id)
        return found


SORTS = {
    ReturnSort.id: returns.c.id,
    ReturnSort.created_at: returns.c.created_at,
    ReturnSort.order_id: returns.c.order_id,
}


def _view(row: Row[Any], lines: Sequence[ReturnLineView]) -> ReturnView:
    m = row._mapping
    return ReturnView(
        id=m["id"],
        order_id=m["order_id"],
        order_number=m["order_number"],
        status=ReturnStatus(m["status"]),
        outcome=ReturnOutcome(m["outcome"]) if m["outcome"] else None,
        location_code=m["location_code"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        lines=tuple(lines),
        customer_external_id=m["customer_external_id"],
    )


class ReturnQueries(TenantScoped):
    """Read-only access to the account's returns."""

    def _base(self) -> Select[Any]:
        return (
            select(
                returns,
                orders.c.order_number,
                orders.c.customer_external_id,
                locations.c.code.label("location_code"),
            )
            .join(orders, same_account(orders, returns) & (orders.c.id == returns.c.order_id))
            .outerjoin(
                locations,
                same_account(locations, returns) & (locations.c.id == returns.c.location_id),
            )
            .where(returns.c.account_id == self.account_id)
        )

    async def get(self, return_id: int) -> ReturnView | None:
        """The return with this id, or None."""
        row = (await self.conn.execute(self._base().where(returns.c.id == return_id))).one_or_none()
        if row is None:
            return None
        lines = await self._lines([row.id])
        return _view(row, lines.get(row.id, []))

    async def page(
        self,
        page: PageRequest,
        where: ReturnFilter | None = None,
        *,
        sort: ReturnSort = ReturnSort.id,
        descending: bool = True,
    ) -> Page[ReturnView]:
        """A page of the returns ``where`` holds (all: newest first), with their lines."""
        conditions = (where or ReturnFilter()).conditions()
        column = SORTS[sort]
        order = [column.desc(), returns.c.id.desc()] if descending else [column, returns.c.id]
        statement = self._base().where(*conditions).order_by(*order)
        rows = (await self.conn.execute(statement.limit(page.per_page).offset(page.offset))).all()
        counted = (
            select(returns.c.id)
            .join(orders, same_account(orders, returns) & (orders.c.id == returns.c.order_id))
            .where(returns.c.account_id == self.account_id, *conditions)
        )
        total, exact = await bounded_count(self.conn, counted, page)
        lines = await self._lines([row.id for row in rows]) if rows else {}
        views = [_view(row, lines.get(row.id, [])) for row in rows]
        return Page(views, total, page, count_is_exact=exact)

    async def _lines(self, return_ids: Sequence[int]) -> dict[int, list[ReturnLineView]]:
        rows = await self.conn.execute(
            select(return_lines)
            .where(
                return_lines.c.account_id == self.account_id,
                return_lines.c.return_id.in_(return_ids),
            )
            .order_by(return_lines.c.return_id, return_lines.c.id)
        )
        result: dict[int, list[ReturnLineView]] = {}
        for r in rows:
            result.setdefault(r.return_id, []).append(
                ReturnLineView(
                    r.sku,
                    r.quantity,
                    r.reason,
                    r.received_good,
                    r.received_damaged,
                    id=r.id,
                    order_line_id=r.order_line_id,
                )
            )
        return result
