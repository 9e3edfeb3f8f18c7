"""Custom field metadata and location custom fields: the use cases, on a real database."""

import pytest
from sqlalchemy import select

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import DataType, FieldValue, NewCustomField
from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.values import PageRequest
from orderyard.services import custom_field as service
from orderyard.services.custom_field import LocationFields
from orderyard.store.engine import Engines
from orderyard.store.tables import events
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows

ZONE = NewCustomField(OwnerType.location, "Zone", "Pick zone", DataType.list, True, ("A", "B"))
DOCK = NewCustomField(OwnerType.location, "Dock", "", DataType.integer)


async def event_kinds(engines: Engines) -> list[str]:
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(events.c.kind).where(events.c.kind.like("custom_field%")).order_by(events.c.id)
        )
        return [row[0] for row in rows]


async def test_definitions_are_listed_by_owner_type_and_fetched_by_name(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    zone = await service.define_custom_field(make.uow(), ZONE)
    dock = await service.define_custom_field(make.uow(), DOCK)
    await service.define_custom_field(
        make.uow(), NewCustomField(OwnerType.item, "Zone", "", DataType.text)
    )

    listed = await service.list_custom_fields(read_uow, OwnerType.location, PageRequest(1, 1))
    named = await service.get_custom_fields(
        read_uow, OwnerType.location, ["Zone", "Nope", "Dock", "Zone"], PageRequest()
    )

    assert (listed.items, listed.total) == ([dock], 2)
    assert (named.items, named.total) == ([zone, dock], 2)
    assert dock.display_name == "Dock"
    assert zone.allowed_values == ("A", "B")


async def test_a_duplicate_definition_is_refused_and_the_first_stays(
    make: Factory, engines: Engines
) -> None:
    await service.define_custom_field(make.uow(), ZONE)

    with pytest.raises(DuplicateError) as raised:
        await service.define_custom_field(make.uow(), ZONE)

    assert raised.value.field == "system_name"
    assert await count_rows(make, "custom_fields") == 1
    assert await event_kinds(engines) == ["custom_field_defined"]


async def test_deleting_a_definition_keeps_stored_values(make: Factory) -> None:
    await make.location("WH1")
    await service.define_custom_field(make.uow(), DOCK)
    await service.set_location_custom_fields(
        make.uow(), [LocationFields("WH1", [FieldValue("Dock", "3")])]
    )

    await service.delete_custom_field(make.uow(), OwnerType.location, "Dock")

    with pytest.raises(NotFoundError):
        await service.delete_custom_field(make.uow(), OwnerType.location, "Dock")
    assert await count_rows(make, "custom_fields") == 0
    assert await count_rows(make, "attributes") == 1


async def test_location_values_are_checked_canonical_and_recorded(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    await make.location("WH1")
    await service.define_custom_field(make.uow(), ZONE)
    await service.define_custom_field(make.uow(), DOCK)

    [written] = await service.set_location_custom_fields(
        make.uow(), [LocationFields("WH1", [FieldValue("Zone", "B"), FieldValue("Dock", "+04")])]
    )
    read = await service.get_location_custom_fields(read_uow, ["WH1"], PageRequest())

    assert [(v.name, v.value) for v in written.values] == [("Dock", "4"), ("Zone", "B")]
    assert read.items == [written]
    assert (await event_kinds(engines))[-1] == "custom_fields_set"


async def test_a_refused_value_writes_nothing_for_any_location(make: Factory) -> None:
    await make.location("WH1")
    await make.location("WH2")
    await service.define_custom_field(make.uow(), DOCK)
    changes = [
        LocationFields("WH1", [FieldValue("Dock", "1")]),
        LocationFields("WH2", [FieldValue("Dock", "one")]),
    ]

    with pytest.raises(InvalidRequestError) as raised:
        await service.set_location_custom_fields(make.uow(), changes)

    assert raised.value.field == "items[1].custom_fields[0].value"
    assert await count_rows(make, "attributes") == 0
