import pytest

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError, NotFoundError
from orderyard.domain.order import OrderStatus
from orderyard.domain.shipment import ShipmentStatus
from orderyard.services import account as account_service
from orderyard.services import shipment as shipment_service
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, ledger, level, load_order


async def _stocked(make: Factory, on_hand: int = 5) -> int:
    location = await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", on_hand)
    return location.id


async def test_ships_every_allocated_unit_and_the_order_is_shipped(make: Factory) -> None:
    location_id = await _stocked(make)
    placed = await make.order(("SKU-1", 3))

    shipment = await shipment_service.ship_order(
        make.uow(), placed.order_id or 0, tracking_number="1Z999", carrier="UPS"
    )

    assert (shipment.status, shipment.location_id) == (ShipmentStatus.shipped, location_id)
    assert (shipment.tracking_number, shipment.carrier) == ("1Z999", "UPS")
    assert [(ln.line_no, ln.sku, ln.quantity) for ln in shipment.lines] == [(1, "SKU-1", 3)]
    assert (await load_order(make, placed.order_id)).status is OrderStatus.shipped
    assert await level(make, "DC-1", "SKU-1") == (2, 0)
    await assert_ledger_balances(make)


async def test_an_unknown_order_is_not_found_and_nothing_is_written(make: Factory) -> None:
    await _stocked(make)
    before = await ledger(make)

    with pytest.raises(NotFoundError) as caught:
        await shipment_service.ship_order(make.uow(), 999)

    assert (caught.value.field, caught.value.message) == ("order", "order 999 not found")
    assert await count_rows(make, "shipments") == 0
    assert await ledger(make) == before


async def test_a_foreign_accounts_order_is_not_found(make: Factory, engines: Engines) -> None:
    await _stocked(make)
    placed = await make.order(("SKU-1", 1))
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    with pytest.raises(NotFoundError):
        await shipment_service.ship_order(
            Factory(engines, other.account_id).uow(), placed.order_id or 0
        )

    assert await level(make, "DC-1", "SKU-1") == (5, 1)


async def test_a_backordered_order_has_nothing_to_ship_and_nothing_is_written(
    make: Factory,
) -> None:
    await _stocked(make, on_hand=0)
    placed = await make.order(("SKU-1", 2))

    with pytest.raises(InvalidStateTransitionError) as caught:
        await shipment_service.ship_order(make.uow(), placed.order_id or 0)

    assert caught.value.message == "nothing of the order is allocated and free to ship"
    assert await count_rows(make, "shipments") == 0
    assert (await load_order(make, placed.order_id)).status is OrderStatus.backordered


async def test_units_at_several_locations_need_a_location(make: Factory) -> None:
    await _stocked(make, on_hand=1)
    second = await make.location("DC-2", priority=2)
    await make.stock("DC-2", "SKU-1", 5)
    placed = await make.order(("SKU-1", 3))

    with pytest.raises(InvalidRequestError) as caught:
        await shipment_service.ship_order(make.uow(), placed.order_id or 0)
    shipment = await shipment_service.ship_order(
        make.uow(), placed.order_id or 0, location_id=second.id
    )

    assert caught.value.field == "location"
    assert [(ln.sku, ln.quantity) for ln in shipment.lines] == [("SKU-1", 2)]
    assert (await load_order(make, placed.order_id)).status is OrderStatus.partially_shipped
    assert await level(make, "DC-2", "SKU-1") == (3, 0)
    assert await level(make, "DC-1", "SKU-1") == (1, 1)
