"""Custom fields of item locations (one SKU at one location), checked against their metadata.

The values live in the one attribute store, owned by an ``item_locations`` row that is made
when a pair is first given a value. Stock is not touched: a pair without a stock level takes
values as any other, and no level or ledger movement is created for it (docs/decisions.md,
"Item-location custom fields").
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.attribute import Attribute, OwnerType, StoredAttribute
from orderyard.domain.custom_field import CustomField, FieldValue, check_values
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.item_location import merge_entries
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

ITEMS_MAX = 1000
"""Most entries one write of item-location custom fields may have."""

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class ItemLocationFields:
    """Custom field values to set on one SKU at one location (named by its code)."""

    sku: str
    location: str
    values: Sequence[FieldValue]


@dataclass(frozen=True, slots=True)
class ItemLocationValues:
    """The custom field values one SKU holds at one location, by name."""

    sku: str
    location: str
    values: list[StoredAttribute]


async def set_item_location_custom_fields(
    uow: UnitOfWork, changes: Sequence[ItemLocationFields]
) -> list[ItemLocationValues]:
    """Set custom field values of item locations: all of them, or (on any refusal) none.

    A value replaces the field's value; ``None`` clears it; fields not named stay. A pair named
    in several entries takes them in order (``domain/item_location.py``). Answers each pair
    named, once, in the order first named, as it reads after the change.

    Raises:
        InvalidRequestError: no entry or too many (``changes``), an unknown SKU
            (``changes[0].sku``) or location (``changes[0].location``), a field that is not
            defined for item locations, given twice in one entry, or a value its definition
            refuses (``changes[0].custom_fields[1].value``).
    """
    if not changes or len(changes) > ITEMS_MAX:
        raise InvalidRequestError(
            f"changes must have 1 to {ITEMS_MAX} entries (got {len(changes)})", field="changes"
        )
    async with uow:
        item_ids = await uow.catalog.item_ids(change.sku for change in changes)
        location_ids = await uow.locations.ids_by_code(change.location for change in changes)
        names = {value.name for change in changes for value in change.values}
        definitions = await uow.custom_fields.by_names(OwnerType.item_location, names)
        merged = merge_entries(
            _checked(index, change, items=item_ids, locations=location_ids, fields=definitions)
            for index, change in enumerate(changes)
        )
        owners = await _owners(uow, merged)
        for pair in sorted(merged):
            if pair in owners and merged[pair]:
                await _write(uow, owners[pair], merged[pair])
        stored = await uow.attributes.values_of(OwnerType.item_location, list(owners.values()))
        await uow.commit()
    named = dict.fromkeys((change.sku, change.location) for change in changes)
    return [
        ItemLocationValues(sku, code, _values(stored, owners, (item_ids[sku], location_ids[code])))
        for sku, code in named
    ]


def _checked(
    index: int,
    change: ItemLocationFields,
    *,
    items: dict[str, int],
    locations: dict[str, int],
    fields: dict[str, CustomField],
) -> tuple[Pair, list[FieldValue]]:
    """One entry's pair and its values as kept; the first refusal names the entry's field."""
    at = f"changes[{index}]"
    item_id = items.get(change.sku)
    if item_id is None:
        raise InvalidRequestError(f"unknown SKU {change.sku!r}", field=f"{at}.sku")
    location_id = locations.get(change.location)
    if location_id is None:
        raise InvalidRequestError(f"unknown location {change.location!r}", field=f"{at}.location")
    kept = check_values(fields, change.values, field=f"{at}.custom_fields")
    return (item_id, location_id), kept


async def _owners(uow: UnitOfWork, merged: dict[Pair, dict[str, str | None]]) -> dict[Pair, int]:
    """The owner ids of the pairs: new ones made for the pairs a value is set on.

    A pair that is only cleared, or named with no field, and never had a value, gets none:
    it has nothing to clear.
    """
    owners = await uow.attributes.item_location_ids(merged)
    setting = [
        pair
        for pair, values in merged.items()
        if pair not in owners and any(value is not None for value in values.values())
    ]
    if setting:
        owners |= await uow.attributes.add_item_locations(setting)
    return owners


async def _write(uow: UnitOfWork, owner_id: int, values: dict[str, str | None]) -> None:
    """Store one item location's checked values and record the change."""
    kind = OwnerType.item_location
    written = [Attribute(name, value) for name, value in values.items() if value is not None]
    if written:
        await uow.attributes.set_on_many(kind, [owner_id], written)
    await uow.attributes.remove_names(
        kind, owner_id, [name for name, value in values.items() if value is None]
    )
    await uow.events.record(
        "custom_fields_set", "item_location", owner_id, {"names": sorted(values)}
    )


def _values(
    stored: dict[int, list[StoredAttribute]], owners: dict[Pair, int], pair: Pair
) -> list[StoredAttribute]:
    owner = owners.get(pair)
    return [] if owner is None else stored.get(owner, [])


async def get_item_location_custom_fields(
    uow: ReadUnitOfWork, sku: str, location: str
) -> ItemLocationValues:
    """The custom field values of one SKU at one location (none when never given any).

    Raises:
        NotFoundError: the SKU or the location does not exist in this account (a deleted
            location included), naming ``sku`` or ``location``.
    """
    async with uow:
        item_id = (await uow.stock.item_ids([sku])).get(sku)
        if item_id is None:
            raise NotFoundError(f"SKU {sku!r} not found", field="sku")
        location_id = (await uow.locations.ids_by_code([location])).get(location)
        if location_id is None:
            raise NotFoundError(f"location {location!r} not found", field="location")
        owners = await uow.attributes.item_location_ids([(item_id, location_id)])
        stored = await uow.attributes.values_of(OwnerType.item_location, list(owners.values()))
    return ItemLocationValues(sku, location, _values(stored, owners, (item_id, location_id)))
