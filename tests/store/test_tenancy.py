"""Nothing of one account is visible to another."""

from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def test_repositories_see_only_their_own_account(make: Factory, engines: Engines) -> None:
    location = await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 4)
    placed = await make.order(("SKU-1", 1))
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    async with UnitOfWork(engines.write, AccountId(other.account_id)) as uow:
        assert await uow.locations.find(location.id) is None
        assert await uow.locations.find_by_code("DC-1") is None
        assert await uow.catalog.find_item("SKU-1") is None
        assert await uow.catalog.resolve(["SKU-1"]) == {}
        assert await uow.orders.load(placed.order_id or 0) is None
        assert await uow.orders.find_id("order_number", "ORD-1") is None
        assert await uow.stock.all_levels() == {}
        assert await uow.stock.ledger_totals() == {}
