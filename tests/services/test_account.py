import pytest

from orderyard.domain.errors import AuthenticationError
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import location as location_service
from orderyard.services.account import KeyCache, NewAccount
from orderyard.services.location import Registry
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def authenticate(engines: Engines, key: str, cache: KeyCache | None = None) -> int:
    return await account_service.authenticate(SystemUnitOfWork(engines.read), key, cache)


def test_the_cache_forgets_an_entry_when_its_time_is_up() -> None:
    clock = Clock()
    cache = KeyCache(5, clock=clock)
    cache.put("digest", account_service.AccountId(1))

    clock.now += 4.9
    kept = cache.get("digest")
    clock.now += 0.1
    gone = cache.get("digest")

    assert (kept, gone) == (1, None)


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = KeyCache(0)
    cache.put("digest", account_service.AccountId(1))

    assert cache.get("digest") is None


def test_a_full_cache_starts_over_rather_than_growing() -> None:
    cache = KeyCache(5, max_entries=2)
    for n in range(3):
        cache.put(f"digest-{n}", account_service.AccountId(n))

    assert [cache.get(f"digest-{n}") for n in range(3)] == [None, None, 2]


async def test_a_rotated_key_works_until_its_cache_entry_expires(
    engines: Engines, account: NewAccount
) -> None:
    clock = Clock()
    cache = KeyCache(5, clock=clock)
    await authenticate(engines, account.key, cache)
    await account_service.rotate_key(SystemUnitOfWork(engines.write), account.account_id)

    still = await authenticate(engines, account.key, cache)
    clock.now += 5
    with pytest.raises(AuthenticationError):
        await authenticate(engines, account.key, cache)

    assert still == account.account_id


async def test_a_wrong_key_is_checked_every_time_and_never_cached(
    engines: Engines, account: NewAccount
) -> None:
    cache = KeyCache(5)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            await authenticate(engines, "wrong", cache)

    assert cache.get(account_service.hash_api_key("wrong")) is None


async def test_a_deactivated_account_is_refused_once_its_entry_expires(
    engines: Engines, account: NewAccount
) -> None:
    clock = Clock()
    cache = KeyCache(5, clock=clock)
    await authenticate(engines, account.key, cache)
    await account_service.set_active(
        SystemUnitOfWork(engines.write), account.account_id, active=False
    )

    clock.now += 5

    with pytest.raises(AuthenticationError):
        await authenticate(engines, account.key, cache)


async def test_the_key_alone_names_its_account(engines: Engines, account: NewAccount) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")

    found = [await authenticate(engines, key) for key in (account.key, other.key)]

    assert found == [account.account_id, other.account_id]


async def test_an_unknown_key_is_refused_in_the_core_s_words(
    engines: Engines, account: NewAccount
) -> None:
    with pytest.raises(AuthenticationError) as refused:
        await authenticate(engines, account.key + "x")

    assert (refused.value.message, refused.value.field) == (account_service.UNKNOWN_KEY, None)


async def test_a_verified_key_is_cached_by_its_digest_alone(
    engines: Engines, account: NewAccount
) -> None:
    cache = KeyCache(5)

    await authenticate(engines, account.key, cache)

    assert cache.get(account_service.hash_api_key(account.key)) == account.account_id


async def test_a_rotated_key_is_refused_at_once_without_a_cache_and_the_new_one_works(
    engines: Engines, account: NewAccount
) -> None:
    await authenticate(engines, account.key)
    rotated = await account_service.rotate_key(SystemUnitOfWork(engines.write), account.account_id)

    with pytest.raises(AuthenticationError):
        await authenticate(engines, account.key)

    assert await authenticate(engines, rotated.key) == account.account_id


async def test_an_inactive_account_s_key_is_refused_and_not_cached(
    engines: Engines, account: NewAccount
) -> None:
    cache = KeyCache(5)
    await account_service.set_active(
        SystemUnitOfWork(engines.write), account.account_id, active=False
    )

    with pytest.raises(AuthenticationError) as refused:
        await authenticate(engines, account.key, cache)

    assert refused.value.message == account_service.UNKNOWN_KEY
    assert cache.get(account_service.hash_api_key(account.key)) is None


async def test_a_new_account_registers_only_the_names_it_is_given(engines: Engines) -> None:
    bare = await account_service.create_account(SystemUnitOfWork(engines.write), "Bare")
    seeded = await account_service.create_account(
        SystemUnitOfWork(engines.write), "Seeded", shipping_methods=("Pick",), channels=("Web",)
    )

    names = [
        (
            await registered(engines, created.account_id, Registry.shipping_methods),
            await registered(engines, created.account_id, Registry.channels),
        )
        for created in (bare, seeded)
    ]

    assert names == [([], []), (["Pick"], ["Web"])]


async def registered(engines: Engines, account_id: AccountId, registry: Registry) -> list[str]:
    uow = UnitOfWork(engines.write, account_id, actor="test")
    found = await location_service.list_names(uow, registry, PageRequest(page=1, per_page=100))
    return [record.name for record in found.items]
