"""SerialRepository on the real backends: ranges, duplicates, tenant scope."""

import pytest
from sqlalchemy import func, select

from orderyard.domain.errors import DuplicateError
from orderyard.domain.serial import serial_range
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.tables import serials
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork
from tests.factories import Factory


async def stored_serials(engines: Engines) -> list[str]:
    async with engines.read.connect() as conn:
        rows = await conn.execute(select(serials.c.serial).order_by(serials.c.id))
        return list(rows.scalars())


async def in_range(make: Factory, item_id: int, start: str, end: str) -> list[str]:
    async with make.uow() as uow:
        ids = await uow.serials.ids_in_range(item_id, serial_range(start, end))
        rows = await uow.conn.execute(
            select(serials.c.id, serials.c.serial).where(serials.c.id.in_(ids))
        )
        by_id: dict[int, str] = {row[0]: row[1] for row in rows}
    return [by_id[i] for i in ids]


async def test_add_returns_ids_in_the_order_given(make: Factory, engines: Engines) -> None:
    item_id = await make.item("SKU-1")

    async with make.uow() as uow:
        ids = await uow.serials.add(item_id, ["SN3", "SN1", "SN2"])
        await uow.commit()

    assert ids == sorted(ids)
    assert await stored_serials(engines) == ["SN3", "SN1", "SN2"]


async def test_adding_a_stored_serial_raises_duplicate_and_adds_none_of_the_batch(
    make: Factory, engines: Engines
) -> None:
    item_id = await make.item("SKU-1")
    await make.serials("SKU-1", "SN1")

    async with make.uow() as uow:
        with pytest.raises(DuplicateError):
            await uow.serials.add(item_id, ["SN0", "SN1"])
        await uow.commit()

    assert await stored_serials(engines) == ["SN1"]


async def test_existing_names_only_the_items_own_serials(make: Factory) -> None:
    first = await make.item("SKU-1")
    await make.item("SKU-2")
    await make.serials("SKU-1", "SN1", "SN2")
    await make.serials("SKU-2", "SN3")

    async with make.uow() as uow:
        found = await uow.serials.existing(first, ["SN2", "SN3", "SN9"])

    assert found == {"SN2"}


async def test_a_numeric_range_is_matched_by_number_within_the_prefix(make: Factory) -> None:
    item_id = await make.item("SKU-1")
    await make.serials(
        "SKU-1", "SN001", "SN002", "SN010", "SN100", "SN101", "SN1000", "XX005", "SN", "SN7"
    )

    assert await in_range(make, item_id, "SN001", "SN100") == [
        "SN001",
        "SN002",
        "SN010",
        "SN100",
        "SN7",
    ]


async def test_an_all_digit_range_matches_all_digit_serials(make: Factory) -> None:
    item_id = await make.item("SKU-1")
    await make.serials("SKU-1", "5", "0010", "11", "A5")

    assert await in_range(make, item_id, "1", "10") == ["5", "0010"]


async def test_a_text_range_follows_code_point_order_on_every_backend(make: Factory) -> None:
    item_id = await make.item("SKU-1")
    await make.serials("SKU-1", "a", "B", "Z", "_", "é", "AZ", "ZZ")

    assert await in_range(make, item_id, "A", "Z") == ["B", "Z", "AZ"]
    assert await in_range(make, item_id, "Z", "b") == ["a", "Z", "_", "ZZ"]


async def test_a_range_sees_only_the_items_serials(make: Factory) -> None:
    first = await make.item("SKU-1")
    await make.item("SKU-2")
    await make.serials("SKU-1", "SN1")
    await make.serials("SKU-2", "SN2")

    assert await in_range(make, first, "SN1", "SN9") == ["SN1"]


async def test_another_account_sees_none_of_the_serials(make: Factory, engines: Engines) -> None:
    item_id = await make.item("SKU-1")
    await make.serials("SKU-1", "SN1", "SN2")
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    async with UnitOfWork(engines.write, AccountId(other.account_id)) as uow:
        assert await uow.serials.existing(item_id, ["SN1"]) == set()
        assert await uow.serials.ids_in_range(item_id, serial_range("SN1", "SN2")) == []
        count = (await uow.conn.execute(select(func.count()).select_from(serials))).scalar()
    assert count == 2


@pytest.mark.postgres
async def test_text_ranges_keep_code_point_order_under_a_linguistic_collation(
    make: Factory, engines: Engines
) -> None:
    """Production databases often default to a linguistic collation ('a' < 'B' < 'é' < 'Z')."""
    alter = "ALTER TABLE serials ALTER COLUMN serial TYPE varchar(100) COLLATE {}"
    async with engines.write.begin() as conn:
        await conn.exec_driver_sql(alter.format('"en-x-icu"'))
    try:
        item_id = await make.item("SKU-1")
        await make.serials("SKU-1", "a", "B", "Z", "_", "é", "AZ", "ZZ")

        assert await in_range(make, item_id, "A", "Z") == ["B", "Z", "AZ"]
        assert await in_range(make, item_id, "A", "a") == ["a", "B", "Z", "_", "AZ", "ZZ"]
    finally:
        async with engines.write.begin() as conn:
            await conn.exec_driver_sql(alter.format('"default"'))
