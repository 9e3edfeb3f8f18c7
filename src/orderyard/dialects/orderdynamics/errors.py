"""OrderDynamics' errors: RFC 9457 problem details, in the shape ASP.NET clients parse.

``{"type", "title", "status", "traceId", "errors": {"Field": ["message"]}}`` with
``application/problem+json``; ``detail`` carries a domain error's message. A refused key is
not a problem document: the vendor's API gateway answers ``{"statusCode": 401, "message"}``,
so clients test for that (``auth.py``).
"""

from collections.abc import Mapping, Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from orderyard.dialects.orderdynamics.fields import wire_field
from orderyard.domain.errors import (
    AuthenticationError,
    ConflictError,
    ContentTooLargeError,
    DomainError,
    ForbiddenError,
    NotFoundError,
)
from orderyard.http.ratelimit import RETRY_AFTER, RateLimitedError
from orderyard.http.routing import MethodIndex
from orderyard.http.trace import current_trace_id

PROBLEM: Final = "application/problem+json"
RFC9110: Final = "https://tools.ietf.org/html/rfc9110#section-"
KINDS: Final[dict[int, tuple[str, str]]] = {
    400: ("15.5.1", "One or more validation errors occurred."),
    401: ("15.5.2", "Unauthorized"),
    403: ("15.5.4", "Forbidden"),
    404: ("15.5.5", "Not Found"),
    405: ("15.5.6", "Method Not Allowed"),
    409: ("15.5.10", "Conflict"),
    413: ("15.5.14", "Content Too Large"),
    429: ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
    500: ("15.6.1", "An error occurred while processing your request."),
}
"""ASP.NET's ``type`` (a section of RFC 9110, or a whole URL) and ``title`` per status."""
STATUS: Final[tuple[tuple[type[DomainError], int], ...]] = (
    (NotFoundError, 404),
    (ContentTooLargeError, 413),
    (ConflictError, 409),
    (AuthenticationError, 401),
    (ForbiddenError, 403),
    (DomainError, 400),
)
"""Most specific first. A refused subscription key never reaches here (``auth.py`` answers
it in the gateway's words); a refused staff token or password does (401)."""


def problem(
    status: int,
    *,
    detail: str | None = None,
    errors: Mapping[str, Sequence[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem-details response carrying the request's trace id."""
    section, title = KINDS.get(status, KINDS[400] if status < 500 else KINDS[500])
    kind = section if section.startswith("https:") else RFC9110 + section
    body: dict[str, Any] = {"type": kind, "title": title, "status": status}
    if detail is not None:
        body["detail"] = detail
    if errors:
        body["errors"] = {field: list(messages) for field, messages in errors.items()}
    body["traceId"] = current_trace_id()
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def refusal(status: int, field: str | None, message: str) -> JSONResponse:
    """The problem for what the shared edge refuses (``http.guard.RequestGuard``)."""
    errors = None if field is None else {field: [message]}
    return problem(status, detail=message if field is None else None, errors=errors)


def domain_problem(error: DomainError) -> JSONResponse:
    """The problem for a domain error, its field named in the dialect's words."""
    status = next(status for kind, status in STATUS if isinstance(error, kind))
    field = wire_field(error.field)
    errors = None if field is None or status == 404 else {field: [error.message]}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return problem(status, detail=error.message, errors=errors, headers=headers)


def validation_problem(exc: RequestValidationError) -> JSONResponse:
    """400 with one entry per field, as ASP.NET's model validation reports them."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        field = _path(error["loc"])
        message = "is required." if error["type"] == "missing" else f"{error['msg']}."
        errors.setdefault(field, []).append(f"{field}: {message}")
    return problem(400, errors=errors)


def _path(location: Sequence[Any]) -> str:
    """A Pydantic location as the client names it: ``Items[0].Sku``, ``pageSize``."""
    parts = [p for p in location if p not in ("body", "query", "path", "header")]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "body"


def install(app: FastAPI, methods: MethodIndex) -> None:
    """Install the dialect's error handlers (unexpected errors: ``RequestGuard``)."""

    async def _domain(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)  # noqa: S101 - registered for it only
        return domain_problem(exc)

    async def _invalid(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
        return validation_problem(exc)

    async def _http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)  # noqa: S101 - registered for it only
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": methods.allow(request)}
        return problem(exc.status_code, detail=str(exc.detail), headers=headers)

    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RateLimitedError, _rate_limited)


async def _rate_limited(_: Request, exc: Exception) -> JSONResponse:
    """429 as a problem, with ``Retry-After`` (whole seconds)."""
    assert isinstance(exc, RateLimitedError)  # noqa: S101 - registered for it only
    return problem(429, detail=exc.message, headers={RETRY_AFTER: str(exc.retry_after)})


_PROBLEM = {"$ref": "#/components/schemas/ProblemOut"}
_GATEWAY = {"$ref": "#/components/schemas/GatewayErrorOut"}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problems a route can answer, plus 400 and 401."""
    responses: dict[int | str, dict[str, Any]] = {
        status: {"description": KINDS[status][1], "content": {PROBLEM: {"schema": _PROBLEM}}}
        for status in sorted({400, *statuses})
    }
    responses[401] = {
        "description": "The subscription key is missing, or is not an active account's"
        " (the gateway's body); or the staff token is unknown, revoked or its member"
        " disabled (a problem).",
        "content": {"application/json": {"schema": _GATEWAY}, PROBLEM: {"schema": _PROBLEM}},
    }
    return responses


FORBIDDEN: Final[dict[str, Any]] = {
    "description": "A staff token whose role does not allow this request.",
    "content": {PROBLEM: {"schema": _PROBLEM}},
}
"""The 403 every write operation may answer (``app.py`` adds it to the document)."""
