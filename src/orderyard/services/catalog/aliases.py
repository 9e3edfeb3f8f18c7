"""Aliases: a channel's external SKU standing for an internal one (orders resolve them)."""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.catalog import Alias, Item
from orderyard.domain.errors import DomainError, DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.store.queries.catalog import AliasFilter, AliasView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class CreateAlias:
    """Let ``alias`` stand for the item ``sku``, optionally noting its channel and location."""

    alias: str
    sku: str
    channel_id: int | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateAlias:
    """Change what an alias stands for. None keeps a value; channel 0 and location "" clear."""

    alias: str
    sku: str | None = None
    channel_id: int | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True)
class AliasOutcome:
    """What became of one alias of a bulk call."""

    index: int
    alias: str
    result: Alias | None = None
    error: DomainError | None = None


async def create_aliases(uow: UnitOfWork, commands: Sequence[CreateAlias]) -> list[AliasOutcome]:
    """Create each alias; a failing one is reported and leaves no trace, the others are kept."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _create(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [AliasOutcome(a.index, a.command.alias, a.value, a.error) for a in attempts]


async def _create(uow: UnitOfWork, command: CreateAlias) -> Alias:
    """Create one alias.

    Raises:
        InvalidRequestError: unknown SKU, channel or location.
        DuplicateError: the alias exists, or is a SKU (it would shadow that item).
    """
    item = await _target(uow, command.sku)
    await _refuse_sku(uow, command.alias)
    channel_id = await _channel(uow, command.channel_id)
    location_id = await _location(uow, command.location)
    alias = await uow.catalog.add_alias(
        command.alias, item.id, channel_id=channel_id, location_id=location_id
    )
    await uow.events.record("alias_created", "alias", alias.id, {"sku": item.sku})
    return alias


async def update_aliases(uow: UnitOfWork, commands: Sequence[UpdateAlias]) -> list[AliasOutcome]:
    """Change each alias; a failing one is reported and left as it was."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _update(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [AliasOutcome(a.index, a.command.alias, a.value, a.error) for a in attempts]


async def _update(uow: UnitOfWork, command: UpdateAlias) -> Alias:
    """Apply one alias update.

    Raises:
        NotFoundError: no such alias in this account.
        InvalidRequestError: unknown SKU, channel or location.
    """
    current = await uow.catalog.find_alias(command.alias)
    if current is None:
        raise NotFoundError(f"alias {command.alias!r} not found", field="alias")
    item_id = current.item_id if command.sku is None else (await _target(uow, command.sku)).id
    channel_id = current.channel_id
    if command.channel_id is not None:
        channel_id = await _channel(uow, command.channel_id or None)
    location_id = current.location_id
    if command.location is not None:
        location_id = await _location(uow, command.location or None)
    alias = await uow.catalog.update_alias(
        current.id, item_id, channel_id=channel_id, location_id=location_id
    )
    await uow.events.record("alias_updated", "alias", alias.id, {"sku": alias.sku})
    return alias


async def _target(uow: UnitOfWork, sku: str) -> Item:
    item = await uow.catalog.find_item(sku)
    if item is None:
        raise InvalidRequestError(f"SKU {sku!r} does not exist", field="sku")
    return item


async def _refuse_sku(uow: UnitOfWork, alias: str) -> None:
    if await uow.catalog.find_item(alias) is not None:
        raise DuplicateError(
            f"alias {alias!r} is already a SKU; an alias cannot shadow an item", field="alias"
        )


async def _channel(uow: UnitOfWork, channel_id: int | None) -> int | None:
    if channel_id is not None and await uow.channels.find(channel_id) is None:
        raise InvalidRequestError(f"channel id {channel_id} is not registered", field="channel.id")
    return channel_id


async def _location(uow: UnitOfWork | ReadUnitOfWork, code: str | None) -> int | None:
    if code is None:
        return None
    location = await uow.locations.find_by_code(code)
    if location is None:
        raise InvalidRequestError(f"location {code!r} is not registered", field="location")
    return location.id


async def get_alias(uow: ReadUnitOfWork, alias: str) -> AliasView:
    """One alias by its exact name.

    Raises:
        NotFoundError: no such alias in this account.
    """
    async with uow:
        view = await uow.catalog.alias(alias)
    if view is None:
        raise NotFoundError(f"alias {alias!r} not found", field="alias")
    return view


async def list_aliases(
    uow: ReadUnitOfWork,
    page: PageRequest,
    *,
    channel_id: int | None = None,
    location: str | None = None,
) -> Page[AliasView]:
    """A page of the account's aliases, oldest first, optionally of one channel or location.

    Raises:
        InvalidRequestError: the channel or the location is not registered.
    """
    async with uow:
        if channel_id is not None and not await uow.catalog.channel_exists(channel_id):
            raise InvalidRequestError(
                f"channel id {channel_id} is not registered", field="channel.id"
            )
        where = AliasFilter(channel_id=channel_id, location_id=await _location(uow, location))
        return await uow.catalog.aliases_page(where, page)
