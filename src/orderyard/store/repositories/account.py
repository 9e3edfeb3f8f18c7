"""Accounts: creation, key storage and lookup. Not tenant-scoped (they are the tenants)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import NotFoundError
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen
from orderyard.store.tables import accounts


@dataclass(frozen=True, slots=True)
class AccountRecord:
    """An account as stored."""

    id: AccountId
    name: str
    key_hash: str
    active: bool
    allocation_strategy: AllocationStrategy


FIND = select(accounts).where(accounts.c.id == bindparam("account_id"))
"""Built once: the CLI and the services reach an account by its id."""

FIND_BY_KEY = DriverStatement(
    select(accounts).where(accounts.c.key_hash == unseen(bindparam("key_hash", type_=String)))
)
"""Built once: it runs on every request whose key is not in the process's key cache.

An index probe of ``ix_accounts_key_hash`` (unique); on the driver where the read connection
autocommits (PostgreSQL), and planned once whatever the digest (``store/planning.py``).
"""


class AccountRepository:
    """Accounts, reached by id or by their key's digest."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def add(self, name: str, key_hash: str) -> AccountId:
        """Store a new active account and return its id."""
        result = await self.conn.execute(
            insert(accounts)
            .values(name=name, key_hash=key_hash, active=True, created_at=utcnow())
            .returning(accounts.c.id)
        )
        return AccountId(result.scalar_one())

    async def find(self, account_id: int) -> AccountRecord | None:
        """The account with this id, or None."""
        row = (await self.conn.execute(FIND, {"account_id": account_id})).one_or_none()
        return None if row is None else _record(row._mapping)

    async def find_by_key_hash(self, key_hash: str) -> AccountRecord | None:
        """The account whose current key has this digest, or None (digests are unique)."""
        rows = await FIND_BY_KEY.fetch(self.conn, {"key_hash": key_hash})
        if not rows:
            return None
        return _record(dict(zip(FIND_BY_KEY.columns, rows[0], strict=True)))

    async def get(self, account_id: int) -> AccountRecord:
        """The account with this id.

        Raises:
            NotFoundError: there is no such account.
        """
        record = await self.find(account_id)
        if record is None:
            raise NotFoundError(f"account {account_id} not found", field="account")
        return record

    async def first(self) -> AccountRecord | None:
        """The oldest account, if any (the demo account on a fresh install)."""
        row = (
            await self.conn.execute(select(accounts.c.id).order_by(accounts.c.id).limit(1))
        ).scalar_one_or_none()
        return None if row is None else await self.find(row)

    async def set_key_hash(self, account_id: AccountId, key_hash: str) -> None:
        """Replace the stored key digest; the old key stops working."""
        await self.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(key_hash=key_hash)
        )

    async def set_active(self, account_id: AccountId, *, active: bool) -> None:
        """Activate or deactivate an account."""
        await self.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(active=active)
        )

    async def set_strategy(
        self, account_id: AccountId, strategy: AllocationStrategy
    ) -> AllocationStrategy:
        """Switch the account's allocation strategy; return the one it replaces.

        The account's row is locked first, so two switches at once each see the other's
        result as what they replace.

        Raises:
            NotFoundError: there is no such account.
        """
        previous = (
            await self.conn.execute(
                select(accounts.c.allocation_strategy)
                .where(accounts.c.id == account_id)
                .with_for_update()
            )
        ).scalar_one_or_none()
        if previous is None:
            raise NotFoundError(f"account {account_id} not found", field="account")
        if previous != strategy.value:
            await self.conn.execute(
                update(accounts)
                .where(accounts.c.id == account_id)
                .values(allocation_strategy=strategy.value)
            )
        return AllocationStrategy(previous)

    async def ships_on_allocation(self, account_id: AccountId) -> bool:
        """Whether the account has shipments created as soon as stock is allocated."""
        return await self._flag(account_id, "ships_on_allocation")

    async def set_ships_on_allocation(self, account_id: AccountId, on: bool) -> None:
        """Turn creating shipments on allocation on or off."""
        await self._set_flag(account_id, "ships_on_allocation", on)

    async def sends_emails(self, account_id: AccountId) -> bool:
        """Whether the account's customers get the e-mails its order events call for."""
        return await self._flag(account_id, "sends_emails")

    async def set_sends_emails(self, account_id: AccountId, on: bool) -> None:
        """Turn the account's customer e-mails on or off."""
        await self._set_flag(account_id, "sends_emails", on)

    async def _flag(self, account_id: AccountId, column: str) -> bool:
        found = await self.conn.execute(
            select(accounts.c[column]).where(accounts.c.id == account_id)
        )
        return bool(found.scalar_one())

    async def _set_flag(self, account_id: AccountId, column: str, on: bool) -> None:
        await self.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values({column: on})
        )


def _record(row: Mapping[Any, Any]) -> AccountRecord:
    return AccountRecord(
        id=AccountId(row["id"]),
        name=row["name"],
        key_hash=row["key_hash"],
        active=bool(row["active"]),
        allocation_strategy=AllocationStrategy(row["allocation_strategy"]),
    )
