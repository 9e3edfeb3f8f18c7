"""``POST /ping``: check the service and your credentials."""

from fastapi import APIRouter
from pydantic import BaseModel

from orderyard.dialects.shipedge.auth import AccountDep
from orderyard.dialects.shipedge.envelope import Envelope
from orderyard.dialects.shipedge.errors import documented

router = APIRouter(tags=["ping"])


class PingOut(BaseModel):
    """The seed's pong."""

    status: str
    result: str


@router.post("/ping", responses=documented())
async def ping(_: AccountDep) -> Envelope[PingOut]:
    """Check system status and verify your authentication."""
    return Envelope(data=PingOut(status="Successful", result="pong!"))
