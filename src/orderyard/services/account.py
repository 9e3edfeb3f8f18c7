"""Accounts and their API keys: create, authenticate, rotate."""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from orderyard.domain.errors import AuthenticationError
from orderyard.domain.staff import require_admin
from orderyard.domain.values import AccountId
from orderyard.kit.secrets import hash_api_key, new_api_key
from orderyard.services.staff import Caller
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

UNKNOWN_KEY = "the API key is unknown, or its account is not active"
"""One message for every refused key, so that a refusal does not tell which accounts exist.

Each dialect words it in its own sentence (ShipEdge: ``dialects/shipedge/auth.py``).
"""


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A created account and its key, shown this once (only a digest is stored)."""

    account_id: AccountId
    key: str


async def create_account(
    uow: SystemUnitOfWork,
    name: str,
    *,
    shipping_methods: Sequence[str] = (),
    channels: Sequence[str] = (),
) -> NewAccount:
    """Create an active account with a fresh key, registering the names given with it.

    The core registers nothing of its own: which shipping methods and sales channels a new
    account starts with is the choice of whoever creates it (the CLI and the demo register
    ShipEdge's examples, docs/decisions.md). The digest's unique index makes a repeated key
    an error here rather than two accounts sharing one.
    """
    key = new_api_key()
    async with uow:
        account_id = await uow.accounts.add(name, hash_api_key(key))
        tenant = uow.registries_for(account_id)
        for method in shipping_methods:
            await tenant.shipping_methods.add(method)
        for channel in channels:
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


@dataclass(frozen=True, slots=True)
class RegeneratedKey:
    """An account's new key, shown this once, and the digest of the key it replaced."""

    account_id: AccountId
    key: str
    replaced_digest: str
    """For ``KeyCache.forget``: the old key stops working in this process at once."""


async def regenerate_key(uow: UnitOfWork, caller: Caller) -> RegeneratedKey:
    """Give the caller's account a new key; records ``account_key_regenerated``.

    What the console's "Generate new Key" does, as an admin staff member (a key is the
    account's credential: managing it is managing the account's settings). The old key
    stops working at once, except for the ``KeyCache`` of other server processes.

    Raises:
        ForbiddenError: the caller is an operator or a read-only staff member.
    """
    require_admin(caller.role, "generate the account's API key")
    key = new_api_key()
    async with uow:
        account = await uow.accounts.get(uow.account_id)
        await uow.accounts.set_key_hash(account.id, hash_api_key(key))
        await uow.events.record("account_key_regenerated", "account", account.id)
        await uow.commit()
    return RegeneratedKey(account.id, key, account.key_hash)


class KeyCache:
    """Keys verified recently in this process, so a busy client is not re-checked per request.

    Without it, every API request opens a transaction of its own to read its account: on
    the hot paths that is a third of the work (bench/README.md). The price is that a
    rotated key or a deactivated account keeps working for up to ``ttl_seconds`` in each
    server process that verified it just before; 0 turns the cache off. Only successes are
    kept, by the key's digest alone (a key names its account), so a wrong key is always
    checked against the database, and a dialect that also receives an account id compares
    it with the account found here, cached or not.
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
        self._verified: dict[str, tuple[AccountId, float]] = {}

    def get(self, digest: str) -> AccountId | None:
        """The account verified for this key digest, if that is recent enough."""
        entry = self._verified.get(digest)
        if entry is None:
            return None
        account, expires = entry
        if self._clock() >= expires:
            del self._verified[digest]
            return None
        return account

    def forget(self, digest: str) -> None:
        """Stop trusting a key at once (it was just replaced)."""
        self._verified.pop(digest, None)

    def put(self, digest: str, account: AccountId) -> None:
        """Remember a successful verification (forgetting all others when full)."""
        if self.ttl_seconds <= 0:
            return
        if len(self._verified) >= self.max_entries:
            self._verified.clear()
        self._verified[digest] = (account, self._clock() + self.ttl_seconds)


async def authenticate(uow: SystemUnitOfWork, key: str, cache: KeyCache | None = None) -> AccountId:
    """Return the account whose current key is ``key``, if it is active.

    The key alone names its account: it is found by its digest (unique), never by scanning,
    so any dialect can call this with whatever else its requests carry or not. With a
    ``cache``, a key verified within its TTL is accepted without reading the account.

    Raises:
        AuthenticationError: no account has this key, or its account is inactive.
    """
    digest = hash_api_key(key)
    if cache is not None and (known := cache.get(digest)) is not None:
        return known
    async with uow:
        account = await uow.accounts.find_by_key_hash(digest)
    if account is None or not account.active:
        raise AuthenticationError(UNKNOWN_KEY)
    if cache is not None:
        cache.put(digest, account.id)
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
