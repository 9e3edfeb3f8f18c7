"""My Account > Preferences > API Integration: the AccountID, a new key, both dialects' URLs.

The page the ShipEdge documentation sends its users to for their credentials. A new key is
shown once, in the answer to "Generate new Key", and never again: only its digest is kept.
"""

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.config import console_config
from orderyard.console.session import ChangeDep, Signed, SignedDep
from orderyard.console.web import render
from orderyard.domain.event_log import staff_actor
from orderyard.domain.staff import Role
from orderyard.http.deps import app_state, write_uow
from orderyard.services import account as account_service

router = APIRouter()
PAGE = "/account/api-integration"
KEY_PLACEHOLDER = "YOUR_KEY"


@dataclass(frozen=True, slots=True)
class DialectAccess:
    """How a client of one dialect reaches this account: its base URL and a first request."""

    name: str
    base_url: str
    curl: str


def dialect_access(request: Request, account_id: int, key: str) -> list[DialectAccess]:
    """Both dialects' base URLs on this server, each with a curl command to try."""
    config = console_config(request)
    origin = f"{request.url.scheme}://{request.url.netloc}"
    shipedge = f"{origin}{config.shipedge_root}"
    orderdynamics = f"{origin}{config.orderdynamics_root}/v1"
    return [
        DialectAccess(
            "ShipEdge REST API v4 (OMS)",
            shipedge,
            f'curl -X POST "{shipedge}/ping" -H "AccountID: {account_id}" -H "Key: {key}"',
        ),
        DialectAccess(
            "OrderDynamics (OMNI OMS)",
            orderdynamics,
            f'curl "{orderdynamics}/items/Skus" -H "Ocp-Apim-Subscription-Key: {key}"',
        ),
    ]


def _page(request: Request, signed: Signed, *, new_key: str = "") -> Response:
    account_id = signed.session.account_id
    return render(
        request,
        "api_integration.html",
        {
            "account_id": account_id,
            "new_key": new_key,
            "may_generate": signed.session.role is Role.ADMIN,
            "dialects": dialect_access(request, account_id, new_key or KEY_PLACEHOLDER),
        },
        signed=signed,
    )


@router.get(PAGE)
async def api_integration(request: Request, signed: SignedDep) -> Response:
    """The AccountID and both dialects' base URLs."""
    return _page(request, signed)


@router.post(f"{PAGE}/key")
async def generate_key(request: Request, change: ChangeDep) -> Response:
    """Replace the account's key; the new one is shown in this answer only (admins only)."""
    session = change.session
    uow = write_uow(request, session.account_id, actor=staff_actor(session.staff_id))
    regenerated = await account_service.regenerate_key(uow, session.caller)
    app_state(request).keys.forget(regenerated.replaced_digest)
    return _page(request, change.signed, new_key=regenerated.key)
