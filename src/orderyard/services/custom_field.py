"""Custom fields: their metadata per owner type, and the checked values of locations.

Definitions say which custom fields an owner type has and which values each takes
(``domain/custom_field.py``). Values live in the one attribute store, where ShipEdge's
attributes live too; a location's values are written only through these use cases, each
checked against its definition first.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.attribute import Attribute, OwnerType, StoredAttribute
from orderyard.domain.custom_field import (
    CustomField,
    DataType,
    FieldValue,
    NewCustomField,
    check_definition,
    check_values,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["CustomField", "DataType", "FieldValue", "NewCustomField", "OwnerType"]

LOCATIONS_MAX = 1000
"""Most locations one read or write of location custom fields may name."""
NAMES_MAX = 500
"""Most custom fields one read of metadata by system names may name."""


@dataclass(frozen=True, slots=True)
class LocationFields:
    """Custom field values to set on one location, named by its code."""

    location: str
    values: Sequence[FieldValue]


@dataclass(frozen=True, slots=True)
class LocationValues:
    """The custom field values a location holds, by name."""

    location: str
    values: list[StoredAttribute]


async def define_custom_field(uow: UnitOfWork, new: NewCustomField) -> CustomField:
    """Define a custom field of an owner type.

    Raises:
        InvalidRequestError: a blank or too long name, or allowed values that do not fit the
            type (a List needs them, other types take none).
        DuplicateError: the owner type has a field of that system name already.
    """
    checked = check_definition(new)
    async with uow:
        defined = await uow.custom_fields.add(checked)
        await uow.events.record(
            "custom_field_defined",
            "custom_field",
            defined.id,
            {"owner_type": checked.owner_type.value, "system_name": checked.system_name},
        )
        await uow.commit()
    return defined


async def delete_custom_field(uow: UnitOfWork, owner_type: OwnerType, system_name: str) -> None:
    """Delete a definition. Values already stored stay, and are read back as they are.

    Raises:
        NotFoundError: the owner type has no field of that name in this account.
    """
    async with uow:
        removed = await uow.custom_fields.remove(owner_type, system_name)
        if removed is None:
            raise NotFoundError(
                f"custom field {system_name!r} is not defined for {owner_type}",
                field="system_name",
            )
        await uow.events.record(
            "custom_field_deleted",
            "custom_field",
            removed,
            {"owner_type": owner_type.value, "system_name": system_name},
        )
        await uow.commit()


async def list_custom_fields(
    uow: ReadUnitOfWork, owner_type: OwnerType, page: PageRequest
) -> Page[CustomField]:
    """A page of the owner type's definitions, by system name."""
    async with uow:
        return await uow.custom_fields.page(owner_type, page)


async def get_custom_fields(
    uow: ReadUnitOfWork, owner_type: OwnerType, system_names: Sequence[str], page: PageRequest
) -> Page[CustomField]:
    """A page of the definitions of the given names, in the order asked.

    Names that are not defined are left out, as a filter would leave them.

    Raises:
        InvalidRequestError: no name given, or more than ``NAMES_MAX`` (``system_names``).
    """
    wanted = list(dict.fromkeys(name for name in system_names if name))
    if not wanted or len(wanted) > NAMES_MAX:
        raise InvalidRequestError(
            f"system_names must name 1 to {NAMES_MAX} custom fields (got {len(wanted)})",
            field="system_names",
        )
    async with uow:
        found = await uow.custom_fields.by_names(owner_type, wanted)
    known = [found[name] for name in wanted if name in found]
    return Page(known[page.offset : page.offset + page.per_page], len(known), page)


async def set_location_custom_fields(
    uow: UnitOfWork, changes: Sequence[LocationFields]
) -> list[LocationValues]:
    """Set custom field values on locations: all of them, or (on any refusal) none.

    A value replaces the field's value; ``None`` clears it; fields not named stay.

    Raises:
        InvalidRequestError: an unknown location (``items[0].location``), a field that is not
            defined for locations, given twice, or a value its definition refuses
            (``items[0].custom_fields[1].value``).
    """
    _check_count(len(changes), "items")
    async with uow:
        ids = await uow.locations.ids_by_code(change.location for change in changes)
        names = {value.name for change in changes for value in change.values}
        definitions = await uow.custom_fields.by_names(OwnerType.location, names)
        for index, change in enumerate(changes):
            location_id = _known(ids, change.location, f"items[{index}].location")
            kept = check_values(definitions, change.values, field=f"items[{index}].custom_fields")
            await _write(uow, location_id, kept)
        stored = await uow.attributes.values_of(OwnerType.location, list(ids.values()))
        await uow.commit()
    codes = dict.fromkeys(change.location for change in changes)
    return [LocationValues(code, stored.get(ids[code], [])) for code in codes]


async def _write(uow: UnitOfWork, location_id: int, kept: Sequence[FieldValue]) -> None:
    """Store one location's checked values and record the change."""
    written = [Attribute(v.name, v.value) for v in kept if v.value is not None]
    if written:
        await uow.attributes.set_on_many(OwnerType.location, [location_id], written)
    await uow.attributes.remove_names(
        OwnerType.location, location_id, [v.name for v in kept if v.value is None]
    )
    await uow.events.record(
        "custom_fields_set", "location", location_id, {"names": [v.name for v in kept]}
    )


async def get_location_custom_fields(
    uow: ReadUnitOfWork, codes: Sequence[str], page: PageRequest
) -> Page[LocationValues]:
    """A page of the named locations (in the order named) with their custom field values.

    Raises:
        InvalidRequestError: no location named, too many, or one that does not exist in this
            account (``locations``).
    """
    wanted = list(dict.fromkeys(code for code in codes if code))
    if not wanted:
        raise InvalidRequestError("locations must name at least one location", field="locations")
    _check_count(len(wanted), "locations")
    async with uow:
        ids = await uow.locations.ids_by_code(wanted)
        for code in wanted:
            _known(ids, code, "locations")
        shown = wanted[page.offset : page.offset + page.per_page]
        stored = await uow.attributes.values_of(OwnerType.location, [ids[c] for c in shown])
    items = [LocationValues(code, stored.get(ids[code], [])) for code in shown]
    return Page(items, len(wanted), page)


def _check_count(count: int, field: str) -> None:
    if count > LOCATIONS_MAX:
        raise InvalidRequestError(
            f"{field} may name at most {LOCATIONS_MAX} locations (got {count})", field=field
        )


def _known(ids: dict[str, int], code: str, field: str) -> int:
    """The id of a location code; an unknown (or foreign) one is bad input naming ``field``."""
    found = ids.get(code)
    if found is None:
        raise InvalidRequestError(f"location {code!r} does not exist", field=field)
    return found
