"""Inventory pools, pool groups and the virtual inventory read: the use cases."""

import pytest
from sqlalchemy import select

from orderyard.domain.errors import (
    ConflictError,
    DuplicateError,
    InvalidRequestError,
    NotFoundError,
)
from orderyard.domain.values import PageRequest
from orderyard.domain.virtual_inventory import Calculation
from orderyard.services import inventory_pools as pools
from orderyard.services import location as location_service
from orderyard.services.inventory_pools import GroupPatch, NewPool, NewPoolGroup, PoolPatch
from orderyard.services.virtual_inventory import PoolFigure, virtual_inventory
from orderyard.store.engine import Engines
from orderyard.store.tables import events
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows

EAST = NewPool("EAST", ["WH1", "WH2"])
HALF = NewPool("HALF", ["WH2"], Calculation(percentage=50, buffer=1), display_name="Half")


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """WH1: A-1 6; WH2: A-1 9. EAST = WH1 + WH2; HALF = 50 % of WH2 minus 1; WEB = both."""
    await make.location("WH1", priority=1)
    await make.location("WH2", priority=2)
    await make.item("A-1")
    await make.stock("WH1", "A-1", 6)
    await make.stock("WH2", "A-1", 9)
    await pools.create_pool(make.uow(), EAST)
    await pools.create_pool(make.uow(), HALF)
    await pools.create_group(make.uow(), NewPoolGroup("WEB", ["HALF", "EAST"]))
    return make


async def event_kinds(engines: Engines) -> list[str]:
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(events.c.kind).where(events.c.kind.like("inventory_pool%")).order_by(events.c.id)
        )
        return [row[0] for row in rows]


async def test_the_read_gives_each_pools_calculated_figure(
    stocked: Factory, read_uow: ReadUnitOfWork
) -> None:
    found = await virtual_inventory(read_uow, ["WEB"], None, PageRequest())

    assert found.items == [
        PoolFigure("WEB", "EAST", "A-1", 15),
        PoolFigure("WEB", "HALF", "A-1", 3),
    ]
    assert (found.total, found.count_is_exact) == (2, True)


async def test_an_allocation_lowers_the_figure_of_every_pool_holding_its_location(
    stocked: Factory, read_uow: ReadUnitOfWork
) -> None:
    await stocked.order(("A-1", 10))  # 6 from WH1, 4 from WH2

    found = await virtual_inventory(read_uow, ["WEB"], ["A-1"], PageRequest())

    assert [row.available for row in found.items] == [5, 1]


async def test_definitions_read_back_as_written(stocked: Factory, engines: Engines) -> None:
    half = await pools.get_pool(stocked.uow(), "HALF")
    web = await pools.get_group(stocked.uow(), "WEB")
    listed = await pools.list_pools(stocked.uow(), PageRequest(1, 1))

    assert (half.display_name, half.location_codes, half.calculation) == (
        "Half",
        ("WH2",),
        Calculation(50, 1),
    )
    assert web.pool_names == ("EAST", "HALF")
    assert ([p.internal_name for p in listed.items], listed.total) == (["EAST"], 2)
    assert await event_kinds(engines) == [
        "inventory_pool_created",
        "inventory_pool_created",
        "inventory_pool_group_created",
    ]


async def test_an_update_checks_the_merged_calculation(stocked: Factory) -> None:
    changed = await pools.update_pool(stocked.uow(), "HALF", PoolPatch(percentage=80))

    with pytest.raises(InvalidRequestError) as refused:
        await pools.update_pool(stocked.uow(), "HALF", PoolPatch(buffer=-1))

    assert changed.calculation == Calculation(80, 1)
    assert refused.value.field == "buffer"
    assert (await pools.get_pool(stocked.uow(), "HALF")).calculation == Calculation(80, 1)


async def test_refusals_write_nothing(stocked: Factory) -> None:
    before = [await count_rows(stocked, t) for t in ("inventory_pools", "inventory_pool_groups")]

    with pytest.raises(DuplicateError):
        await pools.create_pool(stocked.uow(), NewPool("EAST", ["WH1"]))
    with pytest.raises(InvalidRequestError) as unknown:
        await pools.create_pool(stocked.uow(), NewPool("WEST", ["WH9", "WH1", "WH8"]))
    with pytest.raises(InvalidRequestError) as no_pool:
        await pools.update_group(stocked.uow(), "WEB", GroupPatch(pool_names=["NOPE"]))
    with pytest.raises(ConflictError) as held:
        await pools.delete_pool(stocked.uow(), "EAST")
    with pytest.raises(NotFoundError):
        await pools.delete_group(stocked.uow(), "APP")

    assert (unknown.value.field, unknown.value.message) == (
        "location_codes",
        "unknown locations 'WH9', 'WH8'",
    )
    assert no_pool.value.field == "pool_names"
    assert held.value.message == (
        "inventory pool 'EAST' is in pool group 'WEB'; remove it from them first"
    )
    after = [await count_rows(stocked, t) for t in ("inventory_pools", "inventory_pool_groups")]
    assert after == before == [2, 1]
    assert (await pools.get_group(stocked.uow(), "WEB")).pool_names == ("EAST", "HALF")


async def test_a_location_leaves_its_pools_before_it_can_be_deleted(stocked: Factory) -> None:
    await stocked.location("WH3")
    await pools.create_pool(stocked.uow(), NewPool("SPARE", ["WH3"]))

    with pytest.raises(ConflictError) as refused:
        await location_service.delete_location(stocked.uow(), "WH3")
    await pools.update_pool(stocked.uow(), "SPARE", PoolPatch(location_codes=["WH1"]))
    await location_service.delete_location(stocked.uow(), "WH3")

    assert refused.value.message == (
        "location 'WH3' is in inventory pool 'SPARE'; remove it from them first"
    )
    with pytest.raises(InvalidRequestError):
        await pools.update_pool(stocked.uow(), "SPARE", PoolPatch(location_codes=["WH3"]))
