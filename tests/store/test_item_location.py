"""Item-location owner ids (``store/repositories/item_location.py``) on the real backends."""

import asyncio

import pytest

from orderyard.domain.attribute import Attribute, OwnerType
from orderyard.domain.values import AccountId
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.repositories import item_location
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows


async def pairs(make: Factory, *codes: str) -> list[tuple[int, int]]:
    """(item, location) ids of SKU-1 and SKU-2 at each of ``codes``, made here."""
    items = [await make.item("SKU-1"), await make.item("SKU-2")]
    places = [(await make.location(code)).id for code in codes]
    return [(item, place) for item in items for place in places]


async def test_pairs_get_an_id_once_and_keep_it(make: Factory) -> None:
    a, b, c, _ = await pairs(make, "WH1", "WH2")

    async with make.uow() as uow:
        first = await uow.attributes.add_item_locations([a, b])
        again = await uow.attributes.add_item_locations([b, c, c])
        known = await uow.attributes.item_location_ids([a, b, c])
        await uow.commit()

    assert again[b] == first[b]
    assert known == {a: first[a], b: first[b], c: again[c]}
    assert len(set(known.values())) == 3
    assert await count_rows(make, "item_locations") == 3


async def test_a_pair_never_given_an_id_is_absent(make: Factory, read_uow: ReadUnitOfWork) -> None:
    a, b = await pairs(make, "WH1")
    async with make.uow() as uow:
        made = await uow.attributes.add_item_locations([a])
        await uow.commit()

    async with read_uow:
        found = await read_uow.attributes.item_location_ids([a, b])
        nothing = await read_uow.attributes.item_location_ids([])

    assert (found, nothing) == ({a: made[a]}, {})


async def test_pairs_beyond_one_chunk_are_all_given_ids_and_read_back(
    make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = await pairs(make, "WH1", "WH2", "WH3")
    monkeypatch.setattr(item_location, "CHUNK", 2)

    async with make.uow() as uow:
        made = await uow.attributes.add_item_locations(given)
        read = await uow.attributes.item_location_ids(given)
        await uow.commit()

    assert sorted(made) == sorted(given)
    assert read == made


async def test_another_accounts_ids_are_its_own(make: Factory, engines: Engines) -> None:
    [a, _] = await pairs(make, "WH1")
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    foreign = UnitOfWork(engines.write, AccountId(other.account_id), actor="test")
    async with make.uow() as uow:
        await uow.attributes.add_item_locations([a])
        await uow.commit()

    async with foreign as uow:
        seen = await uow.attributes.item_location_ids([a])

    assert seen == {}


async def test_two_writers_of_one_new_pair_share_its_id(make: Factory) -> None:
    [a, _] = await pairs(make, "WH1")
    first_added = asyncio.Event()

    async def first() -> int:
        async with make.uow() as uow:
            made = await uow.attributes.add_item_locations([a])
            first_added.set()
            await asyncio.sleep(0.2)
            await uow.commit()
        return made[a]

    async def second() -> int:
        await first_added.wait()
        async with make.uow() as uow:
            made = await uow.attributes.add_item_locations([a])
            await uow.commit()
        return made[a]

    ids = await asyncio.gather(first(), second())

    assert ids[0] == ids[1]
    assert await count_rows(make, "item_locations") == 1


async def test_values_owned_by_a_pair_are_read_by_its_id(make: Factory) -> None:
    [a, b] = await pairs(make, "WH1")
    async with make.uow() as uow:
        owners = await uow.attributes.add_item_locations([a, b])
        await uow.attributes.set_on_many(
            OwnerType.item_location, [owners[a]], [Attribute("Aisle", "4")]
        )
        values = await uow.attributes.values_of(OwnerType.item_location, list(owners.values()))
        await uow.commit()

    assert {owner: [(v.name, v.value) for v in found] for owner, found in values.items()} == {
        owners[a]: [("Aisle", "4")]
    }
