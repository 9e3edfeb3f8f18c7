"""Items as OrderDynamics' Items API sees them: with their product, categories, attributes.

Creating and changing an item goes through the same catalog path as ShipEdge's products
(``items.resolve_names``, ``add_item``, ``change_item``), so an item made here is a ShipEdge
product and the reverse. Categories and attributes are written in the same transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from orderyard.domain.attribute import (
    Attribute,
    OwnerType,
    StoredAttribute,
    check_name,
    check_value,
)
from orderyard.domain.catalog import Item
from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.services.catalog.items import (
    CreateItem,
    UpdateItem,
    add_item,
    change_item,
    resolve_names,
)
from orderyard.services.catalog.stock import StockView, stock_view
from orderyard.store.queries.products import CatalogItem, ChangedSku, ItemFilter
from orderyard.store.repositories.products import ItemTies
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

CATEGORY_MAX = 200
"""Longest category name (the ``item_categories.category`` column)."""


@dataclass(frozen=True, slots=True)
class ItemParts:
    """Categories and attributes given with an item; None leaves them as they are."""

    categories: tuple[str, ...] | None = None
    attributes: tuple[Attribute, ...] | None = None


@dataclass(frozen=True, slots=True)
class ItemLoads:
    """Which parts a read adds to each item."""

    attributes: bool = False
    categories: bool = False
    inventory: bool = False


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """An item with its product and the parts that were asked for (None: not loaded)."""

    item: Item
    product_backend_name: str
    categories: list[str] | None = None
    attributes: list[StoredAttribute] | None = None
    inventory: StockView | None = None


@dataclass(frozen=True, slots=True)
class ItemQuery:
    """Which items a list returns."""

    product_backend_name: str | None = None
    sku: str | None = None
    loads: ItemLoads = field(default_factory=ItemLoads)


async def create_item_record(uow: UnitOfWork, command: CreateItem, parts: ItemParts) -> Item:
    """Create one item with its categories and attributes, all or nothing.

    Raises:
        DuplicateError: the SKU is taken (by an item or an alias).
        InvalidRequestError: an unknown product or name, or a bad category or attribute.
    """
    _check_parts(parts)
    async with uow:
        details = await resolve_names(uow, command.details, command)
        item = await add_item(uow, command.sku, details)
        await _write_parts(uow, item, parts)
        await uow.commit()
    return item


async def update_item_record(uow: UnitOfWork, command: UpdateItem, parts: ItemParts) -> Item:
    """Change one item's given details, categories (replaced) and attributes (set by name).

    Raises:
        NotFoundError: no item has the SKU in this account.
        InvalidRequestError: an unknown product or name, or a bad category or attribute.
    """
    _check_parts(parts)
    async with uow:
        item = await change_item(uow, command)
        await _write_parts(uow, item, parts)
        await uow.commit()
    return item


async def delete_item(uow: UnitOfWork, sku: str) -> Item:
    """Delete an item that nothing depends on, with its categories, prices and attributes.

    Raises:
        NotFoundError: no item has the SKU in this account.
        ConflictError: the item is on open orders, holds stock, is a kit's component, or has
            history (closed orders, ledger movements, returns, receipts) that keeps naming it.
    """
    async with uow:
        item = await uow.catalog.find_item(sku)
        if item is None:
            raise NotFoundError(f"SKU {sku!r} not found", field="sku")
        await uow.products.lock_item(item.id)
        _refuse_if_tied(sku, await uow.products.ties_of(item.id))
        await uow.products.remove_item(item.id)
        await uow.events.record("item_deleted", "item", item.id, {"sku": sku})
        await uow.commit()
    return item


async def list_item_records(
    uow: ReadUnitOfWork, query: ItemQuery, page: PageRequest
) -> Page[ItemRecord]:
    """A page of items (of one product, or one SKU), oldest first, with the parts asked for.

    Raises:
        NotFoundError: the product or the SKU does not exist in this account.
    """
    async with uow:
        product_id = None
        if query.product_backend_name is not None:
            product_id = await uow.products.product_id(query.product_backend_name)
            if product_id is None:
                raise NotFoundError(
                    f"product {query.product_backend_name!r} not found",
                    field="product_backend_name",
                )
        found = await uow.products.items_page(ItemFilter(product_id, query.sku), page)
        if query.sku is not None and not found.items:
            raise NotFoundError(f"SKU {query.sku!r} not found", field="sku")
        records = await _loaded(uow, found.items, query.loads)
    return Page(records, found.total, page, count_is_exact=found.count_is_exact)


async def get_item_record(uow: ReadUnitOfWork, sku: str, loads: ItemLoads) -> ItemRecord:
    """One item by SKU, with the parts ``loads`` asks for.

    Raises:
        NotFoundError: no item has the SKU in this account.
    """
    found = await list_item_records(uow, ItemQuery(sku=sku, loads=loads), PageRequest(1, 1))
    return found.items[0]


async def changed_skus(
    uow: ReadUnitOfWork, page: PageRequest, *, after: datetime | None, before: datetime | None
) -> Page[ChangedSku]:
    """The SKUs whose item changed strictly between ``after`` and ``before``, oldest first.

    Raises:
        InvalidRequestError: ``before`` is not after ``after``.
    """
    if after is not None and before is not None and before <= after:
        raise InvalidRequestError("the window must end after it starts", field="updated_before")
    async with uow:
        return await uow.products.changed_skus(after, before, page)


def _refuse_if_tied(sku: str, ties: ItemTies) -> None:
    reasons = (
        (ties.open_orders, "is on open orders"),
        (ties.stock, "holds stock"),
        (ties.component, "is a component of a kit"),
        (ties.history, "has history (orders, stock movements, returns or receipts) naming it"),
    )
    for tied, why in reasons:
        if tied:
            raise ConflictError(f"SKU {sku!r} {why} and cannot be deleted", field="sku")


def _check_parts(parts: ItemParts) -> None:
    """Refuse blank, overlong or repeated categories and attributes, naming the entry."""
    for index, category in enumerate(parts.categories or ()):
        where = f"categories[{index}]"
        if not category.strip() or len(category) > CATEGORY_MAX:
            raise InvalidRequestError(
                f"a category must be 1 to {CATEGORY_MAX} characters", field=where
            )
        if category in (parts.categories or ())[:index]:
            raise InvalidRequestError(f"category {category!r} is given twice", field=where)
    seen: set[str] = set()
    for index, attribute in enumerate(parts.attributes or ()):
        where = f"attributes[{index}]"
        check_name(attribute.name, field=f"{where}.name")
        check_value(attribute.value, field=f"{where}.value")
        if attribute.name in seen:
            raise InvalidRequestError(
                f"attribute {attribute.name!r} is given twice", field=f"{where}.name"
            )
        seen.add(attribute.name)


async def _write_parts(uow: UnitOfWork, item: Item, parts: ItemParts) -> None:
    if parts.categories is not None:
        await uow.products.set_categories(item.id, parts.categories)
    if parts.attributes:
        await uow.attributes.set_on_many(OwnerType.item, [item.id], parts.attributes)


async def _loaded(
    uow: ReadUnitOfWork, found: Sequence[CatalogItem], loads: ItemLoads
) -> list[ItemRecord]:
    ids = [entry.item.id for entry in found]
    categories = await uow.products.categories_of(ids) if loads.categories else {}
    attributes = await uow.attributes.values_of(OwnerType.item, ids) if loads.attributes else {}
    records = []
    for entry in found:
        item = entry.item
        inventory = None
        if loads.inventory:
            read = await uow.stock.stock(sku=item.sku, location_code=None, page=PageRequest(1, 1))
            inventory = stock_view(read.items[0])
        records.append(
            ItemRecord(
                item,
                entry.product_backend_name,
                categories=categories.get(item.id, []) if loads.categories else None,
                attributes=attributes.get(item.id, []) if loads.attributes else None,
                inventory=inventory,
            )
        )
    return records
