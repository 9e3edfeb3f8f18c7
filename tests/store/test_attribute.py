"""AttributeRepository and AttributeQueries on the real backends."""

import pytest

from orderyard.domain.attribute import Attribute, OwnerKey, OwnerType, StoredAttribute
from orderyard.domain.errors import DuplicateError
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def values_of(
    read_uow: ReadUnitOfWork, owner_type: OwnerType, owner_id: int, per_page: int = 50
) -> list[tuple[str, str]]:
    async with read_uow:
        page = await read_uow.attributes.page(owner_type, owner_id, PageRequest(1, per_page))
    return [(a.name, a.value) for a in page.items]


class TestFindOwner:
    async def test_finds_each_kind_of_owner_by_id(self, make: Factory) -> None:
        item_id = await make.item("SKU-1")
        order = await make.order(("SKU-1", 1))
        [serial_id] = await make.serials("SKU-1", "SN1")

        async with make.uow() as uow:
            found = [
                await uow.attributes.find_owner(OwnerType.order, OwnerKey(order.order_id, None)),
                await uow.attributes.find_owner(OwnerType.item, OwnerKey(item_id, None)),
                await uow.attributes.find_owner(OwnerType.serial, OwnerKey(serial_id, None)),
            ]

        assert found == [order.order_id, item_id, serial_id]

    async def test_an_item_is_found_by_sku_first_then_by_id(self, make: Factory) -> None:
        first = await make.item("SKU-1")
        second = await make.item("SKU-2")
        numeric = await make.item(str(first))

        async with make.uow() as uow:
            find = uow.attributes.find_owner
            by_sku = await find(OwnerType.item, OwnerKey(None, "SKU-2"))
            sku_over_id = await find(OwnerType.item, OwnerKey(first, str(first)))
            by_id = await find(OwnerType.item, OwnerKey(second, str(second)))
            missing = await find(OwnerType.item, OwnerKey(None, "NOPE"))

        assert (by_sku, sku_over_id, by_id, missing) == (second, numeric, second, None)

    async def test_an_id_of_another_kind_of_owner_is_not_found(self, make: Factory) -> None:
        item_id = await make.item("SKU-1")

        async with make.uow() as uow:
            found = await uow.attributes.find_owner(OwnerType.order, OwnerKey(item_id, None))

        assert found is None

    async def test_another_accounts_owner_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        item_id = await make.item("SKU-1")
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

        async with UnitOfWork(engines.write, AccountId(other.account_id)) as uow:
            found = await uow.attributes.find_owner(OwnerType.item, OwnerKey(item_id, "SKU-1"))

        assert found is None


class TestWrites:
    async def test_adding_a_name_twice_raises_duplicate_and_keeps_the_first_value(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        item_id = await make.item("SKU-1")

        async with make.uow() as uow:
            await uow.attributes.add(OwnerType.item, item_id, Attribute("color", "red"))
            with pytest.raises(DuplicateError) as raised:
                await uow.attributes.add(OwnerType.item, item_id, Attribute("color", "blue"))
            await uow.commit()

        assert raised.value.field == "attribute"
        assert await values_of(read_uow, OwnerType.item, item_id) == [("color", "red")]

    async def test_the_same_name_on_two_owner_types_with_one_id_is_two_attributes(
        self, make: Factory, engines: Engines, account: account_service.NewAccount
    ) -> None:
        item_id = await make.item("SKU-1")

        async with make.uow() as uow:
            await uow.attributes.add(OwnerType.item, item_id, Attribute("note", "item"))
            await uow.attributes.add(OwnerType.serial, item_id, Attribute("note", "serial"))
            await uow.commit()

        for owner_type, value in ((OwnerType.item, "item"), (OwnerType.serial, "serial")):
            reader = ReadUnitOfWork(engines.read, account.account_id)
            assert await values_of(reader, owner_type, item_id) == [("note", value)]

    async def test_update_and_remove_report_a_missing_attribute(self, make: Factory) -> None:
        item_id = await make.item("SKU-1")

        async with make.uow() as uow:
            updated = await uow.attributes.update(OwnerType.item, item_id, Attribute("x", "1"))
            removed = await uow.attributes.remove(OwnerType.item, item_id, "x")

        assert (updated, removed) == (False, None)

    async def test_remove_returns_the_last_value(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        item_id = await make.item("SKU-1")
        async with make.uow() as uow:
            await uow.attributes.add(OwnerType.item, item_id, Attribute("color", "red"))
            await uow.attributes.update(OwnerType.item, item_id, Attribute("color", "green"))
            removed = await uow.attributes.remove(OwnerType.item, item_id, "color")
            await uow.commit()

        assert removed == "green"
        assert await values_of(read_uow, OwnerType.item, item_id) == []

    async def test_set_on_many_creates_and_replaces_values(
        self, make: Factory, engines: Engines, account: account_service.NewAccount
    ) -> None:
        await make.item("SKU-1")
        first, second = await make.serials("SKU-1", "SN1", "SN2")
        async with make.uow() as uow:
            await uow.attributes.add(OwnerType.serial, first, Attribute("lot", "OLD"))
            await uow.commit()

        async with make.uow() as uow:
            await uow.attributes.set_on_many(
                OwnerType.serial, [second, first], [Attribute("lot", "L2"), Attribute("exp", "E")]
            )
            await uow.commit()

        for serial_id in (first, second):
            reader = ReadUnitOfWork(engines.read, account.account_id)
            assert await values_of(reader, OwnerType.serial, serial_id) == [
                ("exp", "E"),
                ("lot", "L2"),
            ]


class TestPage:
    async def test_pages_by_name_in_code_point_order_with_exact_totals(
        self, make: Factory, engines: Engines, account: account_service.NewAccount
    ) -> None:
        item_id = await make.item("SKU-1")
        async with make.uow() as uow:
            for name in ("b", "A", "a", "B", "_"):
                await uow.attributes.add(OwnerType.item, item_id, Attribute(name, name * 2))
            await uow.commit()

        pages = []
        for number in (1, 2, 3):
            reader = ReadUnitOfWork(engines.read, account.account_id)
            async with reader:
                pages.append(
                    await reader.attributes.page(OwnerType.item, item_id, PageRequest(number, 2))
                )

        assert [[a.name for a in p.items] for p in pages] == [["A", "B"], ["_", "a"], ["b"]]
        assert [(p.total, p.total_pages, p.count_is_exact) for p in pages] == [(5, 3, True)] * 3
        first = pages[0].items[0]
        assert isinstance(first, StoredAttribute)
        assert first.value == "AA"
        assert first.created_at.utcoffset() is not None

    async def test_a_page_holds_only_the_owners_attributes(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        first = await make.item("SKU-1")
        second = await make.item("SKU-2")
        async with make.uow() as uow:
            await uow.attributes.add(OwnerType.item, first, Attribute("a", "1"))
            await uow.attributes.add(OwnerType.item, second, Attribute("b", "2"))
            await uow.attributes.add(OwnerType.order, first, Attribute("c", "3"))
            await uow.commit()

        assert await values_of(read_uow, OwnerType.item, first) == [("a", "1")]


@pytest.mark.postgres
async def test_pages_keep_code_point_order_under_a_linguistic_collation(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork
) -> None:
    alter = "ALTER TABLE attributes ALTER COLUMN name TYPE varchar(100) COLLATE {}"
    async with engines.write.begin() as conn:
        await conn.exec_driver_sql(alter.format('"en-x-icu"'))
    try:
        item_id = await make.item("SKU-1")
        async with make.uow() as uow:
            for name in ("b", "A", "a", "B", "_"):
                await uow.attributes.add(OwnerType.item, item_id, Attribute(name, ""))
            await uow.commit()

        names = [name for name, _ in await values_of(read_uow, OwnerType.item, item_id)]

        assert names == ["A", "B", "_", "a", "b"]
    finally:
        async with engines.write.begin() as conn:
            await conn.exec_driver_sql(alter.format('"default"'))
