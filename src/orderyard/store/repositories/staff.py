"""Staff users: the account's own (tenant-scoped) and the token lookup (across accounts).

A token names its staff member alone, as a key names its account, so its lookup is by the
digest's unique index and reads the account's ``active`` flag in the same statement.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Select, String, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.errors import DuplicateError, NotFoundError
from orderyard.domain.staff import Role, StaffMember
from orderyard.domain.values import AccountId, Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.tables import accounts, staff

SORTS: Final = ("id", "email")
"""The columns a page may be sorted by (``(account_id, id)`` and ``(account_id, email)``)."""


@dataclass(frozen=True, slots=True)
class TokenHolder:
    """Whose token a digest is, and whether the token may still be used."""

    account_id: AccountId
    staff_id: int
    role: Role
    usable: bool
    """The staff member and its account are both active."""


FIND_BY_TOKEN = (
    select(staff.c.account_id, staff.c.id, staff.c.role, staff.c.active, accounts.c.active)
    .join(accounts, accounts.c.id == staff.c.account_id)
    .where(staff.c.token_digest == bindparam("digest", type_=String()))
)
"""Built once: it runs on every request that carries a bearer token."""


class StaffTokens:
    """The token lookup, before any account is known."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def holder(self, digest: str) -> TokenHolder | None:
        """The staff member whose current token has this digest, or None."""
        row = (await self.conn.execute(FIND_BY_TOKEN, {"digest": digest})).one_or_none()
        if row is None:
            return None
        account_id, staff_id, role, active, account_active = row
        usable = bool(active) and bool(account_active)
        return TokenHolder(AccountId(account_id), staff_id, Role(role), usable)


class StaffRepository(TenantRepository):
    """The account's staff users."""

    def _mine(self) -> Select[Any]:
        return select(staff).where(staff.c.account_id == self.account_id)

    async def add(self, email: str, role: Role, password_hash: str) -> StaffMember:
        """Store a new active staff member.

        Raises:
            DuplicateError: the account has a staff member with this e-mail.
        """
        values = {
            "account_id": self.account_id,
            "email": email,
            "role": role.value,
            "password_hash": password_hash,
            "active": True,
            "created_at": utcnow(),
        }
        try:
            async with self.conn.begin_nested():
                new_id = (
                    await self.conn.execute(insert(staff).values(values).returning(staff.c.id))
                ).scalar_one()
        except IntegrityError as error:
            if violates(error, "staff", "account_id", "email"):
                raise DuplicateError(
                    f"a staff member with e-mail {email!r} exists", field="email"
                ) from None
            raise
        return await self.get(new_id)

    async def find(self, staff_id: int) -> StaffMember | None:
        """The staff member with this id in the account, or None."""
        row = (await self.conn.execute(self._mine().where(staff.c.id == staff_id))).one_or_none()
        return None if row is None else _member(row._mapping)

    async def get(self, staff_id: int, *, field: str = "staff_id") -> StaffMember:
        """The staff member with this id in the account.

        Raises:
            NotFoundError: none (or another account's).
        """
        found = await self.find(staff_id)
        if found is None:
            raise NotFoundError(f"staff member {staff_id} not found", field=field)
        return found

    async def by_email(self, email: str) -> StaffMember:
        """The staff member with this (normalized) e-mail in the account.

        Raises:
            NotFoundError: none.
        """
        row = (await self.conn.execute(self._mine().where(staff.c.email == email))).one_or_none()
        if row is None:
            raise NotFoundError(f"staff member with e-mail {email!r} not found", field="email")
        return _member(row._mapping)

    async def emails_of(self, staff_ids: Sequence[int]) -> dict[int, str]:
        """The e-mail of each of these staff members of the account (one statement)."""
        if not staff_ids:
            return {}
        rows = await self.conn.execute(
            select(staff.c.id, staff.c.email).where(
                staff.c.account_id == self.account_id, staff.c.id.in_(list(staff_ids))
            )
        )
        return {int(staff_id): str(email) for staff_id, email in rows.all()}

    async def password_hash(self, staff_id: int) -> str:
        """The stored password hash of a staff member of the account."""
        found = await self.conn.execute(
            select(staff.c.password_hash).where(
                staff.c.account_id == self.account_id, staff.c.id == staff_id
            )
        )
        return str(found.scalar_one())

    async def set_active(self, staff_id: int, *, active: bool) -> None:
        """Enable or disable a staff member (a disabled member's token stops working)."""
        await self._update(staff_id, active=active)

    async def set_token(
        self, staff_id: int, digest: str | None, issued_at: datetime | None
    ) -> None:
        """Replace the staff member's token digest (None: no token)."""
        await self._update(staff_id, token_digest=digest, token_issued_at=issued_at)

    async def _update(self, staff_id: int, **values: object) -> None:
        await self.conn.execute(
            update(staff)
            .where(staff.c.account_id == self.account_id, staff.c.id == staff_id)
            .values(**values)
        )

    async def page(
        self, page: PageRequest, *, sort: str = "id", descending: bool = False
    ) -> Page[StaffMember]:
        """A page of the account's staff sorted by one of ``SORTS``, ties by id."""
        mine = self._mine()
        keys: list[Any] = [staff.c.id] if sort == "id" else [staff.c[sort], staff.c.id]
        ordered = [key.desc() if descending else key for key in keys]
        found = await self.conn.execute(
            mine.order_by(*ordered).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, mine, page)
        return Page([_member(row._mapping) for row in found], total, page, count_is_exact=exact)


def _member(row: Mapping[Any, Any]) -> StaffMember:
    return StaffMember(
        id=row["id"],
        email=row["email"],
        role=Role(row["role"]),
        active=bool(row["active"]),
        has_token=row["token_digest"] is not None,
        token_issued_at=row["token_issued_at"],
        created_at=row["created_at"],
    )
