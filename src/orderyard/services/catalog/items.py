"""Items (SKUs): create and change them in bulk, read one, list them, tell their units."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from orderyard.domain.catalog import Item, ItemDetails, UnitOfMeasure, units_of_measure
from orderyard.domain.errors import DomainError, DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.store.queries.catalog import ItemKey, ItemSort, ItemView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

CHANGEABLE = frozenset(ItemDetails.__dataclass_fields__) - {
    "supplier_id",
    "location_id",
    "package_type_id",
    "product_id",
}
"""Details an update may set directly; the references are given by name instead."""


@dataclass(frozen=True, slots=True)
class CreateItem:
    """Add one SKU to the catalog. Supplier, location, package type and product by name."""

    sku: str
    details: ItemDetails = field(default_factory=ItemDetails)
    supplier: str | None = None
    location: str | None = None
    package_type: str | None = None
    product: str | None = None
    """The backend name of the product (style) the item belongs to."""


@dataclass(frozen=True, slots=True)
class UpdateItem:
    """Change one item, named by its SKU, which itself never changes.

    ``changes`` maps ItemDetails fields to new values; absent fields keep theirs. A name left
    None keeps its reference, and an empty name clears it.
    """

    sku: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    supplier: str | None = None
    location: str | None = None
    package_type: str | None = None
    product: str | None = None


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What became of one item of a (possibly bulk) call."""

    index: int
    sku: str
    item: Item | None = None
    error: DomainError | None = None


async def create_items(uow: UnitOfWork, commands: Sequence[CreateItem]) -> list[ItemOutcome]:
    """Create each item; a failing item is reported and leaves no trace, the others are kept."""

    async def create(command: CreateItem) -> Item:
        details = await resolve_names(uow, command.details, command)
        return await add_item(uow, command.sku, details)

    async with uow:
        attempts = await attempt_each(uow, commands, create)
        if any_succeeded(attempts):
            await uow.commit()
    return [ItemOutcome(a.index, a.command.sku, a.value, a.error) for a in attempts]


async def add_item(
    uow: UnitOfWork, sku: str, details: ItemDetails, *, is_kit: bool = False, field: str = "sku"
) -> Item:
    """Store a new item inside an open unit of work, and log it.

    Raises:
        DuplicateError: the SKU is taken, by an item or by an alias (which it would shadow);
            the error names ``field``.
    """
    alias = await uow.catalog.find_alias(sku)
    if alias is not None:
        raise DuplicateError(
            f"SKU {sku!r} is already an alias of {alias.sku!r}; a SKU cannot shadow an alias",
            field=field,
        )
    item = await uow.catalog.add_item(sku, details, is_kit=is_kit)
    await uow.events.record("item_created", "item", item.id, {"sku": item.sku})
    return item


async def update_items(uow: UnitOfWork, commands: Sequence[UpdateItem]) -> list[ItemOutcome]:
    """Change each item's given details; a failing item is reported and left as it was."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: change_item(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [ItemOutcome(a.index, a.command.sku, a.value, a.error) for a in attempts]


async def change_item(uow: UnitOfWork, command: UpdateItem) -> Item:
    """Apply one update inside an open unit of work, and log it.

    Raises:
        NotFoundError: no item has this SKU in the account.
        InvalidRequestError: an unknown detail, or a name that is not registered.
    """
    unknown = sorted(set(command.changes) - CHANGEABLE)
    if unknown:
        raise InvalidRequestError(f"{unknown[0]} cannot be changed", field=unknown[0])
    item = await uow.catalog.find_item(command.sku)
    if item is None:
        raise NotFoundError(f"SKU {command.sku!r} not found", field="sku")
    details = await resolve_names(uow, replace(item.details, **command.changes), command)
    updated = await uow.catalog.update_item(item.id, details)
    await uow.events.record("item_updated", "item", item.id, {"fields": sorted(command.changes)})
    return updated


async def resolve_names(
    uow: UnitOfWork, details: ItemDetails, names: CreateItem | UpdateItem
) -> ItemDetails:
    """Set the supplier, location and package type ids from their registered names.

    A name left None keeps the reference in ``details``; an empty name clears it.

    Raises:
        InvalidRequestError: a name is not registered in the account (exact match).
    """
    if names.supplier is not None:
        supplier_id = await uow.suppliers.id_of(names.supplier) if names.supplier else None
        if names.supplier and supplier_id is None:
            raise InvalidRequestError(
                f"supplier {names.supplier!r} is not registered", field="supplier"
            )
        details = replace(details, supplier_id=supplier_id)
    if names.location is not None:
        location = await uow.locations.find_by_code(names.location) if names.location else None
        if names.location and location is None:
            raise InvalidRequestError(
                f"location {names.location!r} is not registered",
                field="location",
            )
        details = replace(details, location_id=location.id if location else None)
    if names.package_type is not None:
        package_id = (
            await uow.package_types.id_of(names.package_type) if names.package_type else None
        )
        if names.package_type and package_id is None:
            raise InvalidRequestError(
                f"package type {names.package_type!r} is not registered", field="package_type"
            )
        details = replace(details, package_type_id=package_id)
    if names.product is not None:
        product = await uow.products.find(backend_name=names.product) if names.product else None
        if names.product and product is None:
            raise InvalidRequestError(f"product {names.product!r} does not exist", field="product")
        details = replace(details, product_id=product.id if product else None)
    return details


async def get_item(
    uow: ReadUnitOfWork, identifier: str, *, key: ItemKey = ItemKey.sku_then_id
) -> ItemView:
    """One item by SKU or id (by default its SKU first, then its id when all digits).

    Raises:
        NotFoundError: nothing in this account answers to ``identifier``.
    """
    async with uow:
        view = await uow.catalog.item(identifier, key=key)
    if view is None:
        raise NotFoundError(f"item {identifier!r} not found", field="item")
    return view


async def list_items(
    uow: ReadUnitOfWork,
    page: PageRequest,
    *,
    sort: ItemSort = ItemSort.id,
    descending: bool = True,
) -> Page[ItemView]:
    """A page of the account's items."""
    async with uow.tolerating_lag() as uow:
        return await uow.catalog.items_page(page, sort=sort, descending=descending)


async def item_units(
    uow: ReadUnitOfWork, identifier: str, *, key: ItemKey = ItemKey.sku_then_id
) -> tuple[ItemView, list[UnitOfMeasure]]:
    """The units of measure an item is handled in.

    Raises:
        NotFoundError: nothing in this account answers to ``identifier``.
    """
    view = await get_item(uow, identifier, key=key)
    return view, units_of_measure(view.item)
