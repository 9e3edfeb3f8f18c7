"""Where the nearest strategy gets its coordinates: the candidate read and the stored order."""

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from orderyard.domain.allocation.geo import Coordinates
from orderyard.domain.values import Address, AddressPatch
from orderyard.services import account as account_service
from orderyard.services import location as location_service
from orderyard.services import order as order_service
from orderyard.services.order import LineInput, OrderRef, PlaceOrder, UpdateOrder
from orderyard.store.engine import Engines
from orderyard.store.tables import orders
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import ADDRESS, Factory

RENO = Address(city="Reno", latitude=Decimal("39.5296"), longitude=Decimal("-119.8138"))
TORONTO = replace(ADDRESS, latitude=Decimal("43.6532"), longitude=Decimal("-79.3832"))


async def place(make: Factory, number: str, address: Address) -> int:
    command = PlaceOrder(number, (LineInput("SKU-1", 1),), "Pick", address=address)
    [outcome] = await order_service.place_orders(make.uow(), [command])
    assert outcome.order_id is not None, outcome.error
    return outcome.order_id


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """RENO (priority 1, located) and BARE (priority 2, no coordinates), 5 SKU-1 each."""
    command = location_service.CreateLocation(code="RENO", name="Reno", priority=1, address=RENO)
    await location_service.create_location(make.uow(), command)
    await make.location("BARE", priority=2)
    await make.item("SKU-1")
    await make.stock("RENO", "SKU-1", 5)
    await make.stock("BARE", "SKU-1", 5)
    return make


@pytest.mark.parametrize("reach", [None, 5, 6], ids=["every", "first", "two deep"])
async def test_candidates_carry_each_locations_coordinates(
    stocked: Factory, reach: int | None
) -> None:
    async with stocked.uow() as uow:
        item = (await uow.catalog.item_ids(["SKU-1"]))["SKU-1"]
        read = await uow.stock.candidates([item], first_by_priority=reach)

    positions = [c.position for c in sorted(read.by_item[item], key=lambda c: c.priority)]
    reno = Coordinates(39.5296, -119.8138)
    assert positions == ([reno] if reach == 5 else [reno, None])


async def test_an_order_keeps_its_shipping_coordinates(
    stocked: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    order_id = await place(stocked, "N-1", TORONTO)

    async with engines.write.connect() as conn:
        row = (
            await conn.execute(
                select(orders.c.latitude, orders.c.longitude).where(orders.c.id == order_id)
            )
        ).one()
    assert tuple(row) == (Decimal("43.6532"), Decimal("-79.3832"))
    view = await order_service.get_order(read_uow, OrderRef("id", order_id))
    assert view.address == TORONTO


async def test_destinations_are_read_for_orders_with_both_coordinates(
    stocked: Factory, uow: UnitOfWork
) -> None:
    located = await place(stocked, "N-1", TORONTO)
    bare = await place(stocked, "N-2", ADDRESS)
    half = await place(stocked, "N-3", replace(ADDRESS, latitude=Decimal(1)))

    async with uow:
        found = await uow.orders.destinations([located, bare, half])

    assert found == {located: Coordinates(43.6532, -79.3832)}


async def test_another_accounts_order_has_no_destination_here(
    stocked: Factory, engines: Engines
) -> None:
    order_id = await place(stocked, "N-1", TORONTO)
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    async with UnitOfWork(engines.write, other.account_id) as theirs:
        assert await theirs.orders.destinations([order_id]) == {}


async def test_an_update_may_give_the_address_its_coordinates(
    stocked: Factory, uow: UnitOfWork
) -> None:
    order_id = await place(stocked, "N-1", ADDRESS)
    patch = AddressPatch(latitude=Decimal("45.5017"), longitude=Decimal("-73.5673"))

    [outcome] = await order_service.update_orders(
        stocked.uow(), [UpdateOrder(OrderRef("id", order_id), address=patch)]
    )

    assert outcome.error is None
    async with uow:
        assert await uow.orders.destinations([order_id]) == {
            order_id: Coordinates(45.5017, -73.5673)
        }
