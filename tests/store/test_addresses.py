"""Addresses in the store: the core's names map onto migration 0001's columns, both ways.

The ``orders`` and ``locations`` columns keep ShipEdge's names (``address1``, ``state``,
``zip``...); the repositories map them explicitly, so these tests read the columns directly.
"""

from decimal import Decimal

from sqlalchemy import select

from orderyard.domain.values import Address, AddressPatch
from orderyard.services import location as location_service
from orderyard.services import order as order_service
from orderyard.services.order import LineInput, OrderRef, PlaceOrder, UpdateOrder
from orderyard.store.engine import Engines
from orderyard.store.tables import locations, orders
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory

PLACE = Address(
    first_name="Jane",
    last_name="Smith",
    company="Tecsys",
    line1="123 Bloor St",
    line2="Apt 1",
    city="Toronto",
    region="ON",
    postal_code="L4K1L6",
    country_code="CA",
    phone="416-555-0100",
    email="jane@example.com",
)
"""Every field a different value, so that two crossed fields would show."""
ORDER_COLUMNS = (
    orders.c.firstname,
    orders.c.lastname,
    orders.c.company,
    orders.c.address1,
    orders.c.address2,
    orders.c.city,
    orders.c.state,
    orders.c.zip,
    orders.c.country,
    orders.c.phone,
    orders.c.email,
)


async def _placed(make: Factory) -> int:
    """The id of a new order of one SKU-1 shipped to ``PLACE``."""
    await make.location("DC-1")
    await make.item("SKU-1")
    command = PlaceOrder("N-1", (LineInput("SKU-1", 1),), "Pick", address=PLACE)
    [outcome] = await order_service.place_orders(make.uow(), [command])
    assert outcome.order_id is not None
    return outcome.order_id


async def _order_columns(engines: Engines, order_id: int) -> tuple[object, ...]:
    async with engines.write.connect() as conn:
        row = (await conn.execute(select(*ORDER_COLUMNS).where(orders.c.id == order_id))).one()
    return tuple(row)


async def test_a_location_keeps_its_street_region_postal_code_country_and_coordinates(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    address = Address(
        line1="1 Dock Rd",
        city="Reno",
        region="NV",
        postal_code="89501",
        country_code="US",
        latitude=Decimal("39.5296"),
        longitude=Decimal("-119.8138"),
    )
    command = location_service.CreateLocation(code="DC-1", name="Reno", address=address)

    created = await location_service.create_location(make.uow(), command)

    async with engines.write.connect() as conn:
        row = (
            await conn.execute(
                select(
                    locations.c.address1,
                    locations.c.city,
                    locations.c.state,
                    locations.c.zip,
                    locations.c.country,
                    locations.c.latitude,
                    locations.c.longitude,
                ).where(locations.c.id == created.id)
            )
        ).one()
    assert tuple(row) == (
        "1 Dock Rd",
        "Reno",
        "NV",
        "89501",
        "US",
        Decimal("39.5296"),
        Decimal("-119.8138"),
    )
    assert created.address == address
    assert (await location_service.get_location(read_uow, created.id)).address == address


async def test_a_location_without_coordinates_reads_back_none(make: Factory) -> None:
    location = await make.location("DC-1")

    assert (location.address.latitude, location.address.longitude) == (None, None)


async def test_an_order_keeps_each_address_field_in_its_column(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    order_id = await _placed(make)

    assert await _order_columns(engines, order_id) == (
        "Jane",
        "Smith",
        "Tecsys",
        "123 Bloor St",
        "Apt 1",
        "Toronto",
        "ON",
        "L4K1L6",
        "CA",
        "416-555-0100",
        "jane@example.com",
    )
    view = await order_service.get_order(read_uow, OrderRef("id", order_id))
    assert view.address == PLACE


async def test_an_address_patch_writes_only_the_fields_it_gives(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    order_id = await _placed(make)
    patch = AddressPatch(region="QC", postal_code="H2X1Y4", line2="")

    [updated] = await order_service.update_orders(
        make.uow(), [UpdateOrder(OrderRef("id", order_id), address=patch)]
    )

    assert updated.error is None
    view = await order_service.get_order(read_uow, OrderRef("id", order_id))
    assert view.address == patch.apply(PLACE)
    assert (await _order_columns(engines, order_id))[4:8] == ("", "Toronto", "QC", "H2X1Y4")


async def test_an_empty_address_patch_changes_no_address_column(
    make: Factory, engines: Engines
) -> None:
    order_id = await _placed(make)
    before = await _order_columns(engines, order_id)

    [updated] = await order_service.update_orders(
        make.uow(), [UpdateOrder(OrderRef("id", order_id), notes="leave at the door")]
    )

    assert updated.error is None
    assert await _order_columns(engines, order_id) == before
