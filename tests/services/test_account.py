import pytest

from orderyard.domain.errors import AuthenticationError
from orderyard.services import account as account_service
from orderyard.services.account import KeyCache, NewAccount
from orderyard.store.engine import Engines
from orderyard.store.uow import SystemUnitOfWork


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def authenticate(engines: Engines, account_id: int, key: str, cache: KeyCache) -> int:
    return await account_service.authenticate_key(
        SystemUnitOfWork(engines.read), account_id, key, cache
    )


def test_the_cache_forgets_an_entry_when_its_time_is_up() -> None:
    clock = Clock()
    cache = KeyCache(5, clock=clock)
    cache.put(1, "digest", account_service.AccountId(1))

    clock.now += 4.9
    kept = cache.get(1, "digest")
    clock.now += 0.1
    gone = cache.get(1, "digest")

    assert (kept, gone) == (1, None)


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = KeyCache(0)
    cache.put(1, "digest", account_service.AccountId(1))

    assert cache.get(1, "digest") is None


def test_a_full_cache_starts_over_rather_than_growing() -> None:
    cache = KeyCache(5, max_entries=2)
    for n in range(3):
        cache.put(n, "digest", account_service.AccountId(n))

    assert [cache.get(n, "digest") for n in range(3)] == [None, None, 2]


async def test_a_rotated_key_works_until_its_cache_entry_expires(
    engines: Engines, account: NewAccount
) -> None:
    clock = Clock()
    cache = KeyCache(5, clock=clock)
    await authenticate(engines, account.account_id, account.key, cache)
    await account_service.rotate_key(SystemUnitOfWork(engines.write), account.account_id)

    still = await authenticate(engines, account.account_id, account.key, cache)
    clock.now += 5
    with pytest.raises(AuthenticationError):
        await authenticate(engines, account.account_id, account.key, cache)

    assert still == account.account_id


async def test_a_wrong_key_is_checked_every_time_and_never_cached(
    engines: Engines, account: NewAccount
) -> None:
    cache = KeyCache(5)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            await authenticate(engines, account.account_id, "wrong", cache)

    assert cache.get(account.account_id, account_service.hash_api_key("wrong")) is None


async def test_a_deactivated_account_is_refused_once_its_entry_expires(
    engines: Engines, account: NewAccount
) -> None:
    clock = Clock()
    cache = KeyCache(5, clock=clock)
    await authenticate(engines, account.account_id, account.key, cache)
    await account_service.set_active(
        SystemUnitOfWork(engines.write), account.account_id, active=False
    )

    clock.now += 5

    with pytest.raises(AuthenticationError):
        await authenticate(engines, account.account_id, account.key, cache)
