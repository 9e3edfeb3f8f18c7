"""Custom fields of orders and lines: checked before anything is written, stored with the order."""

import pytest

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import DataType, FieldValue, NewCustomField
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.services import custom_field as custom_field_service
from orderyard.services import order as order_service
from orderyard.services.order import LineFields, LineInput, OrderRef, PlaceOrder
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows, level
from tests.statements import counted


@pytest.fixture
async def defined(make: Factory, uow: UnitOfWork) -> None:
    """SKU-1 (5 at DC-1); Order field Ref (Text); OrderLineItem field Gift (Boolean)."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    for owner, name, kind in (
        (OwnerType.order, "Ref", DataType.text),
        (OwnerType.order_line, "Gift", DataType.boolean),
    ):
        await custom_field_service.define_custom_field(uow, NewCustomField(owner, name, name, kind))


def command(*, ref: str = "r-1", gift: str | None = "TRUE") -> PlaceOrder:
    return PlaceOrder(
        "N-1",
        (LineInput("SKU-1", 1, custom_fields=(FieldValue("Gift", gift),)),),
        custom_fields=(FieldValue("Ref", ref),),
    )


async def test_placing_with_fields_stores_them_in_the_placements_transaction(
    make: Factory, engines: Engines, uow: UnitOfWork, read_uow: ReadUnitOfWork, defined: None
) -> None:
    with counted(engines.write) as statements:
        [outcome] = await order_service.place_orders(uow, [command()])

    assert outcome.error is None
    assert outcome.order_id is not None
    view, fields = await order_service.get_order_with_fields(
        read_uow, OrderRef("id", outcome.order_id)
    )
    assert [(f.name, f.value) for f in fields.order] == [("Ref", "r-1")]
    assert [(f.name, f.value) for f in fields.lines[view.lines[0].id]] == [("Gift", "true")]
    # the placement's three reads, the two definition reads, the placement, two upserts
    assert statements[:5] == ["SELECT"] * 5
    assert statements[-2:] == ["INSERT", "INSERT"]


async def test_a_refused_line_value_writes_nothing(
    make: Factory, uow: UnitOfWork, defined: None
) -> None:
    [outcome] = await order_service.place_orders(uow, [command(gift="perhaps")])

    assert isinstance(outcome.error, InvalidRequestError)
    assert outcome.error.field == "lines[0].custom_fields[0].value"
    assert await count_rows(make, "orders") == 0
    assert await count_rows(make, "attributes") == 0
    assert await level(make, "DC-1", "SKU-1") == (5, 0)


async def test_a_bulk_placement_keeps_the_valid_order_and_its_fields_only(
    make: Factory, uow: UnitOfWork, defined: None
) -> None:
    bad = PlaceOrder("N-2", (LineInput("SKU-1", 1),), custom_fields=(FieldValue("Nope", "x"),))

    good, refused = await order_service.place_orders(uow, [command(), bad])

    assert good.error is None
    assert refused.error is not None
    assert refused.error.field == "custom_fields[0].name"
    assert await count_rows(make, "orders") == 1
    assert await count_rows(make, "attributes") == 2


async def test_line_fields_name_lines_of_the_order_only(
    make: Factory, uow: UnitOfWork, defined: None
) -> None:
    [placed] = await order_service.place_orders(uow, [PlaceOrder("N-1", (LineInput("SKU-1", 1),))])
    assert placed.order_id is not None
    ref = OrderRef("order_number", "N-1")

    with pytest.raises(InvalidRequestError) as refused:
        await order_service.set_line_custom_fields(
            uow, ref, [LineFields((FieldValue("Gift", "true"),), line_id=10**9)]
        )
    with pytest.raises(NotFoundError):
        await order_service.set_order_custom_fields(
            uow, OrderRef("order_number", "N-9"), [FieldValue("Ref", "x")]
        )

    assert refused.value.field == "line_items[0].line_id"
    assert await count_rows(make, "attributes") == 0
