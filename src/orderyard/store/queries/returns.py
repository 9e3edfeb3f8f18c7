"""Return views for reads and lists."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select

from orderyard.domain.returns import ReturnOutcome, ReturnStatus
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.scope import TenantScoped
from orderyard.store.tables import locations, orders, return_lines, returns


@dataclass(frozen=True, slots=True)
class ReturnLineView:
    """One returned SKU as clients see it."""

    sku: str
    quantity: int
    reason: str
    good: int
    damaged: int


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
    )


class ReturnQueries(TenantScoped):
    """Read-only access to the account's returns."""

    def _base(self) -> Select[Any]:
        return (
            select(
                returns,
                orders.c.order_number,
                locations.c.code.label("location_code"),
            )
            .join(orders, orders.c.id == returns.c.order_id)
            .outerjoin(locations, locations.c.id == returns.c.location_id)
            .where(returns.c.account_id == self.account_id)
        )

    async def get(self, return_id: int) -> ReturnView | None:
        """The return with this id, or None."""
        row = (await self.conn.execute(self._base().where(returns.c.id == return_id))).one_or_none()
        if row is None:
            return None
        lines = await self._lines([row.id])
        return _view(row, lines.get(row.id, []))

    async def page(self, page: PageRequest) -> Page[ReturnView]:
        """A page of returns, newest first, with their lines."""
        statement = self._base().order_by(returns.c.id.desc())
        rows = (await self.conn.execute(statement.limit(page.per_page).offset(page.offset))).all()
        counted = select(returns.c.id).where(returns.c.account_id == self.account_id)
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
                ReturnLineView(r.sku, r.quantity, r.reason, r.received_good, r.received_damaged)
            )
        return result
