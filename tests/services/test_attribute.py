import pytest
from sqlalchemy import select

from orderyard.domain.attribute import Attribute, OwnerType
from orderyard.domain.errors import DuplicateError, InvalidRequestError, NotFoundError
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import attribute as attribute_service
from orderyard.services.attribute import OwnerRef
from orderyard.store.engine import Engines
from orderyard.store.tables import attributes, events
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def stored(engines: Engines) -> list[tuple[str, int, str, str]]:
    """(owner_type, owner_id, name, value) of every stored attribute."""
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(
                attributes.c.owner_type,
                attributes.c.owner_id,
                attributes.c.name,
                attributes.c.value,
            ).order_by(attributes.c.id)
        )
        return [(row[0], row[1], row[2], row[3]) for row in rows]


async def events_of(engines: Engines) -> list[tuple[str, str, int]]:
    async with engines.read.connect() as conn:
        rows = await conn.execute(
            select(events.c.kind, events.c.record_type, events.c.record_id)
            .where(events.c.kind.like("attribute_%"))
            .order_by(events.c.id)
        )
        return [(row[0], row[1], row[2]) for row in rows]


async def create(make: Factory, owner: OwnerRef, *pairs: tuple[str, str]) -> None:
    outcomes = await attribute_service.create_attributes(
        make.uow(), owner, [Attribute(n, v) for n, v in pairs]
    )
    assert all(o.error is None for o in outcomes), outcomes


class TestCreateAttributes:
    async def test_creates_attributes_on_an_order(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")
        order = await make.order(("SKU-1", 1))
        order_id = order.order_id or 0

        outcomes = await attribute_service.create_attributes(
            uow,
            OwnerRef(OwnerType.order, str(order_id)),
            [Attribute("custom_field", "custom_value"), Attribute("gift", "")],
        )

        assert [(o.name, o.value, o.error) for o in outcomes] == [
            ("custom_field", "custom_value", None),
            ("gift", "", None),
        ]
        assert await stored(engines) == [
            ("order", order_id, "custom_field", "custom_value"),
            ("order", order_id, "gift", ""),
        ]
        assert await events_of(engines) == [
            ("attribute_created", "order", order_id),
            ("attribute_created", "order", order_id),
        ]

    async def test_an_item_is_named_by_id_or_by_sku(self, make: Factory, engines: Engines) -> None:
        item_id = await make.item("PROD-001")

        await create(make, OwnerRef(OwnerType.item, str(item_id)), ("a", "1"))
        await create(make, OwnerRef(OwnerType.item, "PROD-001"), ("b", "2"))

        assert await stored(engines) == [("item", item_id, "a", "1"), ("item", item_id, "b", "2")]

    async def test_an_existing_name_is_refused_and_keeps_its_value(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        owner = OwnerRef(OwnerType.item, "SKU-1")
        await create(make, owner, ("color", "red"))

        outcomes = await attribute_service.create_attributes(
            make.uow(), owner, [Attribute("color", "blue"), Attribute("size", "L")]
        )

        assert isinstance(outcomes[0].error, DuplicateError)
        assert outcomes[0].error.message == (
            "attribute 'color' already exists, use PATCH to change it"
        )
        assert outcomes[0].error.field == "attribute"
        assert outcomes[1].error is None
        assert await stored(engines) == [
            ("item", item_id, "color", "red"),
            ("item", item_id, "size", "L"),
        ]

    async def test_a_name_given_twice_in_one_call_keeps_the_first(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")

        outcomes = await attribute_service.create_attributes(
            uow, OwnerRef(OwnerType.item, "SKU-1"), [Attribute("a", "1"), Attribute("a", "2")]
        )

        assert [type(o.error) for o in outcomes] == [type(None), DuplicateError]
        assert await stored(engines) == [("item", item_id, "a", "1")]

    @pytest.mark.parametrize(
        ("attribute", "field"),
        [
            (Attribute("", "x"), "attribute"),
            (Attribute("n" * 101, "x"), "attribute"),
            (Attribute("n", "v" * 4001), "value"),
        ],
    )
    async def test_bad_names_and_values_are_refused_and_nothing_is_written(
        self, make: Factory, uow: UnitOfWork, engines: Engines, attribute: Attribute, field: str
    ) -> None:
        await make.item("SKU-1")

        [outcome] = await attribute_service.create_attributes(
            uow, OwnerRef(OwnerType.item, "SKU-1"), [attribute]
        )

        assert isinstance(outcome.error, InvalidRequestError)
        assert outcome.error.field == field
        assert await stored(engines) == []

    @pytest.mark.parametrize(
        ("owner_type", "key"),
        [
            (OwnerType.order, "999"),
            (OwnerType.order, "ORD-1"),
            (OwnerType.item, "NOPE"),
            (OwnerType.item, "999"),
            (OwnerType.serial, "999"),
            (OwnerType.serial, "SN1"),
            (OwnerType.order, "99999999999999999999"),
        ],
    )
    async def test_a_missing_owner_is_not_found_and_nothing_is_written(
        self, make: Factory, uow: UnitOfWork, engines: Engines, owner_type: OwnerType, key: str
    ) -> None:
        await make.item("SKU-1")
        await make.serials("SKU-1", "SN1")

        with pytest.raises(NotFoundError) as raised:
            await attribute_service.create_attributes(
                uow, OwnerRef(owner_type, key), [Attribute("a", "1")]
            )

        assert raised.value.message == f"{owner_type} {key!r} not found"
        assert raised.value.field == "owner"
        assert await stored(engines) == []

    async def test_an_owner_of_another_account_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        order = await make.order(("SKU-1", 1))
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        theirs = UnitOfWork(engines.write, AccountId(other.account_id))

        for owner in (
            OwnerRef(OwnerType.order, str(order.order_id)),
            OwnerRef(OwnerType.item, str(item_id)),
            OwnerRef(OwnerType.item, "SKU-1"),
        ):
            with pytest.raises(NotFoundError):
                await attribute_service.create_attributes(theirs, owner, [Attribute("a", "1")])

        assert await stored(engines) == []


class TestUpdateAttributes:
    async def test_replaces_the_value_of_an_existing_attribute(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        owner = OwnerRef(OwnerType.item, "SKU-1")
        await create(make, owner, ("color", "red"))

        [outcome] = await attribute_service.update_attributes(
            make.uow(), owner, [Attribute("color", "blue")]
        )

        assert (outcome.name, outcome.value, outcome.error) == ("color", "blue", None)
        assert await stored(engines) == [("item", item_id, "color", "blue")]
        assert [kind for kind, _, _ in await events_of(engines)] == [
            "attribute_created",
            "attribute_updated",
        ]

    async def test_a_missing_attribute_is_refused_not_created(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        owner = OwnerRef(OwnerType.item, "SKU-1")
        await create(make, owner, ("color", "red"))

        outcomes = await attribute_service.update_attributes(
            make.uow(), owner, [Attribute("size", "L"), Attribute("color", "blue")]
        )

        assert isinstance(outcomes[0].error, NotFoundError)
        assert outcomes[0].error.message == "attribute 'size' does not exist, use POST to create it"
        assert outcomes[0].error.field == "attribute"
        assert outcomes[1].error is None
        assert await stored(engines) == [("item", item_id, "color", "blue")]

    async def test_when_every_attribute_fails_nothing_is_written(
        self, make: Factory, uow: UnitOfWork, engines: Engines
    ) -> None:
        await make.item("SKU-1")

        outcomes = await attribute_service.update_attributes(
            uow, OwnerRef(OwnerType.item, "SKU-1"), [Attribute("a", "1"), Attribute("", "2")]
        )

        assert [type(o.error) for o in outcomes] == [NotFoundError, InvalidRequestError]
        assert await stored(engines) == []
        assert await events_of(engines) == []


class TestDeleteAttribute:
    async def test_deletes_the_attribute_and_returns_its_last_value(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        owner = OwnerRef(OwnerType.item, "SKU-1")
        await create(make, owner, ("color", "red"), ("size", "L"))

        deleted = await attribute_service.delete_attribute(make.uow(), owner, "color")

        assert deleted == Attribute("color", "red")
        assert await stored(engines) == [("item", item_id, "size", "L")]
        assert (await events_of(engines))[-1] == ("attribute_deleted", "item", item_id)

    async def test_an_unknown_attribute_is_not_found_and_nothing_is_deleted(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        owner = OwnerRef(OwnerType.item, "SKU-1")
        await create(make, owner, ("color", "red"))

        with pytest.raises(NotFoundError) as raised:
            await attribute_service.delete_attribute(make.uow(), owner, "Color")

        assert (raised.value.message, raised.value.field) == (
            "attribute 'Color' not found",
            "attribute",
        )
        assert await stored(engines) == [("item", item_id, "color", "red")]

    async def test_a_blank_name_is_refused(self, make: Factory, uow: UnitOfWork) -> None:
        await make.item("SKU-1")

        with pytest.raises(InvalidRequestError) as raised:
            await attribute_service.delete_attribute(uow, OwnerRef(OwnerType.item, "SKU-1"), "")

        assert raised.value.field == "attribute"

    async def test_an_owner_of_another_account_is_not_found_and_keeps_its_attribute(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        await create(make, OwnerRef(OwnerType.item, "SKU-1"), ("color", "red"))
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        with pytest.raises(NotFoundError) as raised:
            await attribute_service.delete_attribute(
                UnitOfWork(engines.write, AccountId(other.account_id)),
                OwnerRef(OwnerType.item, str(item_id)),
                "color",
            )

        assert raised.value.field == "owner"
        assert await stored(engines) == [("item", item_id, "color", "red")]


class TestListAttributes:
    async def test_pages_the_owners_attributes_by_name(
        self, make: Factory, engines: Engines, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")
        owner = OwnerRef(OwnerType.item, "SKU-1")
        await create(make, owner, ("c", "3"), ("a", "1"), ("b", "2"))

        page = await attribute_service.list_attributes(read_uow, owner, PageRequest(2, 2))

        assert [(a.name, a.value) for a in page.items] == [("c", "3")]
        assert (page.total, page.total_pages) == (3, 2)

    async def test_an_owner_without_attributes_has_an_empty_page(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await make.item("SKU-1")

        page = await attribute_service.list_attributes(
            read_uow, OwnerRef(OwnerType.item, "SKU-1"), PageRequest(1, 20)
        )

        assert (page.items, page.total, page.total_pages) == ([], 0, 0)

    async def test_a_missing_owner_is_not_found(self, read_uow: ReadUnitOfWork) -> None:
        with pytest.raises(NotFoundError) as raised:
            await attribute_service.list_attributes(
                read_uow, OwnerRef(OwnerType.order, "1"), PageRequest(1, 20)
            )

        assert raised.value.message == "order '1' not found"
