"""OrderDynamics credentials: the API key alone, as the vendor's API gateway takes it.

The key comes in the ``Ocp-Apim-Subscription-Key`` header or, as the gateway also accepts,
the ``subscription-key`` query parameter; it is one of the account's API keys (the same
keys ShipEdge uses) and alone identifies the account. A refusal is the gateway's own body,
not a problem document: ``{"statusCode": 401, "message": ...}``.
"""

from typing import Annotated, Final

from fastapi import Depends, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, APIKeyQuery

from orderyard.domain.errors import AuthenticationError
from orderyard.domain.values import AccountId
from orderyard.http.deps import (
    ReadUnitOfWork,
    UnitOfWork,
    app_state,
    read_uow,
    system_uow,
    write_uow,
)
from orderyard.services import account as account_service

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


class GatewayRefusalError(Exception):
    """The request's key is missing or refused; answered in the gateway's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def gateway_refusal(error: GatewayRefusalError) -> JSONResponse:
    """The gateway's 401 body."""
    return JSONResponse({"statusCode": 401, "message": error.message}, status_code=401)


async def current_account(
    request: Request,
    header_key: Annotated[str | None, Security(HEADER_KEY)],
    query_key: Annotated[str | None, Security(QUERY_KEY)],
) -> AccountId:
    """The account whose key the request carries (401 when missing, wrong or inactive)."""
    key = header_key or query_key
    if not key:
        raise GatewayRefusalError(MISSING)
    try:
        return await account_service.authenticate(system_uow(request), key, app_state(request).keys)
    except AuthenticationError:
        raise GatewayRefusalError(INVALID) from None


AccountDep = Annotated[AccountId, Depends(current_account)]


async def _write_uow(request: Request, account: AccountDep) -> UnitOfWork:
    return write_uow(request, account, actor=f"api:{account}")


async def _read_uow(request: Request, account: AccountDep) -> ReadUnitOfWork:
    return read_uow(request, account)


UowDep = Annotated[UnitOfWork, Depends(_write_uow)]
ReadUowDep = Annotated[ReadUnitOfWork, Depends(_read_uow)]
