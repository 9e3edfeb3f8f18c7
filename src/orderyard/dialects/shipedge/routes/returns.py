"""Returns (RMAs): create in bulk, list, get one."""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import returns as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.returns import ReturnOut, ReturnResultOut, ReturnsIn
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import ID_MAX
from orderyard.services import returns as returns_service

router = APIRouter(tags=["returns"])
Results = Envelope[list[ReturnResultOut]]
ReturnPath = Annotated[int, Path(alias="return", ge=1, le=ID_MAX, description="Return ID.")]


@router.post(
    "/inventory/returns",
    response_model=Results,
    responses=documented(InvalidRequestError),
)
async def create_returns(body: ReturnsIn, uow: UowDep) -> Results | JSONResponse:
    """Create returns of shipped order units; each reserves what it announces."""
    results = await returns_service.create_returns(
        uow, [mappers.create_return(ret) for ret in body.data]
    )
    return bulk_response([mappers.result_out(result) for result in results])


@router.get("/inventory/returns", responses=documented())
async def list_returns(uow: ReadUowDep, page: PageDep) -> ListEnvelope[ReturnOut]:
    """List returns, newest first, with their items."""
    found = await returns_service.list_returns(uow, page)
    return ListEnvelope(
        data=[mappers.return_out(view) for view in found.items], metadata=metadata(found)
    )


@router.get("/inventory/returns/{return}", responses=documented(NotFoundError))
async def get_return(return_id: ReturnPath, uow: ReadUowDep) -> Envelope[ReturnOut]:
    """Get one return with its items and counts."""
    view = await returns_service.get_return(uow, return_id)
    return Envelope(data=mappers.return_out(view))
