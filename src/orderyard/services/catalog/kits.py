"""Kits (ShipEdge synsets): a SKU made of component SKUs; orders explode it into them."""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.catalog import Item, ItemDetails, KitComponent, kit_components
from orderyard.domain.errors import ConflictError, DomainError, DuplicateError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.services.catalog.items import add_item
from orderyard.store.queries.catalog import KitView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class SetKit:
    """Make ``sku`` a kit of ``components`` (``(sku, quantity)`` pairs), or replace them."""

    sku: str
    components: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class KitOutcome:
    """What became of one kit of a bulk call."""

    index: int
    sku: str
    kit: Item | None = None
    error: DomainError | None = None


async def create_kits(uow: UnitOfWork, commands: Sequence[SetKit]) -> list[KitOutcome]:
    """Create each kit; a failing one is reported and leaves no trace, the others are kept."""
    return await _each(uow, commands, create=True)


async def update_kits(uow: UnitOfWork, commands: Sequence[SetKit]) -> list[KitOutcome]:
    """Replace each kit's components; a failing one is reported and left as it was.

    Orders already placed keep the component lines they were exploded into.
    """
    return await _each(uow, commands, create=False)


async def _each(uow: UnitOfWork, commands: Sequence[SetKit], *, create: bool) -> list[KitOutcome]:
    step = _create if create else _update
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: step(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [KitOutcome(a.index, a.command.sku, a.value, a.error) for a in attempts]


async def _create(uow: UnitOfWork, command: SetKit) -> Item:
    """Create one kit: a new kit item, or an existing item that nothing depends on yet.

    Raises:
        InvalidRequestError: a component is unknown, a kit, the kit itself, listed twice,
            or has a quantity below 1.
        DuplicateError: the kit exists, or its SKU is an alias.
        ConflictError: the SKU is an item with stock or orders, or a component of a kit.
    """
    components = await _components(uow, command)
    existing = await uow.catalog.find_item(command.sku)
    if existing is None:
        details = ItemDetails(description=command.sku)
        kit = await add_item(uow, command.sku, details, is_kit=True, field="kit")
    elif existing.is_kit:
        raise DuplicateError(
            f"kit {command.sku!r} already exists; PATCH replaces its components", field="kit"
        )
    else:
        await _refuse_if_used(uow, existing)
        kit = await uow.catalog.make_kit(existing.id)
    await uow.catalog.set_components(kit.id, components)
    await uow.events.record("synset_created", "item", kit.id, _event_data(components))
    return kit


async def _refuse_if_used(uow: UnitOfWork, item: Item) -> None:
    """Refuse to turn an item into a kit once stock, orders or other kits depend on it."""
    use = await uow.catalog.use_of(item.id)
    reasons = [
        reason
        for reason, applies in (
            ("it has stock", use.has_stock),
            ("orders name it", use.has_orders),
            ("it is a component of a kit", use.in_kits),
        )
        if applies
    ]
    if reasons:
        raise ConflictError(
            f"item {item.sku!r} cannot become a kit: {' and '.join(reasons)}",
            field="kit",
        )


async def _update(uow: UnitOfWork, command: SetKit) -> Item:
    """Replace one kit's components.

    Raises:
        NotFoundError: no kit has this SKU in the account.
        InvalidRequestError: a component is unknown, a kit, the kit itself, listed twice,
            or has a quantity below 1.
    """
    kit = await uow.catalog.find_item(command.sku)
    if kit is None or not kit.is_kit:
        raise NotFoundError(f"kit {command.sku!r} not found", field="kit")
    components = await _components(uow, command)
    await uow.catalog.set_components(kit.id, components)
    kit = await uow.catalog.update_item(kit.id, kit.details)
    await uow.events.record("synset_updated", "item", kit.id, _event_data(components))
    return kit


async def _components(uow: UnitOfWork, command: SetKit) -> list[KitComponent]:
    found = await uow.catalog.items_by_sku(sku for sku, _ in command.components)
    return kit_components(command.sku, command.components, found)


def _event_data(components: Sequence[KitComponent]) -> dict[str, object]:
    return {"items": {c.sku: c.quantity for c in components}}


async def get_kit(uow: ReadUnitOfWork, sku: str) -> KitView:
    """One kit with its components.

    Raises:
        NotFoundError: no kit has this SKU in the account.
    """
    async with uow:
        view = await uow.catalog.kit(sku)
    if view is None:
        raise NotFoundError(f"kit {sku!r} not found", field="kit")
    return view


async def list_kits(uow: ReadUnitOfWork, page: PageRequest) -> Page[KitView]:
    """A page of the account's kits, oldest first, with their components."""
    async with uow:
        return await uow.catalog.kits_page(page)
