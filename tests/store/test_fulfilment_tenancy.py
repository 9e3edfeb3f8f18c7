"""Shipments, returns, replenishments and manufacture orders are invisible to other accounts."""

from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import manufacture as manufacture_service
from orderyard.services import replenishment as replenishment_service
from orderyard.services import returns as returns_service
from orderyard.services.manufacture import CreateManufactureOrder
from orderyard.services.replenishment import CreateReplenishment, ReplenishmentItem
from orderyard.services.returns import CreateReturn, ReturnItem
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def test_fulfilment_records_are_invisible_to_another_account(
    make: Factory, engines: Engines
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.kit("KIT", ("SKU-1", 1))
    await make.stock("DC-1", "SKU-1", 5)
    placed = await make.order(("SKU-1", 2))
    order_id = placed.order_id or 0
    shipment_id = await make.ship(order_id, (1, 1))
    [ret] = await returns_service.create_returns(
        make.uow(), [CreateReturn(order_id, (ReturnItem("SKU-1", 1),))]
    )
    [rep] = await replenishment_service.create_replenishments(
        make.uow(), [CreateReplenishment("DC-1", (ReplenishmentItem("SKU-1", 1),))]
    )
    built = await manufacture_service.create_manufacture_order(
        make.uow(), CreateManufactureOrder("KIT", 1, "DC-1")
    )
    other = AccountId(
        (await account_service.create_account(SystemUnitOfWork(engines.write), "Other")).account_id
    )

    async with UnitOfWork(engines.write, other) as uow:
        assert await uow.shipments.get(shipment_id) is None
        assert await uow.shipments.order_id_of(shipment_id) is None
        assert await uow.shipments.of_order(order_id) == []
        assert await uow.shipments.claimed(order_id) == {}
        assert await uow.returns.load(ret.return_id or 0) is None
        assert await uow.returns.order_id_of(ret.return_id or 0) is None
        assert await uow.replenishments.load(rep.replenishment_id or 0) is None
        assert await uow.manufacture_orders.load(built.id) is None
    async with ReadUnitOfWork(engines.read, other) as read:
        assert await read.returns.get(ret.return_id or 0) is None
        assert (await read.returns.page(PageRequest())).total == 0
        assert await read.replenishments.get(rep.replenishment_id or 0) is None
        assert (await read.replenishments.page(PageRequest())).total == 0
        assert await read.manufacture_orders.get(built.id) is None
        assert (await read.manufacture_orders.page(PageRequest())).total == 0
    async with make.uow() as own:
        assert await own.shipments.get(shipment_id) is not None
        assert await own.returns.load(ret.return_id or 0) is not None
