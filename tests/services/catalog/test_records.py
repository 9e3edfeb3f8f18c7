"""Products, OrderDynamics item records, their deletion and site prices, as services."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from orderyard.domain.attribute import Attribute
from orderyard.domain.catalog import ItemDetails
from orderyard.domain.errors import (
    ConflictError,
    DuplicateError,
    InvalidRequestError,
    NotFoundError,
)
from orderyard.domain.pricing import PriceTerms
from orderyard.domain.values import PageRequest
from orderyard.services import catalog as catalog_service
from orderyard.services.catalog import pricing, products, records
from orderyard.store.engine import Engines
from orderyard.store.tables import events
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows


async def kinds(engines: Engines) -> list[str]:
    async with engines.read.connect() as conn:
        rows = await conn.execute(select(events.c.kind).order_by(events.c.id))
        return [row[0] for row in rows]


class TestProducts:
    async def test_create_update_delete_are_logged(self, make: Factory, engines: Engines) -> None:
        await products.create_product(make.uow(), products.NewProduct("RUN", "Runner"))
        changed = await products.update_product(
            make.uow(), products.ProductChanges("RUN", description="Shoes")
        )
        await products.delete_product(make.uow(), backend_name="RUN")

        assert (changed.name, changed.description) == ("Runner", "Shoes")
        assert await kinds(engines) == ["product_created", "product_updated", "product_deleted"]

    async def test_a_duplicate_backend_name_names_it(self, make: Factory) -> None:
        await products.create_product(make.uow(), products.NewProduct("RUN", "Runner"))

        with pytest.raises(DuplicateError) as refused:
            await products.create_product(make.uow(), products.NewProduct("RUN", "Other"))

        assert refused.value.field == "product_backend_name"


class TestItemRecords:
    async def test_an_item_record_is_an_item_of_the_shared_catalog(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await products.create_product(make.uow(), products.NewProduct("RUN", "Runner"))
        command = catalog_service.CreateItem(
            "A-1", ItemDetails(description="Runner", retail=Decimal("9.5")), product="RUN"
        )
        parts = records.ItemParts(("Shoes",), (Attribute("Color", "Blue"),))

        await records.create_item_record(make.uow(), command, parts)

        view = await catalog_service.get_item(read_uow, "A-1")
        loads = records.ItemLoads(attributes=True, categories=True)
        record = await records.get_item_record(read_uow, "A-1", loads)
        assert (view.item.details.retail, record.product_backend_name) == (Decimal("9.5"), "RUN")
        assert record.categories == ["Shoes"]
        assert [(a.name, a.value) for a in record.attributes or []] == [("Color", "Blue")]

    async def test_a_failing_part_writes_nothing(self, make: Factory) -> None:
        command = catalog_service.CreateItem("A-1")

        with pytest.raises(InvalidRequestError) as refused:
            await records.create_item_record(
                make.uow(), command, records.ItemParts(categories=("x" * 201,))
            )

        assert refused.value.field == "categories[0]"
        assert await count_rows(make, "items") == 0

    async def test_a_kit_component_cannot_be_deleted_but_the_kit_can(self, make: Factory) -> None:
        await make.item("PART")
        await make.kit("KIT", ("PART", 2))

        with pytest.raises(ConflictError) as refused:
            await records.delete_item(make.uow(), "PART")
        await records.delete_item(make.uow(), "KIT")

        assert "component" in refused.value.message
        assert await count_rows(make, "kit_components") == 0
        assert await count_rows(make, "items") == 1

    async def test_deleting_an_item_takes_its_aliases_and_logs_it(
        self, make: Factory, engines: Engines
    ) -> None:
        await make.item("A-1")
        await catalog_service.create_aliases(
            make.uow(), [catalog_service.CreateAlias(alias="EXT-1", sku="A-1")]
        )

        await records.delete_item(make.uow(), "A-1")

        assert await count_rows(make, "aliases") == 0
        assert (await kinds(engines))[-1] == "item_deleted"

    async def test_an_item_on_an_open_order_cannot_be_deleted(self, make: Factory) -> None:
        await make.location("WH1")
        await make.item("A-1")
        await make.stock("WH1", "A-1", 1)
        await make.order(("A-1", 1))

        with pytest.raises(ConflictError) as refused:
            await records.delete_item(make.uow(), "A-1")

        assert refused.value.message == "SKU 'A-1' is on open orders and cannot be deleted"

    async def test_an_unknown_sku_is_not_found(self, make: Factory) -> None:
        with pytest.raises(NotFoundError):
            await records.delete_item(make.uow(), "NOPE")


class TestPricing:
    async def test_prices_are_one_per_channel_and_replaced_whole(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("A-1")
        await make.channel("Web")
        first = PriceTerms(Decimal(10), "USD", Decimal(8))
        await pricing.set_site_price(make.uow(), pricing.SetSitePrice("A-1", "Web", first))

        await pricing.set_site_price(
            make.uow(), pricing.SetSitePrice("A-1", "Web", PriceTerms(Decimal(12), "EUR"))
        )

        found = await pricing.site_prices(read_uow, pricing.PriceQuery("A-1"), PageRequest())
        assert [p.terms for p in found.items] == [PriceTerms(Decimal(12), "EUR")]

    async def test_an_unregistered_channel_names_it_and_writes_nothing(self, make: Factory) -> None:
        await make.item("A-1")

        with pytest.raises(InvalidRequestError) as refused:
            await pricing.set_site_price(
                make.uow(), pricing.SetSitePrice("A-1", "Web", PriceTerms(Decimal(1), "USD"))
            )

        assert refused.value.field == "channel"
        assert await count_rows(make, "item_prices") == 0
