"""The pools repository: scoped to its account, names unique per account, holders found."""

import pytest

from orderyard.domain.errors import DuplicateError
from orderyard.domain.location import NewLocation
from orderyard.domain.values import AccountId, PageRequest
from orderyard.domain.virtual_inventory import Calculation
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def define(uow: UnitOfWork, codes: list[str]) -> None:
    """Pool P over ``codes`` and group G of it, in ``uow``'s account."""
    async with uow:
        ids = await uow.pools.location_ids(codes)
        await uow.pools.add_pool("P", "Pool", Calculation(90, 2), [ids[c] for c in codes])
        pool = (await uow.pools.pools_by_names(["P"]))["P"]
        await uow.pools.add_group("G", "Group", [pool.id])
        await uow.commit()


async def test_another_account_sees_none_of_the_pools_and_may_reuse_their_names(
    make: Factory, engines: Engines
) -> None:
    await make.location("WH1")
    await define(make.uow(), ["WH1"])
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    theirs = UnitOfWork(engines.write, AccountId(other.account_id))
    async with theirs as uow:
        await uow.locations.add(NewLocation(code="WH1", name="theirs"))
        await uow.commit()

    async with UnitOfWork(engines.write, AccountId(other.account_id)) as uow:
        assert await uow.pools.pools_by_names(["P"]) == {}
        assert await uow.pools.groups_by_names(["G"]) == {}
        assert (await uow.pools.pool_page(PageRequest())).items == []
        assert await uow.pools.lock_pool("P") is None
        assert await uow.pools.lock_group("G") is None
    await define(UnitOfWork(engines.write, AccountId(other.account_id)), ["WH1"])
    async with make.uow() as uow:
        [mine] = (await uow.pools.pool_page(PageRequest())).items
        assert (mine.location_codes, mine.calculation) == (("WH1",), Calculation(90, 2))


async def test_holders_are_named_and_a_taken_name_is_a_duplicate(make: Factory) -> None:
    await make.location("WH2")
    await make.location("WH1")
    await define(make.uow(), ["WH2", "WH1"])

    async with make.uow() as uow:
        pool = await uow.pools.lock_pool("P")
        assert pool is not None
        assert pool.location_codes == ("WH1", "WH2")
        assert await uow.pools.groups_of_pool(pool.id) == ["G"]
        assert await uow.pools.pools_of_location(pool.location_ids[0]) == ["P"]
        with pytest.raises(DuplicateError):
            await uow.pools.add_pool("P", "again", Calculation(), [])
        with pytest.raises(DuplicateError):
            await uow.pools.add_group("G", "again", [])
