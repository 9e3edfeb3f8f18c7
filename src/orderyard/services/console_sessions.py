"""Web console sessions: sign in with e-mail and password, check a session, sign out.

A session is a random token, kept by the browser in a cookie and stored here only as its
SHA-256 digest (``kit.secrets``, as for keys and staff tokens), with an expiry. Every console
request checks it against the database, joined to its staff member and account, so signing
out, disabling the staff member or deactivating the account ends it at once; the staff
member's role is read there too, so a changed role applies to the next request.

An e-mail is unique within an account, not across accounts: a sign-in whose e-mail and
password are right in several accounts asks which one (its AccountID).
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from orderyard.domain.errors import AuthenticationError, InvalidRequestError
from orderyard.domain.event_log import staff_actor
from orderyard.domain.staff import Role, normalized_email
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.kit.passwords import hash_password, password_matches
from orderyard.kit.secrets import hash_api_key, new_api_key
from orderyard.services.staff import WRONG_PASSWORD, Caller
from orderyard.store.repositories.console_sessions import SignInCandidate
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

SESSION_ENDED = "the session has ended or expired: sign in again"
"""One message for every refused session (unknown, expired, signed out, member disabled)."""

TenantFactory = Callable[[AccountId, str], UnitOfWork]
"""Opens a write unit of work for an account and an actor (known only once signed in)."""


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """A signed-in staff member, as the staff member and its account stand now."""

    session_id: int
    account_id: AccountId
    staff_id: int
    email: str
    role: Role
    expires_at: datetime

    @property
    def caller(self) -> Caller:
        """The caller the services authorize: this staff member, with its role."""
        return Caller(self.account_id, self.role, self.staff_id)

    @property
    def can_write(self) -> bool:
        """Whether the staff member may change the account's records."""
        return self.role is not Role.READ_ONLY


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session just started: its token, shown this once (for the cookie)."""

    session: ConsoleSession
    token: str


@cache
def _decoy_hash() -> str:
    """A hash checked when no staff member has the e-mail, so a refusal takes as long."""
    return hash_password(new_api_key())


async def _matches(stored: str, password: str) -> bool:
    """Check a password off the event loop: argon2 takes tens of milliseconds of CPU."""
    return await asyncio.to_thread(password_matches, stored, password)


async def _signing_in(
    system: SystemUnitOfWork, email: str, password: str, account_id: int | None
) -> SignInCandidate:
    """The one usable staff member that this e-mail and password name.

    Raises:
        AuthenticationError: no such member, a wrong password, or it or its account disabled.
        InvalidRequestError: the e-mail and password are right in several accounts.
    """
    async with system:
        candidates = await system.console_sessions.candidates(email)
    if account_id is not None:
        candidates = [c for c in candidates if c.account_id == account_id]
    if not candidates:
        await _matches(_decoy_hash(), password)
    matching = [c for c in candidates if await _matches(c.password_hash, password)]
    usable = [c for c in matching if c.usable]
    if not usable:
        raise AuthenticationError(WRONG_PASSWORD, field="password")
    if len(usable) > 1:
        raise InvalidRequestError(
            "this e-mail signs in to several accounts: give the AccountID", field="account_id"
        )
    return usable[0]


async def sign_in(
    system: SystemUnitOfWork,
    tenant: TenantFactory,
    email: str,
    password: str,
    *,
    account_id: int | None = None,
    lifetime: timedelta,
) -> SignedIn:
    """Start a session for the staff member these credentials name; records ``staff_signed_in``.

    The member's expired sessions are forgotten in the same transaction.

    Raises:
        InvalidRequestError: a malformed e-mail, or one signing in to several accounts.
        AuthenticationError: a wrong e-mail or password, or a disabled member or account
            (one message for all, so that a refusal tells nothing about staff).
    """
    address = normalized_email(email)
    found = await _signing_in(system, address, password, account_id)
    token, now = new_api_key(), utcnow()
    expires_at = now + lifetime
    uow = tenant(found.account_id, staff_actor(found.staff_id))
    async with uow:
        member = await uow.staff.get(found.staff_id)
        await uow.console_sessions.remove_expired(member.id, now)
        session_id = await uow.console_sessions.add(
            member.id, hash_api_key(token), created_at=now, expires_at=expires_at
        )
        await uow.events.record("staff_signed_in", "staff", member.id, {"session": session_id})
        await uow.commit()
    session = ConsoleSession(
        session_id, found.account_id, member.id, member.email, member.role, expires_at
    )
    return SignedIn(session, token)


async def session_of(system: SystemUnitOfWork, token: str) -> ConsoleSession:
    """The live session whose token is ``token``.

    Raises:
        AuthenticationError: no such session, it expired or was signed out, or its staff
            member or account is disabled.
    """
    async with system:
        holder = await system.console_sessions.holder(hash_api_key(token), utcnow())
    if holder is None or not holder.usable:
        raise AuthenticationError(SESSION_ENDED)
    return ConsoleSession(
        holder.session_id,
        holder.account_id,
        holder.staff_id,
        holder.email,
        holder.role,
        holder.expires_at,
    )


async def sign_out(uow: UnitOfWork, session: ConsoleSession) -> None:
    """End a session; records ``staff_signed_out`` (nothing if it had ended already)."""
    async with uow:
        if await uow.console_sessions.remove(session.session_id):
            await uow.events.record(
                "staff_signed_out", "staff", session.staff_id, {"session": session.session_id}
            )
        await uow.commit()
