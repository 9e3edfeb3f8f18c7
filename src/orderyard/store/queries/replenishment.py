"""Replenishment views for reads and lists."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, select

from orderyard.domain.replenishment import ReplenishmentStatus
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import locations, replenishment_lines, replenishments


@dataclass(frozen=True, slots=True)
class ReplenishmentLineView:
    """One expected SKU as clients see it."""

    sku: str
    quantity: int
    received: int


@dataclass(frozen=True, slots=True)
class ReplenishmentView:
    """A replenishment as clients see it."""

    id: int
    location_code: str
    status: ReplenishmentStatus
    eta: date | None
    reference: str
    created_at: datetime
    updated_at: datetime
    lines: tuple[ReplenishmentLineView, ...] = ()


def _view(row: Row[Any], lines: Sequence[ReplenishmentLineView]) -> ReplenishmentView:
    m = row._mapping
    return ReplenishmentView(
        id=m["id"],
        location_code=m["location_code"],
        status=ReplenishmentStatus(m["status"]),
        eta=m["eta"],
        reference=m["reference"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        lines=tuple(lines),
    )


class ReplenishmentQueries(TenantScoped):
    """Read-only access to the account's replenishments."""

    def _base(self) -> Select[Any]:
        return (
            select(replenishments, locations.c.code.label("location_code"))
            .join(
                locations,
                same_account(locations, replenishments)
                & (locations.c.id == replenishments.c.location_id),
            )
            .where(replenishments.c.account_id == self.account_id)
        )

    async def get(self, replenishment_id: int) -> ReplenishmentView | None:
        """The replenishment with this id, or None."""
        statement = self._base().where(replenishments.c.id == replenishment_id)
        row = (await self.conn.execute(statement)).one_or_none()
        if row is None:
            return None
        lines = await self._lines([row.id])
        return _view(row, lines.get(row.id, []))

    async def page(self, page: PageRequest) -> Page[ReplenishmentView]:
        """A page of replenishments, newest first, with their lines."""
        statement = self._base().order_by(replenishments.c.id.desc())
        rows = (await self.conn.execute(statement.limit(page.per_page).offset(page.offset))).all()
        counted = select(replenishments.c.id).where(replenishments.c.account_id == self.account_id)
        total, exact = await bounded_count(self.conn, counted, page)
        lines = await self._lines([row.id for row in rows]) if rows else {}
        views = [_view(row, lines.get(row.id, [])) for row in rows]
        return Page(views, total, page, count_is_exact=exact)

    async def _lines(self, ids: Sequence[int]) -> dict[int, list[ReplenishmentLineView]]:
        rows = await self.conn.execute(
            select(replenishment_lines)
            .where(
                replenishment_lines.c.account_id == self.account_id,
                replenishment_lines.c.replenishment_id.in_(ids),
            )
            .order_by(replenishment_lines.c.replenishment_id, replenishment_lines.c.id)
        )
        result: dict[int, list[ReplenishmentLineView]] = {}
        for r in rows:
            result.setdefault(r.replenishment_id, []).append(
                ReplenishmentLineView(r.sku, r.quantity, r.received)
            )
        return result
