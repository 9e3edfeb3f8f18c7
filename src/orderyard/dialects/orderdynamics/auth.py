"""OrderDynamics credentials: the account's API key, or a staff member's token.

The key comes in the ``Ocp-Apim-Subscription-Key`` header or, as the gateway also accepts,
the ``subscription-key`` query parameter; it is one of the account's API keys (the same
keys ShipEdge uses) and alone identifies the account. A refusal is the gateway's own body,
not a problem document: ``{"statusCode": 401, "message": ...}``.

A staff member's token (``/v1/staff/Token``) comes as ``Authorization: Bearer <token>``,
with or without the key (when both come, they must be of one account). It acts with its
member's role: a read-only member's POST, PUT, PATCH or DELETE is refused with 403, and the
event log records the member as who made each change. A refused token is answered by the
API itself, so in a problem document (401).

The three ways in are FastAPI security schemes (``SCHEMES``), declared on every operation of
the OpenAPI document by ``declare_security``; the dependency reads them from the request
itself. As three sub-dependencies they cost FastAPI about 90 Python calls a request, a tenth
of what a get of an order costs beside ShipEdge's (``bench/twins.py``).
"""

from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, APIKeyQuery, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import HTTPConnection

from orderyard.domain.errors import AuthenticationError, DomainError
from orderyard.domain.values import AccountId
from orderyard.http.deps import (
    ReadUnitOfWork,
    UnitOfWork,
    app_state,
    read_uow,
    system_uow,
    write_uow,
)
from orderyard.http.ratelimit import rate_limit
from orderyard.services import account as account_service
from orderyard.services import staff as staff_service
from orderyard.services.staff import Caller

MISSING: Final = (
    "Access denied due to missing subscription key."
    " Make sure to include subscription key when making requests to an API."
)
INVALID: Final = (
    "Access denied due to invalid subscription key."
    " Make sure to provide a valid key for an active subscription."
)
HEADER_KEY = APIKeyHeader(
    name="Ocp-Apim-Subscription-Key",
    scheme_name="SubscriptionKey",
    description="An account's API key.",
    auto_error=False,
)
QUERY_KEY = APIKeyQuery(
    name="subscription-key",
    scheme_name="SubscriptionKeyQuery",
    description="The same key, for clients that cannot send the header.",
    auto_error=False,
)
BEARER = HTTPBearer(
    scheme_name="StaffToken",
    description="A staff member's token (`POST /v1/staff/Token`), acting with its role.",
    auto_error=False,
)
SCHEMES: Final = (HEADER_KEY, QUERY_KEY, BEARER)
WRITES: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEY_ELSEWHERE: Final = "the subscription key and the token are of different accounts"


class GatewayRefusalError(Exception):
    """The request's key is missing or refused; answered in the gateway's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def gateway_refusal(error: GatewayRefusalError) -> JSONResponse:
    """The gateway's 401 body."""
    return JSONResponse({"statusCode": 401, "message": error.message}, status_code=401)


async def current_caller(request: Request) -> Caller:
    """Who sends the request: a staff member by its token, else the account by its key.

    401 when both are missing or refused. The caller then takes a token from its account's
    and its own rate-limit buckets (its key's, or its staff token's: ``Caller.actor``), a
    429 when either is empty (``http/ratelimit.py``). Whether the caller may write is
    checked where a route asks for a write unit of work (``_write_uow``).
    """
    caller = await _identified(request)
    await rate_limit(request, caller.account_id, caller.actor)
    return caller


async def _identified(request: Request) -> Caller:
    """The staff member of the token, else the account of the key (401 when refused)."""
    key = request.headers.get(HEADER_KEY.model.name) or request.query_params.get(
        QUERY_KEY.model.name
    )
    token = _bearer_token(request)
    if token is None:
        return Caller(await _account_of(request, key))
    caller = await staff_service.authenticate_token(system_uow(request), token)
    if key and await _account_of(request, key) != caller.account_id:
        raise AuthenticationError(KEY_ELSEWHERE)
    return caller


def _bearer_token(connection: HTTPConnection) -> str | None:
    """The token of an ``Authorization: Bearer`` header, as ``HTTPBearer`` reads it."""
    scheme, token = get_authorization_scheme_param(connection.headers.get("Authorization"))
    return token if scheme.lower() == "bearer" and token else None


async def _account_of(request: Request, key: str | None) -> AccountId:
    """The account whose key this is (the gateway's 401 when missing, wrong or inactive)."""
    if not key:
        raise GatewayRefusalError(MISSING)
    try:
        return await account_service.authenticate(system_uow(request), key, app_state(request).keys)
    except AuthenticationError:
        raise GatewayRefusalError(INVALID) from None


async def account_of(connection: HTTPConnection) -> AccountId | None:
    """The request's account by the checks of ``current_caller``, or None when refused.

    For ``http.idempotency``, which keys requests by account before the route runs; the
    route then checks again (a key-cache hit for a key) and answers the refusal itself, and
    takes the request's rate-limit token: this check takes none.
    """
    try:
        caller = await _identified(Request(connection.scope))
    except (DomainError, GatewayRefusalError):
        return None
    return caller.account_id


def declare_security(schema: dict[str, Any]) -> None:
    """Declare ``SCHEMES`` in the document, each enough alone on every operation."""
    components = schema.setdefault("components", {})
    components["securitySchemes"] = {
        scheme.scheme_name: jsonable_encoder(scheme.model, by_alias=True, exclude_none=True)
        for scheme in SCHEMES
    }
    either: list[dict[str, list[str]]] = [{scheme.scheme_name: []} for scheme in SCHEMES]
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            operation["security"] = either


async def current_account(caller: Annotated[Caller, Depends(current_caller)]) -> AccountId:
    """The account the request acts on, whoever sends it."""
    return caller.account_id


CallerDep = Annotated[Caller, Depends(current_caller)]


async def _write_uow(request: Request, caller: CallerDep) -> UnitOfWork:
    """A write unit of work acting as the caller; 403 for a read-only member's write.

    A write is a POST, PUT, PATCH or DELETE to a route that takes a write unit of work: a
    POST that only reads (``/v1/orders/Search``) takes a read one and stays open to all.
    """
    staff_service.authorize(caller, writes=request.method in WRITES)
    return write_uow(request, caller.account_id, actor=caller.actor)


def writes(route: APIRoute, method: str) -> bool:
    """Whether ``method`` on ``route`` is a write (``_write_uow``): it may answer 403."""

    def takes_write_uow(dependant: Dependant) -> bool:
        return dependant.call is _write_uow or any(
            takes_write_uow(sub) for sub in dependant.dependencies
        )

    return method.upper() in WRITES and takes_write_uow(route.dependant)


async def _read_uow(request: Request, caller: CallerDep) -> ReadUnitOfWork:
    return read_uow(request, caller.account_id)


UowDep = Annotated[UnitOfWork, Depends(_write_uow)]
ReadUowDep = Annotated[ReadUnitOfWork, Depends(_read_uow)]
