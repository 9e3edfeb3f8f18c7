"""Staff users: create, list, find, disable; their API tokens; who a request comes from.

A staff member has one token at most. Issuing one replaces the one before; the token is
returned this once and only its SHA-256 digest is stored (as for account keys,
``kit.secrets``). A token is checked on every request that carries it, uncached, so that
revoking it or disabling its staff member takes effect on the next request.
"""

from dataclasses import dataclass

from orderyard.domain.errors import (
    AuthenticationError,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
)
from orderyard.domain.event_log import key_actor, staff_actor
from orderyard.domain.staff import (
    Role,
    StaffMember,
    check_password,
    normalized_email,
    require_admin,
    require_write,
)
from orderyard.domain.values import AccountId, Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.kit.passwords import hash_password, password_matches
from orderyard.kit.secrets import hash_api_key, new_api_key
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork

UNKNOWN_TOKEN = "the token is unknown or revoked, or its staff member is disabled"  # noqa: S105 - a message, not a secret
"""One message for every refused token, so that a refusal tells nothing about staff."""
WRONG_PASSWORD = "the e-mail or the password is wrong"  # noqa: S105 - a message


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a request comes from: the account itself (its key) or one of its staff."""

    account_id: AccountId
    role: Role | None = None
    """None for the account's key, which may do everything."""
    staff_id: int | None = None

    @property
    def actor(self) -> str:
        """The actor recorded in the event log for this caller's changes."""
        if self.staff_id is None:
            return key_actor(self.account_id)
        return staff_actor(self.staff_id)


@dataclass(frozen=True, slots=True)
class StaffRef:
    """A staff member named by id, by e-mail, or by both (then they must agree)."""

    staff_id: int | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token just issued, shown this once."""

    member: StaffMember
    token: str


def authorize(caller: Caller, *, writes: bool) -> None:
    """Refuse a write to a read-only staff member.

    Raises:
        ForbiddenError: the caller may not write.
    """
    if writes:
        require_write(caller.role)


async def authenticate_token(uow: SystemUnitOfWork, token: str) -> Caller:
    """The staff member whose current token is ``token``.

    Raises:
        AuthenticationError: no such token, or its member or account is disabled.
    """
    async with uow:
        holder = await uow.staff_tokens.holder(hash_api_key(token))
    if holder is None or not holder.usable:
        raise AuthenticationError(UNKNOWN_TOKEN)
    return Caller(holder.account_id, holder.role, holder.staff_id)


async def create_staff(uow: UnitOfWork, email: str, role: Role, password: str) -> StaffMember:
    """Add an active staff member; records ``staff_created`` (never the password).

    Raises:
        InvalidRequestError: a malformed e-mail or a password of the wrong length.
        DuplicateError: the account has a staff member with this e-mail.
    """
    address = normalized_email(email)
    check_password(password)
    stored = hash_password(password)
    async with uow:
        member = await uow.staff.add(address, role, stored)
        await uow.events.record(
            "staff_created", "staff", member.id, {"email": address, "role": role.value}
        )
        await uow.commit()
    return member


async def disable_staff(uow: UnitOfWork, ref: StaffRef) -> StaffMember:
    """Disable a staff member and drop its token; records ``staff_disabled``.

    Disabling a disabled member changes nothing and records nothing.

    Raises:
        NotFoundError: no such staff member in the account.
    """
    async with uow:
        member = await _find(uow, ref)
        if member.active:
            await uow.staff.set_active(member.id, active=False)
            await uow.staff.set_token(member.id, None, None)
            await uow.events.record("staff_disabled", "staff", member.id, {"email": member.email})
        member = await uow.staff.get(member.id)
        await uow.commit()
    return member


async def get_staff(read: ReadUnitOfWork, ref: StaffRef) -> StaffMember:
    """One staff member by id and/or e-mail.

    Raises:
        NotFoundError: none in the account (or the two name different members).
    """
    async with read:
        return await _find(read, ref)


async def list_staff(
    read: ReadUnitOfWork, page: PageRequest, *, sort: str = "id", descending: bool = False
) -> Page[StaffMember]:
    """A page of the account's staff."""
    async with read:
        return await read.staff.page(page, sort=sort, descending=descending)


async def issue_token(
    uow: UnitOfWork, ref: StaffRef, caller: Caller, *, password: str | None = None
) -> IssuedToken:
    """Give a staff member a new token, replacing any before; records ``staff_token_issued``.

    Allowed to an admin (or the account's key) for anyone, and to anyone who sends the staff
    member's own password (the staff member signing in).

    Raises:
        ForbiddenError: no password, and the caller is not an admin.
        AuthenticationError: a wrong password.
        ConflictError: the staff member is disabled.
        NotFoundError: no such staff member in the account.
    """
    if password is None:
        require_admin(caller.role, "issue another staff member's token")
    token = new_api_key()
    async with uow:
        member = await _find(uow, ref)
        if password is not None:
            stored = await uow.staff.password_hash(member.id)
            if not password_matches(stored, password):
                raise AuthenticationError(WRONG_PASSWORD, field="password")
        if not member.active:
            raise ConflictError(f"staff member {member.id} is disabled", field="staff_id")
        await uow.staff.set_token(member.id, hash_api_key(token), utcnow())
        await uow.events.record("staff_token_issued", "staff", member.id, {"email": member.email})
        member = await uow.staff.get(member.id)
        await uow.commit()
    return IssuedToken(member, token)


async def revoke_token(uow: UnitOfWork, ref: StaffRef, caller: Caller) -> StaffMember:
    """Revoke a staff member's token; records ``staff_token_revoked`` if there was one.

    Allowed to an admin (or the account's key) for anyone, and to a staff member for its own
    token (signing out).

    Raises:
        ForbiddenError: an operator or read-only member revoking another's token.
        NotFoundError: no such staff member in the account.
    """
    async with uow:
        member = await _find(uow, ref)
        if caller.staff_id != member.id:
            require_admin(caller.role, "revoke another staff member's token")
        if member.has_token:
            await uow.staff.set_token(member.id, None, None)
            await uow.events.record(
                "staff_token_revoked", "staff", member.id, {"email": member.email}
            )
        member = await uow.staff.get(member.id)
        await uow.commit()
    return member


async def _find(uow: UnitOfWork | ReadUnitOfWork, ref: StaffRef) -> StaffMember:
    if ref.staff_id is None and ref.email is None:
        raise InvalidRequestError("name the staff member by id or e-mail", field="staff_id")
    by_id = None if ref.staff_id is None else await uow.staff.get(ref.staff_id)
    if ref.email is None:
        assert by_id is not None  # noqa: S101 - one of the two is given
        return by_id
    by_email = await uow.staff.by_email(normalized_email(ref.email))
    if by_id is not None and by_id.id != by_email.id:
        raise NotFoundError(
            f"staff member {by_id.id} does not have e-mail {ref.email!r}", field="email"
        )
    return by_email
