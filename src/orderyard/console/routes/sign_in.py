"""Signing in and out.

Attempts are limited per e-mail and per client address (``http.ratelimit`` buckets, the
limits in ``ConsoleConfig``): each attempt takes one token from both, right or wrong, so
neither guessing one staff member's password nor trying many e-mails from one address goes
fast. A refusal says the same for an unknown e-mail, a wrong password and a disabled member.
"""

import math

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.config import console_config
from orderyard.console.forms import text, whole_number
from orderyard.console.session import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    ChangeDep,
    CsrfRefusedError,
    console_root,
    new_sign_in_token,
    same_token,
    set_cookie,
)
from orderyard.console.web import error_page, redirect, render, status_of
from orderyard.domain.errors import DomainError
from orderyard.domain.event_log import staff_actor
from orderyard.domain.values import AccountId
from orderyard.http.deps import UnitOfWork, system_uow, write_uow
from orderyard.http.ratelimit import RETRY_AFTER
from orderyard.services import console_sessions

router = APIRouter()


def _form_page(
    request: Request, *, error: str = "", email: str = "", status_code: int = 200
) -> Response:
    token = new_sign_in_token()
    response = render(
        request,
        "sign_in.html",
        {"sign_in_token": token, "error": error, "email": email},
        status_code=status_code,
    )
    set_cookie(response, request, SIGN_IN_COOKIE, token)
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request) -> Response:
    """The sign-in form."""
    return _form_page(request)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Check e-mail and password and start a session (a cookie), or say why not."""
    form = await request.form()
    sent, cookie = form.get("sign_in_token"), request.cookies.get(SIGN_IN_COOKIE)
    if not cookie or not same_token(sent if isinstance(sent, str) else None, cookie):
        raise CsrfRefusedError
    email = text(form, "email", label="E-mail")
    wait = await _attempt(request, email)
    if wait > 0:
        return _too_many(request, wait)
    try:
        account_id = whole_number(form, "account_id", label="AccountID")
        signed_in = await console_sessions.sign_in(
            system_uow(request),
            lambda account, actor: _tenant(request, account, actor),
            email,
            text(form, "password", label="Password", limit=2048),
            account_id=account_id,
            lifetime=console_config(request).session_lifetime,
        )
    except DomainError as error:
        return _form_page(request, error=error.message, email=email, status_code=status_of(error))
    response = redirect(request, "/orders")
    set_cookie(
        response,
        request,
        SESSION_COOKIE,
        signed_in.token,
        max_age=int(console_config(request).session_lifetime.total_seconds()),
    )
    response.delete_cookie(SIGN_IN_COOKIE, path=console_root(request) or "/")
    return response


def _tenant(request: Request, account: AccountId, actor: str) -> UnitOfWork:
    return write_uow(request, account, actor=actor)


async def _attempt(request: Request, email: str) -> float:
    """Take a sign-in token for the e-mail and the client address; 0 or seconds to wait."""
    address = request.client.host if request.client else "unknown"
    buckets = console_config(request).sign_in_buckets
    return await buckets.take(f"address:{address}", f"email:{email.lower()}")


def _too_many(request: Request, wait: float) -> Response:
    seconds = max(1, math.ceil(wait))
    response = error_page(
        request,
        429,
        f"Too many sign-in attempts: wait {seconds} seconds, then try again.",
    )
    response.headers[RETRY_AFTER] = str(seconds)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, change: ChangeDep) -> Response:
    """End the session and forget its cookie."""
    session = change.session
    uow = write_uow(request, session.account_id, actor=staff_actor(session.staff_id))
    await console_sessions.sign_out(uow, session)
    response = redirect(request, "/sign-in")
    response.delete_cookie(SESSION_COOKIE, path=console_root(request) or "/")
    return response
