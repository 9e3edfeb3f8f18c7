"""Rendering pages, and answering errors as pages in plain words.

Templates are Jinja2 with autoescaping (``templates/``); every page gets the console's root
path, the signed-in staff member (if any) and the CSRF token its forms carry.
"""

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from orderyard.console.session import (
    CsrfRefusedError,
    Signed,
    SignInRequiredError,
    console_root,
)
from orderyard.domain.errors import (
    AuthenticationError,
    DomainError,
    ForbiddenError,
    NotFoundError,
)

TEMPLATES: Final = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.filters["words"] = lambda value: str(value).replace("_", " ")
TEMPLATES.env.filters["when"] = lambda value: (
    "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")
)
CSRF_REFUSED = (
    "This form was not sent by this console's page (its security token is missing or"
    " stale): nothing was changed. Reload the page and try again."
)


def status_of(error: DomainError) -> int:
    """The HTTP status a page answers a domain error with."""
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, ForbiddenError):
        return 403
    if isinstance(error, AuthenticationError):
        return 401
    return 400


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    signed: Signed | None = None,
    status_code: int = 200,
) -> Response:
    """A page from ``template`` with the context every page shares."""
    shared = {
        "root": console_root(request),
        "section": "account" if "/account/" in request.url.path else "orders",
        "session": None if signed is None else signed.session,
        "csrf_token": None if signed is None else signed.csrf_token,
    }
    response = TEMPLATES.TemplateResponse(
        request, template, {**shared, **context}, status_code=status_code
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(
    request: Request, status_code: int, message: str, *, signed: Signed | None = None
) -> Response:
    """An error in plain words, on a page of its own."""
    return render(
        request,
        "error.html",
        {"status_code": status_code, "message": message},
        signed=signed,
        status_code=status_code,
    )


def redirect(request: Request, path: str) -> Response:
    """Send the browser to a console page (htmx follows it and swaps the page in)."""
    return RedirectResponse(f"{console_root(request)}{path}", status_code=303)


def refusal(status_code: int, field: str | None, message: str) -> Response:
    """The edge's refusal (``http.guard``: too large, unstorable, a card number) as a page."""
    named = f" ({html.escape(field)})" if field else ""
    return HTMLResponse(
        f"<!doctype html><html lang=en><title>Refused</title>"
        f"<p>The request was refused{named}: {html.escape(message)}</p></html>",
        status_code=status_code,
    )


def install(app: FastAPI) -> None:
    """Answer the console's own refusals and domain errors as pages."""

    async def sign_in_required(request: Request, _: Exception) -> Response:
        response = redirect(request, "/sign-in")
        if request.headers.get("HX-Request"):
            response.headers["HX-Redirect"] = f"{console_root(request)}/sign-in"
        return response

    async def csrf_refused(request: Request, _: Exception) -> Response:
        return error_page(request, 403, CSRF_REFUSED)

    async def domain_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, DomainError)  # noqa: S101 - registered for DomainError
        return error_page(request, status_of(error), error.message)

    app.add_exception_handler(SignInRequiredError, sign_in_required)
    app.add_exception_handler(CsrfRefusedError, csrf_refused)
    app.add_exception_handler(DomainError, domain_error)
