"""Catalog use cases: items (SKUs), kits and aliases."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from orderyard.domain.catalog import Item, ItemDetails
from orderyard.domain.errors import DomainError, InvalidRequestError
from orderyard.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class CreateItem:
    """Add one SKU to the catalog. Supplier, location and package type are given by name."""

    sku: str
    details: ItemDetails = field(default_factory=ItemDetails)
    supplier: str | None = None
    location: str | None = None
    package_type: str | None = None


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What became of one item of a (possibly bulk) call."""

    index: int
    sku: str
    item: Item | None = None
    error: DomainError | None = None


async def create_items(uow: UnitOfWork, commands: Sequence[CreateItem]) -> list[ItemOutcome]:
    """Create each item; a failing item is reported and leaves no trace, the others are kept."""
    outcomes: list[ItemOutcome] = []
    async with uow:
        for index, command in enumerate(commands):
            try:
                async with uow.savepoint():
                    item = await _create(uow, command)
            except DomainError as error:
                outcomes.append(ItemOutcome(index, command.sku, error=error))
                continue
            outcomes.append(ItemOutcome(index, command.sku, item))
        if any(o.error is None for o in outcomes):
            await uow.commit()
    return outcomes


async def _create(uow: UnitOfWork, command: CreateItem) -> Item:
    details = await resolve_names(uow, command)
    item = await uow.catalog.add_item(command.sku, details)
    await uow.events.record("item_created", "item", item.id, {"sku": item.sku})
    return item


async def resolve_names(uow: UnitOfWork, command: CreateItem) -> ItemDetails:
    """Replace the supplier, location and package type names by their registered ids.

    Raises:
        InvalidRequestError: a name is not registered in the account (exact match).
    """
    details = command.details
    if command.supplier is not None:
        supplier_id = await uow.suppliers.id_of(command.supplier)
        if supplier_id is None:
            raise InvalidRequestError(
                f"supplier {command.supplier!r} is not registered", field="supplier"
            )
        details = replace(details, supplier_id=supplier_id)
    if command.location is not None:
        location = await uow.locations.find_by_code(command.location)
        if location is None:
            raise InvalidRequestError(
                f"distribution center {command.location!r} is not registered",
                field="distribution_center",
            )
        details = replace(details, location_id=location.id)
    if command.package_type is not None:
        package_id = await uow.package_types.id_of(command.package_type)
        if package_id is None:
            raise InvalidRequestError(
                f"package type {command.package_type!r} is not registered", field="package_type"
            )
        details = replace(details, package_type_id=package_id)
    return details
