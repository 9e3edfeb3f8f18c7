"""The signed-in staff member of a console request, and the CSRF token of its forms.

The session token travels in an HTTP-only cookie (``Secure`` when the request came over
HTTPS, ``SameSite=Lax``) scoped to the console's path, and is checked against the database on
every request (``services/console_sessions.py``). Every form and every htmx request that
changes something carries a CSRF token: an HMAC of the session token, so it needs no storage,
differs per session, and cannot be computed by a page that cannot read the HTTP-only cookie.
The sign-in form, sent before there is a session, is protected by a double-submit cookie.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from orderyard.domain.errors import AuthenticationError
from orderyard.http.deps import system_uow
from orderyard.services.console_sessions import ConsoleSession, session_of

SESSION_COOKIE = "orderyard_console"
SIGN_IN_COOKIE = "orderyard_console_sign_in"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_CSRF_PURPOSE = b"orderyard console csrf"


class SignInRequiredError(Exception):
    """No live session: the browser is sent to the sign-in page."""


class CsrfRefusedError(Exception):
    """A change sent without this session's CSRF token (or the sign-in form's)."""


@dataclass(frozen=True, slots=True)
class Signed:
    """A request's live session and the CSRF token its pages put in their forms."""

    session: ConsoleSession
    csrf_token: str


def csrf_of(session_token: str) -> str:
    """The CSRF token of a session: an HMAC keyed by the session's secret token."""
    return hmac.new(session_token.encode(), _CSRF_PURPOSE, hashlib.sha256).hexdigest()


def new_sign_in_token() -> str:
    """A fresh double-submit token for one sign-in form."""
    return secrets.token_urlsafe(32)


def same_token(sent: str | None, expected: str) -> bool:
    """Whether the token sent is the expected one (in constant time)."""
    return sent is not None and hmac.compare_digest(sent.encode(), expected.encode())


def set_cookie(
    response: Response, request: Request, name: str, value: str, *, max_age: int | None = None
) -> None:
    """Set a console cookie: HTTP-only, SameSite=Lax, Secure over HTTPS, on the console's path."""
    response.set_cookie(
        name,
        value,
        path=console_root(request) or "/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        max_age=max_age,
    )


def console_root(request: Request) -> str:
    """The path the console is mounted at (``/console``)."""
    return str(request.scope.get("root_path", ""))


async def signed_in(request: Request) -> Signed:
    """The request's live session.

    Raises:
        SignInRequiredError: no session cookie, or its session has ended.
    """
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequiredError
    try:
        session = await session_of(system_uow(request), token)
    except AuthenticationError:
        raise SignInRequiredError from None
    return Signed(session, csrf_of(token))


SignedDep = Annotated[Signed, Depends(signed_in)]


@dataclass(frozen=True, slots=True)
class Change:
    """A checked request to change something: its session and its form."""

    signed: Signed
    form: FormData

    @property
    def session(self) -> ConsoleSession:
        """The staff member making the change."""
        return self.signed.session


async def checked_change(request: Request, signed: SignedDep) -> Change:
    """A change request whose CSRF token (header or form field) is the session's.

    Raises:
        CsrfRefusedError: the token is missing or wrong; nothing is done.
    """
    form = await request.form()
    field = form.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER) or (field if isinstance(field, str) else None)
    if not same_token(sent, signed.csrf_token):
        raise CsrfRefusedError
    return Change(signed, form)


ChangeDep = Annotated[Change, Depends(checked_change)]
