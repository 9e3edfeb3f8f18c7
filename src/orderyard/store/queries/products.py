"""Reads of OrderDynamics' catalog: products, items with their product, categories, prices."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, select

from orderyard.domain.catalog import Item, Product
from orderyard.domain.pricing import PriceTerms, SaleWindow, SitePrice
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.catalog import item_from_row
from orderyard.store.repositories.products import product_from_row
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import channels, item_categories, item_prices, items, products


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """An item with the backend name of its product (empty when it belongs to none)."""

    item: Item
    product_backend_name: str


@dataclass(frozen=True, slots=True)
class ItemFilter:
    """Which items a list returns; each maps to an index leading with account_id."""

    product_id: int | None = None
    sku: str | None = None


@dataclass(frozen=True, slots=True)
class ChangedSku:
    """A SKU and when it last changed."""

    sku: str
    updated_at: datetime


class PriceSort(StrEnum):
    """The orders a SKU's site prices can come in (a SKU has one price per channel)."""

    channel = "channel"
    list_price = "list_price"
    sale_price = "sale_price"
    updated_at = "updated_at"


PRICE_SORTS = {
    PriceSort.channel: channels.c.name,
    PriceSort.list_price: item_prices.c.list_price,
    PriceSort.sale_price: item_prices.c.sale_price,
    PriceSort.updated_at: item_prices.c.updated_at,
}


class ProductQueries(TenantScoped):
    """Read-only access to products, categories and site prices of the account."""

    async def product(self, *, name: str) -> Product | None:
        """The product with this name (exact), or None."""
        row = (
            await self.conn.execute(
                select(products).where(
                    products.c.account_id == self.account_id, products.c.name == name
                )
            )
        ).one_or_none()
        return None if row is None else product_from_row(row)

    async def product_id(self, backend_name: str) -> int | None:
        """The id of the product with this backend name, or None."""
        found = await self.conn.execute(
            select(products.c.id).where(
                products.c.account_id == self.account_id,
                products.c.backend_name == backend_name,
            )
        )
        return found.scalar_one_or_none()

    async def channel_id(self, name: str) -> int | None:
        """The id of the sales channel registered under ``name``, or None."""
        found = await self.conn.execute(
            select(channels.c.id).where(
                channels.c.account_id == self.account_id, channels.c.name == name
            )
        )
        return found.scalar_one_or_none()

    async def products_page(self, page: PageRequest) -> Page[Product]:
        """A page of products, oldest first."""
        mine = select(products).where(products.c.account_id == self.account_id)
        rows = await self.conn.execute(
            mine.order_by(products.c.id).limit(page.per_page).offset(page.offset)
        )
        counted = select(products.c.id).where(products.c.account_id == self.account_id)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page([product_from_row(row) for row in rows], total, page, count_is_exact=exact)

    async def items_page(self, where: ItemFilter, page: PageRequest) -> Page[CatalogItem]:
        """A page of items matching ``where``, oldest first, each with its product's name."""
        conditions: list[ColumnElement[bool]] = [items.c.account_id == self.account_id]
        if where.product_id is not None:
            conditions.append(items.c.product_id == where.product_id)
        if where.sku is not None:
            conditions.append(items.c.sku == where.sku)
        counted = select(items.c.id).where(*conditions)
        ids = counted.order_by(items.c.id).limit(page.per_page).offset(page.offset).subquery()
        statement = (
            select(items, products.c.backend_name.label("product_backend_name"))
            .join(ids, ids.c.id == items.c.id)
            .outerjoin(
                products, same_account(products, items) & (products.c.id == items.c.product_id)
            )
            .where(items.c.account_id == self.account_id)
            .order_by(items.c.id)
        )
        rows = await self.conn.execute(statement)
        found = [
            CatalogItem(item_from_row(row), row._mapping["product_backend_name"] or "")
            for row in rows
        ]
        total, exact = await bounded_count(self.conn, counted, page)
        return Page(found, total, page, count_is_exact=exact)

    async def categories_of(self, item_ids: Sequence[int]) -> dict[int, list[str]]:
        """The categories of each item, by name (items without any are absent)."""
        if not item_ids:
            return {}
        rows = await self.conn.execute(
            select(item_categories.c.item_id, item_categories.c.category)
            .where(
                item_categories.c.account_id == self.account_id,
                item_categories.c.item_id.in_(sorted(set(item_ids))),
            )
            .order_by(item_categories.c.item_id, item_categories.c.category)
        )
        found: dict[int, list[str]] = {}
        for item_id, category in rows:
            found.setdefault(item_id, []).append(category)
        return found

    async def changed_skus(
        self, after: datetime | None, before: datetime | None, page: PageRequest
    ) -> Page[ChangedSku]:
        """SKUs whose item changed strictly between ``after`` and ``before``, oldest change first.

        On ``ix_items_account_id_updated_at_id``: the window is a range of that index.
        """
        conditions: list[ColumnElement[bool]] = [items.c.account_id == self.account_id]
        if after is not None:
            conditions.append(items.c.updated_at > after)
        if before is not None:
            conditions.append(items.c.updated_at < before)
        chosen = select(items.c.sku, items.c.updated_at).where(*conditions)
        rows = await self.conn.execute(
            chosen.order_by(items.c.updated_at, items.c.id).limit(page.per_page).offset(page.offset)
        )
        found = [ChangedSku(sku, updated_at) for sku, updated_at in rows]
        counted = select(items.c.id).where(*conditions)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page(found, total, page, count_is_exact=exact)

    async def prices_page(
        self,
        item: Item,
        page: PageRequest,
        *,
        channel_id: int | None = None,
        sort: PriceSort = PriceSort.channel,
        ascending: bool = True,
    ) -> Page[SitePrice]:
        """A page of the item's site prices (on one channel, or on all), in the given order."""
        conditions: list[ColumnElement[bool]] = [
            item_prices.c.account_id == self.account_id,
            item_prices.c.item_id == item.id,
        ]
        if channel_id is not None:
            conditions.append(item_prices.c.channel_id == channel_id)
        key: Any = PRICE_SORTS[sort]
        order = [key.asc() if ascending else key.desc(), channels.c.name]
        rows = await self.conn.execute(
            select(item_prices, channels.c.name.label("channel_name"))
            .join(
                channels,
                same_account(channels, item_prices) & (channels.c.id == item_prices.c.channel_id),
            )
            .where(*conditions)
            .order_by(*order)
            .limit(page.per_page)
            .offset(page.offset)
        )
        found = [_site_price(row, item) for row in rows]
        counted = select(item_prices.c.channel_id).where(*conditions)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page(found, total, page, count_is_exact=exact)


def _site_price(row: Any, item: Item) -> SitePrice:
    m = row._mapping
    terms = PriceTerms(
        list_price=m["list_price"],
        currency=m["currency"],
        sale_price=m["sale_price"],
        sale=SaleWindow(m["sale_starts_at"], m["sale_ends_at"]),
    )
    return SitePrice(item.id, item.sku, m["channel_name"], terms, m["updated_at"])
