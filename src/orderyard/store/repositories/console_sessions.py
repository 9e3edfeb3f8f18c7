"""Web console sessions: the sign-in lookup and the session check, and an account's sessions.

The first two run before any account is known (across accounts); the rest is tenant-scoped.

A session's cookie token names its staff member alone, as a staff token does, so the check is
one probe of the digest's unique index joined to the staff member and the account: disabling
either ends every session of it at the next request, with nothing to delete.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.staff import Role
from orderyard.domain.values import AccountId
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import accounts, console_sessions, staff
from orderyard.store.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class SignInCandidate:
    """A staff member with the e-mail being signed in with, in one of the accounts."""

    account_id: AccountId
    staff_id: int
    password_hash: str
    usable: bool
    """The staff member and its account are both active."""


@dataclass(frozen=True, slots=True)
class SessionHolder:
    """Whose session a token's digest is, as the staff member and the account stand now."""

    session_id: int
    account_id: AccountId
    staff_id: int
    email: str
    role: Role
    expires_at: datetime
    usable: bool
    """The staff member and its account are both active."""


CANDIDATES = (
    select(
        staff.c.account_id,
        staff.c.id,
        staff.c.password_hash,
        staff.c.active,
        accounts.c.active.label("account_active"),
    )
    .join(accounts, accounts.c.id == staff.c.account_id)
    .where(staff.c.email == bindparam("email", type_=String()))
    .order_by(staff.c.account_id)
)
"""Every account's staff member with one e-mail (``ix_staff_email``)."""

FIND_SESSION = (
    select(
        console_sessions.c.id,
        console_sessions.c.account_id,
        console_sessions.c.staff_id,
        staff.c.email,
        staff.c.role,
        console_sessions.c.expires_at,
        staff.c.active,
        accounts.c.active.label("account_active"),
    )
    .join(
        staff,
        and_(
            staff.c.id == console_sessions.c.staff_id,
            staff.c.account_id == console_sessions.c.account_id,
        ),
    )
    .join(accounts, accounts.c.id == console_sessions.c.account_id)
    .where(
        console_sessions.c.token_digest == bindparam("digest", type_=String()),
        console_sessions.c.expires_at > bindparam("now", type_=UTCDateTime()),
    )
)
"""Built once: every console request checks its session."""


class ConsoleSessions:
    """The lookups made before any account is known: signing in, and checking a cookie."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def candidates(self, email: str) -> list[SignInCandidate]:
        """The staff members with this (normalized) e-mail, one per account, by account."""
        rows = await self.conn.execute(CANDIDATES, {"email": email})
        return [
            SignInCandidate(
                AccountId(account_id), staff_id, password_hash, bool(active and account_active)
            )
            for account_id, staff_id, password_hash, active, account_active in rows
        ]

    async def holder(self, digest: str, now: datetime) -> SessionHolder | None:
        """The unexpired session whose token has this digest, or None."""
        row = (await self.conn.execute(FIND_SESSION, {"digest": digest, "now": now})).one_or_none()
        if row is None:
            return None
        session_id, account_id, staff_id, email, role, expires_at, active, account_active = row
        return SessionHolder(
            session_id=session_id,
            account_id=AccountId(account_id),
            staff_id=staff_id,
            email=email,
            role=Role(role),
            expires_at=expires_at,
            usable=bool(active) and bool(account_active),
        )


class SessionRepository(TenantRepository):
    """The account's console sessions."""

    async def add(
        self, staff_id: int, digest: str, *, created_at: datetime, expires_at: datetime
    ) -> int:
        """Store a new session of a staff member; returns its id."""
        values = {
            "account_id": self.account_id,
            "staff_id": staff_id,
            "token_digest": digest,
            "created_at": created_at,
            "expires_at": expires_at,
        }
        found = await self.conn.execute(
            insert(console_sessions).values(values).returning(console_sessions.c.id)
        )
        return int(found.scalar_one())

    async def remove(self, session_id: int) -> bool:
        """Delete one session of the account; whether there was one."""
        done = await self.conn.execute(
            delete(console_sessions).where(
                console_sessions.c.account_id == self.account_id,
                console_sessions.c.id == session_id,
            )
        )
        return bool(done.rowcount)

    async def remove_expired(self, staff_id: int, now: datetime) -> None:
        """Forget a staff member's sessions that have expired (each sign-in tidies its own)."""
        await self.conn.execute(
            delete(console_sessions).where(
                console_sessions.c.account_id == self.account_id,
                console_sessions.c.staff_id == staff_id,
                console_sessions.c.expires_at <= now,
            )
        )
