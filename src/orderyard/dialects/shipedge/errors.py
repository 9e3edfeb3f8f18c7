"""ShipEdge's error table: domain errors and validation failures to status codes and envelopes.

ShipEdge documents only 200/400/401/403/404/500 (seed: "Status codes"), so conflicts are 400.
"""

from collections.abc import Mapping, Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from orderyard.dialects.shipedge.envelope import ErrorBody, ErrorEnvelope, FieldError
from orderyard.dialects.shipedge.fields import Scope, scope_of, wire_field, wire_message
from orderyard.domain.errors import (
    AuthenticationError,
    ConflictError,
    DomainError,
    InvalidRequestError,
    NotFoundError,
)
from orderyard.http.ratelimit import RETRY_AFTER, RateLimitedError
from orderyard.http.routing import MethodIndex

STATUS: Final[tuple[tuple[type[DomainError], int], ...]] = (
    (AuthenticationError, 401),
    (NotFoundError, 404),
    (InvalidRequestError, 400),
    (ConflictError, 400),
    (DomainError, 400),
)
"""Most specific first."""


def status_of(error: DomainError) -> int:
    """The HTTP status ShipEdge uses for a domain error."""
    return next(status for kind, status in STATUS if isinstance(error, kind))


def error_response(
    status: int,
    message: str,
    errors: Sequence[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """An error in ShipEdge's envelope."""
    body = ErrorEnvelope(response=ErrorBody(message=message, errors=list(errors)))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def refusal(status: int, field: str | None, message: str) -> JSONResponse:
    """The envelope for what the shared edge refuses (``http.guard.RequestGuard``)."""
    errors = [] if field is None else [FieldError(field=field, message=message)]
    return error_response(status, message, errors)


def domain_error_response(error: DomainError, scope: Scope | None = None) -> JSONResponse:
    """The envelope for one domain error, its field and message in ShipEdge's words."""
    message = wire_message(error.message)
    field = wire_field(error.field, scope)
    return error_response(status_of(error), message, [FieldError(field=field, message=message)])


def field_path(location: Sequence[Any]) -> str:
    """Render a Pydantic error location as a JSON path: ``data[0].customer.zip``."""
    parts = [p for p in location if p not in ("body", "query", "path", "header")]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "body"


def validation_errors(exc: RequestValidationError) -> list[FieldError]:
    """One entry per failed field, named by its path."""
    errors = []
    for error in exc.errors():
        path = field_path(error["loc"])
        message = error["msg"]
        if error["type"] == "missing":
            message = "is required"
        errors.append(FieldError(field=path, message=f"{path}: {message}"))
    return errors


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
    route = getattr(request.scope.get("route"), "path", "")
    return domain_error_response(exc, scope_of(route))


async def _invalid(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for it only
    errors = validation_errors(exc)
    return error_response(400, "; ".join(e.message for e in errors), errors)


def install(app: FastAPI, methods: MethodIndex) -> None:
    """Install ShipEdge's error handlers on its sub-app.

    Unexpected exceptions are answered by ``http.guard.RequestGuard`` with ``refusal``, not
    by a handler here: Starlette re-raises after its last-resort handler, which drops the
    connection.
    """
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid)

    async def _http(request: Request, exc: Exception) -> JSONResponse:
        """Starlette's own errors (404, 405 naming every allowed method) in the envelope."""
        assert isinstance(exc, HTTPException)  # noqa: S101 - registered for it only
        headers = exc.headers
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": methods.allow(request)}
        return error_response(exc.status_code, str(exc.detail), headers=headers)

    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RateLimitedError, _rate_limited)


async def _rate_limited(_: Request, exc: Exception) -> JSONResponse:
    """429 in the envelope (ShipEdge documents no code for it: HTTP's own), with Retry-After."""
    assert isinstance(exc, RateLimitedError)  # noqa: S101 - registered for it only
    return error_response(429, exc.message, headers={RETRY_AFTER: str(exc.retry_after)})


def documented(*errors: type[DomainError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors a route can raise, plus auth and validation."""
    statuses = {400, 401, *(next(s for k, s in STATUS if issubclass(e, k)) for e in errors)}
    return {status: {"model": ErrorEnvelope} for status in sorted(statuses)}
