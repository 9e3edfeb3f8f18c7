"""Catalog views for reads and lists: products, aliases and synsets (kits)."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, case, or_, select, true

from orderyard.domain.catalog import Alias, Item, KitComponent
from orderyard.domain.values import Page, PageRequest, parse_id
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.catalog import alias_from_row, item_from_row, load_components
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import (
    aliases,
    channels,
    items,
    locations,
    package_types,
    suppliers,
)


class ItemKey(StrEnum):
    """How a product identifier is read."""

    sku = "sku"
    """Only as a SKU."""
    id = "id"
    """Only as a product id."""
    sku_then_id = "sku_then_id"
    """As a SKU; failing that, as a product id when it is all digits."""


class ItemSort(StrEnum):
    """The orders a product list can come in; each has an index leading with account_id."""

    id = "id"
    sku = "sku"
    created_at = "created_at"
    updated_at = "updated_at"


SORT_COLUMNS = {
    ItemSort.id: items.c.id,
    ItemSort.sku: items.c.sku,
    ItemSort.created_at: items.c.created_at,
    ItemSort.updated_at: items.c.updated_at,
}


@dataclass(frozen=True, slots=True)
class ItemView:
    """A product with the names of what it refers to (empty when not set)."""

    item: Item
    supplier: str
    location_code: str
    package_type: str


@dataclass(frozen=True, slots=True)
class AliasView:
    """An alias with the code of its location (empty when not set)."""

    alias: Alias
    location_code: str


@dataclass(frozen=True, slots=True)
class AliasFilter:
    """Which aliases a list returns. Each field maps to an index leading with account_id."""

    channel_id: int | None = None
    location_id: int | None = None


@dataclass(frozen=True, slots=True)
class KitView:
    """A synset: its kit item and its components with their quantities."""

    item: Item
    components: tuple[KitComponent, ...]


class CatalogQueries(TenantScoped):
    """Read-only access to the account's catalog."""

    def _items(self) -> Select[Any]:
        return (
            select(
                items,
                suppliers.c.name.label("supplier_name"),
                locations.c.code.label("location_code"),
                package_types.c.name.label("package_type_name"),
            )
            .outerjoin(
                suppliers, same_account(suppliers, items) & (suppliers.c.id == items.c.supplier_id)
            )
            .outerjoin(
                locations, same_account(locations, items) & (locations.c.id == items.c.location_id)
            )
            .outerjoin(
                package_types,
                same_account(package_types, items)
                & (package_types.c.id == items.c.package_type_id),
            )
            .where(items.c.account_id == self.account_id)
        )

    @staticmethod
    def _item_view(row: Any) -> ItemView:
        m = row._mapping
        return ItemView(
            item=item_from_row(row),
            supplier=m["supplier_name"] or "",
            location_code=m["location_code"] or "",
            package_type=m["package_type_name"] or "",
        )

    async def item(self, identifier: str, *, key: ItemKey = ItemKey.sku_then_id) -> ItemView | None:
        """The product ``identifier`` names, read as ``key`` says; one statement."""
        as_id = parse_id(identifier) if key is not ItemKey.sku else None
        if key is ItemKey.id and as_id is None:
            return None
        matches: list[ColumnElement[bool]] = []
        if key is not ItemKey.id:
            matches.append(items.c.sku == identifier)
        if as_id is not None:
            matches.append(items.c.id == as_id)
        sku_first = case((items.c.sku == identifier, 0), else_=1)
        statement = self._items().where(or_(*matches)).order_by(sku_first).limit(1)
        row = (await self.conn.execute(statement)).one_or_none()
        return None if row is None else self._item_view(row)

    async def items_page(
        self, page: PageRequest, *, sort: ItemSort = ItemSort.id, descending: bool = True
    ) -> Page[ItemView]:
        """A page of products in the given order (ties broken by id)."""
        column = SORT_COLUMNS[sort]
        keys = [column] if sort in (ItemSort.id, ItemSort.sku) else [column, items.c.id]
        order = [key.desc() if descending else key.asc() for key in keys]
        statement = self._items().order_by(*order).limit(page.per_page).offset(page.offset)
        rows = (await self.conn.execute(statement)).all()
        counted = select(items.c.id).where(items.c.account_id == self.account_id)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page([self._item_view(row) for row in rows], total, page, count_is_exact=exact)

    def _aliases(self) -> Select[Any]:
        return (
            select(aliases, items.c.sku, locations.c.code.label("location_code"))
            .join(items, same_account(items, aliases) & (items.c.id == aliases.c.item_id))
            .outerjoin(
                locations,
                same_account(locations, aliases) & (locations.c.id == aliases.c.location_id),
            )
            .where(aliases.c.account_id == self.account_id)
        )

    @staticmethod
    def _alias_view(row: Any) -> AliasView:
        return AliasView(alias_from_row(row), row._mapping["location_code"] or "")

    async def alias(self, alias: str) -> AliasView | None:
        """The alias with this exact name, or None."""
        row = (
            await self.conn.execute(self._aliases().where(aliases.c.alias == alias))
        ).one_or_none()
        return None if row is None else self._alias_view(row)

    async def aliases_page(self, where: AliasFilter, page: PageRequest) -> Page[AliasView]:
        """A page of aliases matching ``where``, oldest first."""
        conditions: list[ColumnElement[bool]] = []
        if where.channel_id is not None:
            conditions.append(aliases.c.channel_id == where.channel_id)
        if where.location_id is not None:
            conditions.append(aliases.c.location_id == where.location_id)
        counted = select(aliases.c.id).where(aliases.c.account_id == self.account_id, *conditions)
        # Page the ids on the filter's index first, so the joins touch only this page's rows.
        ids = counted.order_by(aliases.c.id).limit(page.per_page).offset(page.offset).subquery()
        statement = self._aliases().join(ids, ids.c.id == aliases.c.id).order_by(aliases.c.id)
        rows = (await self.conn.execute(statement)).all()
        total, exact = await bounded_count(self.conn, counted, page)
        return Page([self._alias_view(row) for row in rows], total, page, count_is_exact=exact)

    async def kit(self, sku: str) -> KitView | None:
        """The synset (kit item) with this SKU and its components, or None."""
        statement = select(items).where(
            items.c.account_id == self.account_id, items.c.sku == sku, items.c.is_kit == true()
        )
        row = (await self.conn.execute(statement)).one_or_none()
        if row is None:
            return None
        kit = item_from_row(row)
        return KitView(
            kit,
            tuple((await load_components(self.conn, self.account_id, [kit.id])).get(kit.id, ())),
        )

    async def kits_page(self, page: PageRequest) -> Page[KitView]:
        """A page of synsets, oldest first, with their components (on ``ix_items_kits``)."""
        counted = select(items.c.id).where(
            items.c.account_id == self.account_id, items.c.is_kit == true()
        )
        statement = (
            select(items)
            .where(items.c.account_id == self.account_id, items.c.is_kit == true())
            .order_by(items.c.id)
            .limit(page.per_page)
            .offset(page.offset)
        )
        kits = [item_from_row(row) for row in await self.conn.execute(statement)]
        ids = [kit.id for kit in kits]
        components = await load_components(self.conn, self.account_id, ids) if kits else {}
        total, exact = await bounded_count(self.conn, counted, page)
        views = [KitView(kit, tuple(components.get(kit.id, ()))) for kit in kits]
        return Page(views, total, page, count_is_exact=exact)

    async def channel_exists(self, channel_id: int) -> bool:
        """Whether the account has registered this channel id."""
        found = await self.conn.execute(
            select(channels.c.id).where(
                channels.c.account_id == self.account_id, channels.c.id == channel_id
            )
        )
        return found.scalar_one_or_none() is not None
