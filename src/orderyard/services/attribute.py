"""Attribute use cases: read, create, update and delete the named values of a record.

The owner (an order, an item or a serial) is looked up in the same transaction as the
change, scoped to the account: a foreign owner is as missing as one that never existed.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from orderyard.domain.attribute import (
    Attribute,
    OwnerKey,
    OwnerType,
    StoredAttribute,
    check_name,
    check_value,
    owner_key,
)
from orderyard.domain.errors import DomainError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["Attribute", "OwnerType", "PageRequest", "StoredAttribute"]

Change = Callable[[UnitOfWork, OwnerType, int, Attribute], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class OwnerRef:
    """How a client names the record whose attributes it reads or changes.

    ``key`` is the record's id; an item may also be named by its SKU.
    """

    owner_type: OwnerType
    key: str


@dataclass(frozen=True, slots=True)
class AttributeOutcome:
    """What became of one attribute of a (possibly bulk) call."""

    index: int
    name: str
    value: str = ""
    error: DomainError | None = None


async def _owner_id(
    find: Callable[[OwnerType, OwnerKey], Awaitable[int | None]], owner: OwnerRef
) -> int:
    found = await find(owner.owner_type, owner_key(owner.owner_type, owner.key))
    if found is None:
        raise NotFoundError(f"{owner.owner_type} {owner.key!r} not found", field="owner")
    return found


async def create_attributes(
    uow: UnitOfWork, owner: OwnerRef, values: Sequence[Attribute]
) -> list[AttributeOutcome]:
    """Create each attribute on the owner; one that exists already is reported, not changed.

    Raises:
        NotFoundError: the owner does not exist in this account (nothing is written).
    """
    return await _apply(uow, owner, values, _create)


async def update_attributes(
    uow: UnitOfWork, owner: OwnerRef, values: Sequence[Attribute]
) -> list[AttributeOutcome]:
    """Replace the value of each existing attribute; a missing one is reported, not created.

    Raises:
        NotFoundError: the owner does not exist in this account (nothing is written).
    """
    return await _apply(uow, owner, values, _update)


async def _apply(
    uow: UnitOfWork, owner: OwnerRef, values: Sequence[Attribute], change: Change
) -> list[AttributeOutcome]:
    """Run ``change`` on each attribute in its own savepoint: failures leave no trace."""
    async with uow:
        owner_id = await _owner_id(uow.attributes.find_owner, owner)
        attempts = await attempt_each(
            uow, values, lambda attribute: change(uow, owner.owner_type, owner_id, attribute)
        )
        if any_succeeded(attempts):
            await uow.commit()
    return [AttributeOutcome(a.index, a.command.name, a.command.value, a.error) for a in attempts]


async def _create(
    uow: UnitOfWork, owner_type: OwnerType, owner_id: int, attribute: Attribute
) -> None:
    check_name(attribute.name)
    check_value(attribute.value)
    await uow.attributes.add(owner_type, owner_id, attribute)
    await uow.events.record(
        "attribute_created", owner_type.value, owner_id, {"attribute": attribute.name}
    )


async def _update(
    uow: UnitOfWork, owner_type: OwnerType, owner_id: int, attribute: Attribute
) -> None:
    check_name(attribute.name)
    check_value(attribute.value)
    if not await uow.attributes.update(owner_type, owner_id, attribute):
        raise NotFoundError(
            f"attribute {attribute.name!r} does not exist, use POST to create it",
            field="attribute",
        )
    await uow.events.record(
        "attribute_updated", owner_type.value, owner_id, {"attribute": attribute.name}
    )


async def delete_attribute(uow: UnitOfWork, owner: OwnerRef, name: str) -> Attribute:
    """Delete one attribute of the owner and return it as it was.

    Raises:
        InvalidRequestError: the name is blank or too long.
        NotFoundError: the owner does not exist in this account, or has no such attribute.
    """
    check_name(name)
    async with uow:
        owner_id = await _owner_id(uow.attributes.find_owner, owner)
        value = await uow.attributes.remove(owner.owner_type, owner_id, name)
        if value is None:
            raise NotFoundError(f"attribute {name!r} not found", field="attribute")
        await uow.events.record(
            "attribute_deleted", owner.owner_type.value, owner_id, {"attribute": name}
        )
        await uow.commit()
    return Attribute(name, value)


async def list_attributes(
    uow: ReadUnitOfWork, owner: OwnerRef, page: PageRequest
) -> Page[StoredAttribute]:
    """A page of the owner's attributes, by name.

    Raises:
        NotFoundError: the owner does not exist in this account.
    """
    async with uow:
        owner_id = await _owner_id(uow.attributes.find_owner, owner)
        return await uow.attributes.page(owner.owner_type, owner_id, page)
