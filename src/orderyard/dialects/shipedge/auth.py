"""ShipEdge credentials: the ``AccountID`` and ``Key`` headers on every request.

The headers are declared as API-key security schemes rather than header parameters: the
OpenAPI document then shows them once, with Swagger UI's *Authorize* button, and FastAPI reads
them with one lookup each instead of validating header parameters on every request. Every
dependency here is ``async def`` although most do not await: FastAPI runs a plain ``def``
dependency in a worker thread, a thread hop per request on every route.
"""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.requests import HTTPConnection

from orderyard.domain.errors import AuthenticationError, DomainError, InvalidRequestError
from orderyard.domain.values import ID_MAX, AccountId, parse_id
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

ACCOUNT_ID = APIKeyHeader(
    name="AccountID",
    scheme_name="AccountID",
    description="Your numeric AccountID.",
    auto_error=False,
)
KEY = APIKeyHeader(name="Key", scheme_name="Key", description="Your API key.", auto_error=False)

INVALID_KEY = "The Key is invalid or doesn't have access to this API resource"
"""ShipEdge's own sentence for every refused key (DESIGN.md): unknown, of an inactive account,
or of another account than the ``AccountID`` sent with it."""


async def current_account(
    request: Request,
    account_id: Annotated[str | None, Security(ACCOUNT_ID)],
    key: Annotated[str | None, Security(KEY)],
) -> AccountId:
    """Authenticate the request: 400 when a header is missing, 401 when it is wrong.

    Then the request takes a token from the account's and the key's rate-limit buckets
    (``http/ratelimit.py``; 429 when they are empty).
    """
    account = await _authenticated(request, account_id, key)
    await rate_limit(request, account, f"api:{account}")
    return account


async def _authenticated(request: Request, account_id: str | None, key: str | None) -> AccountId:
    """The account of the headers, or why not (400, 401).

    The key alone names its account (``services.account.authenticate``); ShipEdge's
    ``AccountID`` must then be that account, whether the key came from the cache or not.
    """
    if not account_id:
        raise InvalidRequestError("Missing required header: AccountID", field="AccountID")
    if not key:
        raise InvalidRequestError("Missing required header: Key", field="Key")
    number = parse_id(account_id.strip())
    if number is None:
        raise InvalidRequestError(
            f"AccountID must be a number from 1 to {ID_MAX}", field="AccountID"
        )
    try:
        account = await account_service.authenticate(
            system_uow(request), key, app_state(request).keys
        )
    except AuthenticationError:
        raise AuthenticationError(INVALID_KEY) from None
    if account != number:
        raise AuthenticationError(INVALID_KEY)
    return account


async def account_of(connection: HTTPConnection) -> AccountId | None:
    """The request's account by the checks above, or None when they refuse it.

    For ``http.idempotency``, which keys requests by account before the route runs; the
    route then checks again (a key-cache hit) and answers the refusal itself, and takes the
    request's rate-limit token: this check takes none.
    """
    headers = connection.headers
    try:
        return await _authenticated(
            Request(connection.scope), headers.get("AccountID"), headers.get("Key")
        )
    except DomainError:
        return None


AccountDep = Annotated[AccountId, Depends(current_account)]


async def _write_uow(request: Request, account: AccountDep) -> UnitOfWork:
    return write_uow(request, account, actor=f"api:{account}")


async def _read_uow(request: Request, account: AccountDep) -> ReadUnitOfWork:
    return read_uow(request, account)


UowDep = Annotated[UnitOfWork, Depends(_write_uow)]
ReadUowDep = Annotated[ReadUnitOfWork, Depends(_read_uow)]
