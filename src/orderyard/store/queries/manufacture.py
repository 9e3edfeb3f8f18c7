"""Manufacture order views for reads and lists."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select

from orderyard.domain.manufacture import ManufactureStatus
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import items, kit_components, locations, manufacture_orders


@dataclass(frozen=True, slots=True)
class ComponentView:
    """A component of the kit: units per kit and for the whole order."""

    sku: str
    quantity: int
    total_quantity: int


@dataclass(frozen=True, slots=True)
class ManufactureView:
    """A manufacture order as clients see it."""

    id: int
    sku: str
    quantity: int
    location_code: str
    status: ManufactureStatus
    created_at: datetime
    completed_at: datetime | None
    components: tuple[ComponentView, ...] = ()


def _view(row: Row[Any], components: Sequence[tuple[str, int]]) -> ManufactureView:
    m = row._mapping
    return ManufactureView(
        id=m["id"],
        sku=m["sku"],
        quantity=m["quantity"],
        location_code=m["location_code"],
        status=ManufactureStatus(m["status"]),
        created_at=m["created_at"],
        completed_at=m["completed_at"],
        components=tuple(
            ComponentView(sku, per_kit, per_kit * m["quantity"]) for sku, per_kit in components
        ),
    )


class ManufactureQueries(TenantScoped):
    """Read-only access to the account's manufacture orders."""

    def _base(self) -> Select[Any]:
        return (
            select(manufacture_orders, locations.c.code.label("location_code"))
            .join(
                locations,
                same_account(locations, manufacture_orders)
                & (locations.c.id == manufacture_orders.c.location_id),
            )
            .where(manufacture_orders.c.account_id == self.account_id)
        )

    async def get(self, order_id: int) -> ManufactureView | None:
        """The manufacture order with this id, or None."""
        statement = self._base().where(manufacture_orders.c.id == order_id)
        row = (await self.conn.execute(statement)).one_or_none()
        if row is None:
            return None
        recipes = await self._components([row.item_id])
        return _view(row, recipes.get(row.item_id, []))

    async def page(self, page: PageRequest) -> Page[ManufactureView]:
        """A page of manufacture orders, newest first, with the kits' components."""
        statement = self._base().order_by(manufacture_orders.c.id.desc())
        rows = (await self.conn.execute(statement.limit(page.per_page).offset(page.offset))).all()
        counted = select(manufacture_orders.c.id).where(
            manufacture_orders.c.account_id == self.account_id
        )
        total, exact = await bounded_count(self.conn, counted, page)
        recipes = await self._components({row.item_id for row in rows}) if rows else {}
        views = [_view(row, recipes.get(row.item_id, [])) for row in rows]
        return Page(views, total, page, count_is_exact=exact)

    async def _components(
        self, kit_ids: Sequence[int] | set[int]
    ) -> dict[int, list[tuple[str, int]]]:
        rows = await self.conn.execute(
            select(kit_components.c.kit_item_id, items.c.sku, kit_components.c.quantity)
            .join(
                items,
                same_account(items, kit_components)
                & (items.c.id == kit_components.c.component_item_id),
            )
            .where(
                kit_components.c.account_id == self.account_id,
                kit_components.c.kit_item_id.in_(set(kit_ids)),
            )
            .order_by(kit_components.c.kit_item_id, items.c.sku)
        )
        result: dict[int, list[tuple[str, int]]] = {}
        for kit_id, sku, quantity in rows:
            result.setdefault(kit_id, []).append((sku, quantity))
        return result
