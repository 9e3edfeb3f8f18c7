"""Serial use cases: create a SKU's serial numbers; set attributes on a range of them.

Both are bulk calls: each item runs in its own savepoint and is all-or-nothing, so an item
with one bad serial stores none of its serials, while the valid items of the call are kept.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.attribute import Attribute, OwnerType, check_attribute_list
from orderyard.domain.errors import DomainError, DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.serial import check_new_serials, serial_range
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class CreateSerials:
    """New serial numbers for one SKU."""

    sku: str
    serials: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SerialsOutcome:
    """What became of one SKU's serials: all created (with their ids), or an error."""

    index: int
    sku: str
    serials: tuple[str, ...] = ()
    ids: tuple[int, ...] = ()
    error: DomainError | None = None


@dataclass(frozen=True, slots=True)
class SetSerialAttributes:
    """Set attributes on every existing serial of a SKU between two bounds (included)."""

    sku: str
    serial_start: str
    serial_end: str
    attributes: tuple[Attribute, ...]


@dataclass(frozen=True, slots=True)
class SerialAttributesOutcome:
    """What became of one range: how many serials now carry the attributes, or an error."""

    index: int
    sku: str
    serials_updated: int = 0
    error: DomainError | None = None


async def create_serials(
    uow: UnitOfWork, commands: Sequence[CreateSerials]
) -> list[SerialsOutcome]:
    """Create each SKU's serials; an item with any bad serial stores none of them."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _create(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [
        SerialsOutcome(a.index, a.command.sku, a.command.serials, tuple(a.value))
        if a.value is not None
        else SerialsOutcome(a.index, a.command.sku, error=a.error)
        for a in attempts
    ]


async def _item_id(uow: UnitOfWork, sku: str) -> int:
    found = (await uow.catalog.item_ids([sku])).get(sku)
    if found is None:
        raise InvalidRequestError(f"unknown SKU {sku!r}", field="sku")
    return found


async def _create(uow: UnitOfWork, command: CreateSerials) -> list[int]:
    """Store one SKU's serials.

    Raises:
        InvalidRequestError: unknown SKU, no serials, or a blank or too long serial.
        DuplicateError: a serial repeats within the list or exists already for the SKU.
    """
    item_id = await _item_id(uow, command.sku)
    check_new_serials(command.serials)
    await _refuse_taken(uow, item_id, command)
    try:
        ids = await uow.serials.add(item_id, command.serials)
    except DuplicateError:
        # A concurrent request stored some first (PostgreSQL): it has committed, so name it.
        await _refuse_taken(uow, item_id, command)
        raise
    await uow.events.record("serials_created", "item", item_id, {"count": len(ids)})
    return ids


async def _refuse_taken(uow: UnitOfWork, item_id: int, command: CreateSerials) -> None:
    """Refuse the first serial of the command that the item already has."""
    taken = await uow.serials.existing(item_id, command.serials)
    if taken:
        index = next(i for i, serial in enumerate(command.serials) if serial in taken)
        raise DuplicateError(
            f"serial {command.serials[index]!r} already exists for SKU {command.sku!r}",
            field=f"serials[{index}]",
        )


async def set_serial_attributes(
    uow: UnitOfWork, commands: Sequence[SetSerialAttributes]
) -> list[SerialAttributesOutcome]:
    """Set attributes on each range of serials; an attribute set again gets the new value."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda c: _set_attributes(uow, c))
        if any_succeeded(attempts):
            await uow.commit()
    return [
        SerialAttributesOutcome(a.index, a.command.sku, a.value)
        if a.value is not None
        else SerialAttributesOutcome(a.index, a.command.sku, error=a.error)
        for a in attempts
    ]


async def _set_attributes(uow: UnitOfWork, command: SetSerialAttributes) -> int:
    """Set the attributes on one range and return how many serials it covers.

    Raises:
        InvalidRequestError: unknown SKU, bad bounds (start after end), or bad attributes.
        NotFoundError: no serial of the SKU lies in the range.
    """
    item_id = await _item_id(uow, command.sku)
    span = serial_range(command.serial_start, command.serial_end)
    check_attribute_list(command.attributes)
    serial_ids = await uow.serials.ids_in_range(item_id, span)
    if not serial_ids:
        raise NotFoundError(
            f"no serial of SKU {command.sku!r} lies between {span.start!r} and {span.end!r}",
            field="serial_start",
        )
    await uow.attributes.set_on_many(OwnerType.serial, serial_ids, command.attributes)
    await uow.events.record(
        "serial_attributes_set",
        "item",
        item_id,
        {
            "serial_start": span.start,
            "serial_end": span.end,
            "serials_updated": len(serial_ids),
            "attributes": [a.name for a in command.attributes],
        },
    )
    return len(serial_ids)
