"""Item-location custom fields: the use cases, on a real database."""

import pytest
from sqlalchemy import select

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import DataType, FieldValue, NewCustomField
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.services import custom_field as custom_field_service
from orderyard.services import item_location as service
from orderyard.services.item_location import ITEMS_MAX, ItemLocationFields
from orderyard.store.engine import Engines
from orderyard.store.tables import events
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows, level

FACING = NewCustomField(
    OwnerType.item_location, "Facing", "", DataType.list, True, ("Front", "Back")
)
MIN_DISPLAY = NewCustomField(OwnerType.item_location, "MinDisplay", "", DataType.integer)
UNTOUCHED = ("attributes", "item_locations", "stock_levels", "inventory_movements")


@pytest.fixture
async def place(make: Factory) -> None:
    await make.location("WH1")
    await make.location("WH2")
    await make.item("A-1")
    await make.stock("WH1", "A-1", 5)
    for definition in (FACING, MIN_DISPLAY):
        await custom_field_service.define_custom_field(make.uow(), definition)


async def recorded(engines: Engines) -> list[tuple[str, str]]:
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(events.c.kind, events.c.record_type)
            .where(events.c.kind == "custom_fields_set")
            .order_by(events.c.id)
        )
        return [(row[0], row[1]) for row in rows]


async def counts(make: Factory) -> dict[str, int]:
    return {table: await count_rows(make, table) for table in UNTOUCHED}


@pytest.mark.usefixtures("place")
async def test_values_are_checked_kept_canonical_read_back_and_recorded(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    [written] = await service.set_item_location_custom_fields(
        make.uow(),
        [
            ItemLocationFields(
                "A-1", "WH1", [FieldValue("MinDisplay", "+03"), FieldValue("Facing", "Back")]
            )
        ],
    )
    read = await service.get_item_location_custom_fields(read_uow, "A-1", "WH1")

    assert [(v.name, v.value) for v in written.values] == [("Facing", "Back"), ("MinDisplay", "3")]
    assert read == written
    assert await recorded(engines) == [("custom_fields_set", "item_location")]


@pytest.mark.usefixtures("place")
async def test_a_pair_without_a_stock_level_gets_values_but_no_level(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    before = await counts(make)

    await service.set_item_location_custom_fields(
        make.uow(), [ItemLocationFields("A-1", "WH2", [FieldValue("MinDisplay", "1")])]
    )

    assert await counts(make) == {**before, "attributes": 1, "item_locations": 1}
    assert await level(make, "WH2", "A-1") == (0, 0)
    found = await service.get_item_location_custom_fields(read_uow, "A-1", "WH2")
    assert [(v.name, v.value) for v in found.values] == [("MinDisplay", "1")]


@pytest.mark.usefixtures("place")
@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (ItemLocationFields("NOPE", "WH1", []), "changes[1].sku"),
        (ItemLocationFields("A-1", "NOPE", []), "changes[1].location"),
        (
            ItemLocationFields("A-1", "WH2", [FieldValue("Facing", "Up")]),
            "changes[1].custom_fields[0].value",
        ),
        (
            ItemLocationFields("A-1", "WH2", [FieldValue("Colour", "red")]),
            "changes[1].custom_fields[0].name",
        ),
        (
            ItemLocationFields("A-1", "WH2", [FieldValue("Facing", None)]),
            "changes[1].custom_fields[0].value",
        ),
    ],
)
async def test_a_refusal_names_its_entry_and_writes_nothing(
    make: Factory, engines: Engines, bad: ItemLocationFields, field: str
) -> None:
    good = ItemLocationFields("A-1", "WH1", [FieldValue("Facing", "Front")])
    before = await counts(make)

    with pytest.raises(InvalidRequestError) as raised:
        await service.set_item_location_custom_fields(make.uow(), [good, bad])

    assert raised.value.field == field
    assert await counts(make) == before
    assert await recorded(engines) == []


@pytest.mark.parametrize("size", [0, ITEMS_MAX + 1])
async def test_no_entry_or_too_many_is_refused(make: Factory, size: int) -> None:
    changes = [ItemLocationFields("A-1", "WH1", [])] * size

    with pytest.raises(InvalidRequestError) as raised:
        await service.set_item_location_custom_fields(make.uow(), changes)

    assert raised.value.field == "changes"


@pytest.mark.usefixtures("place")
@pytest.mark.parametrize(
    ("sku", "location", "field"), [("NOPE", "WH1", "sku"), ("A-1", "NOPE", "location")]
)
async def test_reading_an_unknown_sku_or_location_is_not_found(
    read_uow: ReadUnitOfWork, sku: str, location: str, field: str
) -> None:
    with pytest.raises(NotFoundError) as raised:
        await service.get_item_location_custom_fields(read_uow, sku, location)

    assert raised.value.field == field


@pytest.mark.usefixtures("place")
async def test_a_failed_write_keeps_the_values_already_there(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await service.set_item_location_custom_fields(
        make.uow(), [ItemLocationFields("A-1", "WH1", [FieldValue("MinDisplay", "1")])]
    )

    with pytest.raises(InvalidRequestError):
        await service.set_item_location_custom_fields(
            make.uow(),
            [
                ItemLocationFields("A-1", "WH1", [FieldValue("MinDisplay", None)]),
                ItemLocationFields("A-1", "WH2", [FieldValue("MinDisplay", "x")]),
            ],
        )

    found = await service.get_item_location_custom_fields(read_uow, "A-1", "WH1")
    assert [(v.name, v.value) for v in found.values] == [("MinDisplay", "1")]
