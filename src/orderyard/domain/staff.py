"""Staff users of an account: their roles, what each role may do, and their e-mail rules.

Three roles, from most to least: an **admin** does everything, including managing staff and
changing the account's settings; an **operator** reads and writes the account's records but
manages neither staff nor settings; a **read-only** member reads only. A request made with the
account's API key is the account itself, with an admin's rights.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from orderyard.domain.errors import ForbiddenError, InvalidRequestError

EMAIL_MAX: Final = 200
PASSWORD_MIN: Final = 12
PASSWORD_MAX: Final = 1024
"""Argon2 hashes any length; the cap keeps one request from costing seconds of hashing."""
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Role(StrEnum):
    """What a staff member may do."""

    ADMIN = "admin"
    OPERATOR = "operator"
    READ_ONLY = "read_only"


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A staff user as the services see it (never its password hash or token digest)."""

    id: int
    email: str
    role: Role
    active: bool
    has_token: bool
    token_issued_at: datetime | None
    created_at: datetime


def normalized_email(email: str, *, field: str = "email") -> str:
    """The e-mail as stored (trimmed, lower case): e-mails are compared without case.

    Raises:
        InvalidRequestError: the e-mail is empty, too long or not an address.
    """
    cleaned = email.strip().lower()
    if len(cleaned) > EMAIL_MAX or not _EMAIL.match(cleaned):
        raise InvalidRequestError(f"{email!r} is not an e-mail address", field=field)
    return cleaned


def check_password(password: str) -> None:
    """Refuse a password too short to resist guessing, or too long to hash cheaply.

    Raises:
        InvalidRequestError: the password is shorter than 12 or longer than 1024 characters.
    """
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidRequestError(
            f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters", field="password"
        )


def require_write(role: Role | None) -> None:
    """Allow a write to the account's records to anyone but a read-only member.

    ``None`` is the account itself (its API key).

    Raises:
        ForbiddenError: a read-only member asked to write.
    """
    if role is Role.READ_ONLY:
        raise ForbiddenError("a read-only staff member cannot change anything")


def require_admin(role: Role | None, what: str) -> None:
    """Allow managing staff or settings only to an admin (or the account's key).

    Raises:
        ForbiddenError: the caller is an operator or read-only member.
    """
    if role is not None and role is not Role.ADMIN:
        raise ForbiddenError(f"only an admin can {what}")
