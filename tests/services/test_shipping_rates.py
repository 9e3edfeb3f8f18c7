"""Shipping rate services: defining rates and quoting an order from the database."""

import asyncio
from decimal import Decimal

import pytest

from orderyard.domain.catalog import ItemDetails
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import AccountId, Address, PageRequest
from orderyard.services import catalog as catalog_service
from orderyard.services import order as order_service
from orderyard.services import shipping_rates as service
from orderyard.services.order import LineInput, OrderRef, PlaceOrder
from orderyard.services.shipping_rates import ShippingRateSpec, Tier
from orderyard.store.engine import create_engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows

D = Decimal
PICK = ShippingRateSpec(
    "US-PICK", "Pick", "us", "usd",
    (Tier(D(12), min_weight=D(10)), Tier(D(5), max_weight=D(10))),
)  # fmt: skip


async def test_a_rate_is_stored_with_its_tiers_in_order(make: Factory, uow: UnitOfWork) -> None:
    rate, created = await service.set_shipping_rate(uow, PICK)

    again = await service.get_shipping_rate(make.uow(), "US-PICK")
    assert created
    assert again == rate
    assert [t.price for t in rate.spec.tiers] == [D(5), D(12)]
    assert (rate.spec.country_code, rate.spec.currency) == ("US", "USD")


async def test_an_unregistered_method_is_refused_and_nothing_is_written(make: Factory) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        await service.set_shipping_rate(
            make.uow(), ShippingRateSpec("R", "Drone", "US", "USD", (Tier(D(1)),))
        )

    assert refused.value.field == "shipping_method"
    assert await count_rows(make, "shipping_rates") == 0


async def test_an_order_is_quoted_by_its_weight_and_subtotal(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    details = ItemDetails(description="Lamp", weight=D("4.5"))
    await catalog_service.create_items(
        make.uow(), [catalog_service.CreateItem(sku="LAMP", details=details)]
    )
    await service.set_shipping_rate(make.uow(), PICK)
    address = Address(region="CA", postal_code="90001", country_code="US")
    [placed] = await order_service.place_orders(
        make.uow(),
        [PlaceOrder("Q-1", (LineInput("LAMP", 3, D(10), discount=D(4)),), "Pick", address)],
    )
    assert placed.order_id is not None

    found = await service.quote_order(read_uow, OrderRef("id", placed.order_id), PageRequest())

    assert (found.parcel.weight, found.parcel.subtotal) == (D("13.5"), D(26))
    assert [(q.rate.spec.backend_name, q.price) for q in found.quotes.items] == [("US-PICK", D(12))]


async def test_an_unknown_order_is_not_found(read_uow: ReadUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        await service.quote_order(read_uow, OrderRef("order_number", "NOPE"), PageRequest())


@pytest.mark.postgres
async def test_racing_creates_of_one_name_store_one_rate_with_one_set_of_tiers(
    make: Factory, db_url: str
) -> None:
    engines = create_engines(db_url, pool_size=6)
    try:
        outcomes = await asyncio.gather(
            *(
                service.set_shipping_rate(
                    UnitOfWork(engines.write, AccountId(make.account_id), actor="test"), PICK
                )
                for _ in range(6)
            )
        )
    finally:
        await engines.dispose()

    assert sorted(created for _, created in outcomes) == [False] * 5 + [True]
    assert await count_rows(make, "shipping_rates") == 1
    assert await count_rows(make, "shipping_rate_tiers") == 2
