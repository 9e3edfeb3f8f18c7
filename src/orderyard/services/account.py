"""Accounts and their API keys: create, authenticate, rotate."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from orderyard.domain.errors import AuthenticationError
from orderyard.domain.values import AccountId
from orderyard.kit.secrets import hash_api_key, key_matches, new_api_key
from orderyard.store.uow import SystemUnitOfWork

INVALID_KEY = "The Key is invalid or doesn't have access to this API resource"
"""ShipEdge's own wording for a refused key (DESIGN.md); used for inactive accounts too."""

DEFAULT_SHIPPING_METHODS = ("Pick",)
DEFAULT_CHANNELS = ("My Shop",)
"""Every new account starts with the seed examples' values, so they work as written."""


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A created account and its key, shown this once (only a digest is stored)."""

    account_id: AccountId
    key: str


async def create_account(uow: SystemUnitOfWork, name: str) -> NewAccount:
    """Create an active account with the default shipping method and sales channel."""
    key = new_api_key()
    async with uow:
        account_id = await uow.accounts.add(name, hash_api_key(key))
        tenant = uow.registries_for(account_id)
        for method in DEFAULT_SHIPPING_METHODS:
            await tenant.shipping_methods.add(method)
        for channel in DEFAULT_CHANNELS:
            await tenant.channels.add(channel)
        await uow.commit()
    return NewAccount(account_id, key)


async def rotate_key(uow: SystemUnitOfWork, account_id: int) -> NewAccount:
    """Give the account a new key; the old one stops working at once.

    Raises:
        NotFoundError: there is no such account.
    """
    key = new_api_key()
    async with uow:
        account = await uow.accounts.get(account_id)
        await uow.accounts.set_key_hash(account.id, hash_api_key(key))
        await uow.commit()
    return NewAccount(account.id, key)


class KeyCache:
    """Keys verified recently in this process, so a busy client is not re-checked per request.

    Without it, every API request opens a transaction of its own to read its account: on
    the hot paths that is a third of the work (bench/README.md). The price is that a
    rotated key or a deactivated account keeps working for up to ``ttl_seconds`` in each
    server process that verified it just before; 0 turns the cache off. Only successes are
    kept, by (account, key digest), so a wrong key is always checked against the database.
    """

    def __init__(
        self,
        ttl_seconds: float,
        *,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._verified: dict[tuple[int, str], tuple[AccountId, float]] = {}

    def get(self, account_id: int, digest: str) -> AccountId | None:
        """The account verified for this key digest, if that is recent enough."""
        entry = self._verified.get((account_id, digest))
        if entry is None:
            return None
        account, expires = entry
        if self._clock() >= expires:
            del self._verified[(account_id, digest)]
            return None
        return account

    def put(self, account_id: int, digest: str, account: AccountId) -> None:
        """Remember a successful verification (forgetting all others when full)."""
        if self.ttl_seconds <= 0:
            return
        if len(self._verified) >= self.max_entries:
            self._verified.clear()
        self._verified[(account_id, digest)] = (account, self._clock() + self.ttl_seconds)


async def authenticate_key(
    uow: SystemUnitOfWork, account_id: int, key: str, cache: KeyCache | None = None
) -> AccountId:
    """Return the account if ``key`` is its current key and it is active.

    With a ``cache``, a key verified within its TTL is accepted without reading the account.

    Raises:
        AuthenticationError: unknown account, wrong key, or inactive account.
    """
    digest = hash_api_key(key)
    if cache is not None and (known := cache.get(account_id, digest)) is not None:
        return known
    async with uow:
        account = await uow.accounts.find(account_id)
    if account is None or not key_matches(key, account.key_hash) or not account.active:
        raise AuthenticationError(INVALID_KEY)
    if cache is not None:
        cache.put(account_id, digest, account.id)
    return account.id


async def set_active(uow: SystemUnitOfWork, account_id: int, *, active: bool) -> None:
    """Activate or deactivate an account.

    Raises:
        NotFoundError: there is no such account.
    """
    async with uow:
        account = await uow.accounts.get(account_id)
        await uow.accounts.set_active(account.id, active=active)
        await uow.commit()


async def first_account(uow: SystemUnitOfWork) -> AccountId | None:
    """The oldest account, if there is one."""
    async with uow:
        account = await uow.accounts.first()
    return None if account is None else account.id


async def require_account(uow: SystemUnitOfWork, account_id: int) -> AccountId:
    """Return the account id if the account exists.

    Raises:
        NotFoundError: there is no such account.
    """
    async with uow:
        return (await uow.accounts.get(account_id)).id
