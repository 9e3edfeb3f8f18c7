"""Item locations: one SKU at one location, as the owner of custom field values.

An item location is the pair a stock level is kept for, but it needs no stock level to carry
custom fields: a field can describe where a SKU is to be stocked before any unit arrives.

One request may name an item location in several entries. They apply in the order given, as
separate requests would: a later value of a name replaces an earlier one, ``None`` (clear)
included, and names not given stay as they are.
"""

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

from orderyard.domain.custom_field import FieldValue

Key = TypeVar("Key", bound=Hashable)


def merge_entries(
    entries: Iterable[tuple[Key, Sequence[FieldValue]]],
) -> dict[Key, dict[str, str | None]]:
    """Each owner's checked values, by name, after every entry naming it, in order.

    Owners keep the order of their first entry; an owner whose entries name no field is kept
    with no values (it is read back, nothing is written for it).
    """
    merged: dict[Key, dict[str, str | None]] = {}
    for key, values in entries:
        named = merged.setdefault(key, {})
        for given in values:
            named[given.name] = given.value
    return merged
