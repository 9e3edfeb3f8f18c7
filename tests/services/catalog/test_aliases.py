from typing import Any

import pytest

from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.order import OrderStatus
from orderyard.domain.values import PageRequest
from orderyard.services import account as account_service
from orderyard.services import catalog as catalog_service
from orderyard.services import location as location_service
from orderyard.services.catalog import CreateAlias, UpdateAlias
from orderyard.services.location import Registry
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def aliases(
    read_uow: ReadUnitOfWork, *, channel_id: int | None = None, location: str | None = None
) -> list[tuple[str, str]]:
    page = await catalog_service.list_aliases(
        read_uow, PageRequest(per_page=100), channel_id=channel_id, location=location
    )
    return [(v.alias.alias, v.alias.sku) for v in page.items]


async def web_channel(make: Factory) -> int:
    record = await location_service.register_name(make.uow(), Registry.channels, "Web")
    return record.id


class TestCreateAliases:
    async def test_an_alias_records_its_item_channel_and_location(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        item_id = await make.item("MUG-1")
        channel = await web_channel(make)

        [outcome] = await catalog_service.create_aliases(
            uow, [CreateAlias("AMZ-MUG", "MUG-1", channel_id=channel, location="DC-1")]
        )

        assert outcome.error is None
        view = await catalog_service.get_alias(read_uow, "AMZ-MUG")
        assert (view.alias.item_id, view.alias.sku, view.alias.channel_id) == (
            item_id,
            "MUG-1",
            channel,
        )
        assert view.location_code == "DC-1"

    @pytest.mark.parametrize(
        ("_case", "command", "error", "field", "message"),
        [
            (
                "unknown SKU",
                CreateAlias("EXT-2", "NOPE"),
                InvalidRequestError,
                "sku",
                "SKU 'NOPE' does not exist",
            ),
            (
                "duplicate alias",
                CreateAlias("EXT-1", "MUG-2"),
                DuplicateError,
                "alias",
                "alias 'EXT-1' already exists",
            ),
            (
                "alias that is a SKU",
                CreateAlias("MUG-2", "MUG-1"),
                DuplicateError,
                "alias",
                "alias 'MUG-2' is already a SKU; an alias cannot shadow an item",
            ),
            (
                "unregistered channel",
                CreateAlias("EXT-2", "MUG-1", channel_id=999),
                InvalidRequestError,
                "channel.id",
                "channel id 999 is not registered",
            ),
            (
                "unregistered distribution center",
                CreateAlias("EXT-2", "MUG-1", location="DC-9"),
                InvalidRequestError,
                "location",
                "location 'DC-9' is not registered",
            ),
        ],
    )
    async def test_refuses_an_alias_and_writes_nothing_of_it(
        self,
        make: Factory,
        uow: UnitOfWork,
        read_uow: ReadUnitOfWork,
        _case: str,
        command: CreateAlias,
        error: type[Exception],
        field: str,
        message: str,
    ) -> None:
        await make.item("MUG-1")
        await make.item("MUG-2")
        await catalog_service.create_aliases(make.uow(), [CreateAlias("EXT-1", "MUG-1")])

        [outcome] = await catalog_service.create_aliases(uow, [command])

        assert isinstance(outcome.error, error)
        assert (outcome.error.field, outcome.error.message) == (field, message)
        assert await aliases(read_uow) == [("EXT-1", "MUG-1")]

    async def test_bulk_keeps_valid_aliases_and_reports_failing_ones(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("MUG-1")

        outcomes = await catalog_service.create_aliases(
            uow,
            [CreateAlias("A", "MUG-1"), CreateAlias("A", "MUG-1"), CreateAlias("B", "MUG-1")],
        )

        assert [o.error is None for o in outcomes] == [True, False, True]
        assert await aliases(read_uow) == [("A", "MUG-1"), ("B", "MUG-1")]


class TestUpdateAliases:
    async def test_retargets_the_sku_and_clears_the_channel_and_location(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("MUG-1")
        await make.item("MUG-2")
        channel = await web_channel(make)
        await catalog_service.create_aliases(
            make.uow(), [CreateAlias("EXT", "MUG-1", channel_id=channel, location="DC-1")]
        )

        [outcome] = await catalog_service.update_aliases(
            uow, [UpdateAlias("EXT", sku="MUG-2", channel_id=0, location="")]
        )

        assert outcome.error is None
        view = await catalog_service.get_alias(read_uow, "EXT")
        assert (view.alias.sku, view.alias.channel_id, view.location_code) == ("MUG-2", None, "")

    async def test_absent_fields_are_kept(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("MUG-1")
        await make.item("MUG-2")
        await catalog_service.create_aliases(
            make.uow(), [CreateAlias("EXT", "MUG-1", location="DC-1")]
        )

        await catalog_service.update_aliases(uow, [UpdateAlias("EXT", sku="MUG-2")])

        view = await catalog_service.get_alias(read_uow, "EXT")
        assert (view.alias.sku, view.location_code) == ("MUG-2", "DC-1")

    async def test_an_unknown_alias_is_not_found(self, uow: UnitOfWork) -> None:
        [outcome] = await catalog_service.update_aliases(uow, [UpdateAlias("NOPE", sku="X")])

        assert isinstance(outcome.error, NotFoundError)
        assert outcome.error.field == "alias"

    async def test_an_unknown_target_leaves_the_alias_as_it_was(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("MUG-1")
        await catalog_service.create_aliases(make.uow(), [CreateAlias("EXT", "MUG-1")])

        [outcome] = await catalog_service.update_aliases(uow, [UpdateAlias("EXT", sku="NOPE")])

        assert isinstance(outcome.error, InvalidRequestError)
        assert await aliases(read_uow) == [("EXT", "MUG-1")]


class TestListAliases:
    async def test_filters_by_channel_and_by_location(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("MUG-1")
        channel = await web_channel(make)
        await catalog_service.create_aliases(
            make.uow(),
            [
                CreateAlias("PLAIN", "MUG-1"),
                CreateAlias("SHOP", "MUG-1", channel_id=channel),
                CreateAlias("DC", "MUG-1", location="DC-1"),
            ],
        )

        assert await aliases(read_uow) == [("PLAIN", "MUG-1"), ("SHOP", "MUG-1"), ("DC", "MUG-1")]
        assert await aliases(read_uow, channel_id=channel) == [("SHOP", "MUG-1")]
        assert await aliases(read_uow, location="DC-1") == [("DC", "MUG-1")]

    @pytest.mark.parametrize(
        ("_case", "filters", "field"),
        [
            ("unregistered channel", {"channel_id": 999}, "channel.id"),
            ("unregistered location", {"location": "DC-9"}, "location"),
        ],
    )
    async def test_an_unregistered_filter_is_refused(
        self, read_uow: ReadUnitOfWork, _case: str, filters: dict[str, Any], field: str
    ) -> None:
        with pytest.raises(InvalidRequestError) as raised:
            await aliases(read_uow, **filters)

        assert raised.value.field == field

    async def test_another_accounts_alias_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        await make.item("MUG-1")
        await catalog_service.create_aliases(make.uow(), [CreateAlias("EXT", "MUG-1")])
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError):
            await catalog_service.get_alias(ReadUnitOfWork(engines.read, other.account_id), "EXT")


async def test_an_order_naming_an_alias_allocates_the_internal_sku(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await make.location("DC-1")
    await make.item("MUG-1")
    await make.stock("DC-1", "MUG-1", 5)
    await catalog_service.create_aliases(make.uow(), [CreateAlias("AMZ-MUG", "MUG-1")])

    outcome = await make.order(("AMZ-MUG", 2))

    assert outcome.status is OrderStatus.allocated
    async with make.uow() as uow:
        order = await uow.orders.load(outcome.order_id or 0)
    assert order is not None
    assert [(ln.sku, ln.requested_sku, ln.allocated) for ln in order.lines] == [
        ("MUG-1", "AMZ-MUG", 2)
    ]
    stock = await catalog_service.stock_levels(read_uow, PageRequest(), sku="MUG-1")
    assert (stock.items[0].total.on_hand, stock.items[0].total.allocated) == (5, 2)
