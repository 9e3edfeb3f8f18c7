"""ShipEdge credentials: the ``AccountID`` and ``Key`` headers on every request."""

from typing import Annotated

from fastapi import Depends, Header, Request

from orderyard.domain.errors import InvalidRequestError
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


async def current_account(
    request: Request,
    account_id: Annotated[
        str | None, Header(alias="AccountID", description="Your numeric AccountID.")
    ] = None,
    key: Annotated[str | None, Header(alias="Key", description="Your API key.")] = None,
) -> AccountId:
    """Authenticate the request: 400 when a header is missing, 401 when it is wrong."""
    if not account_id:
        raise InvalidRequestError("Missing required header: AccountID", field="AccountID")
    if not key:
        raise InvalidRequestError("Missing required header: Key", field="Key")
    if not account_id.strip().isdigit():
        raise InvalidRequestError("AccountID must be numeric", field="AccountID")
    return await account_service.authenticate_key(
        system_uow(request), int(account_id), key, app_state(request).keys
    )


AccountDep = Annotated[AccountId, Depends(current_account)]


def _write_uow(request: Request, account: AccountDep) -> UnitOfWork:
    return write_uow(request, account, actor=f"api:{account}")


def _read_uow(request: Request, account: AccountDep) -> ReadUnitOfWork:
    return read_uow(request, account)


UowDep = Annotated[UnitOfWork, Depends(_write_uow)]
ReadUowDep = Annotated[ReadUnitOfWork, Depends(_read_uow)]
