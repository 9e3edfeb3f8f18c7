"""Synsets (kits): list, create and replace in bulk, get one."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import synset as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.synset import SynsetOut, SynsetResultOut, SynsetsIn
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.services import catalog as catalog_service

router = APIRouter(tags=["synsets"])
Results = Envelope[list[SynsetResultOut]]


@router.get("/inventory/synsets", responses=documented())
async def list_synsets(uow: ReadUowDep, page: PageDep) -> ListEnvelope[SynsetOut]:
    """List synsets, oldest first, with their items."""
    found = await catalog_service.list_kits(uow, page)
    return ListEnvelope(
        data=[mappers.synset_out(view) for view in found.items], metadata=metadata(found)
    )


@router.post(
    "/inventory/synsets", response_model=Results, responses=documented(InvalidRequestError)
)
async def create_synsets(body: SynsetsIn, uow: UowDep) -> Results | JSONResponse:
    """Create synsets: each becomes a SKU that orders explode into its items."""
    outcomes = await catalog_service.create_kits(uow, [mappers.set_kit(s) for s in body.data])
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.patch(
    "/inventory/synsets",
    response_model=Results,
    responses=documented(NotFoundError, InvalidRequestError),
)
async def update_synsets(body: SynsetsIn, uow: UowDep) -> Results | JSONResponse:
    """Replace the items of existing synsets; orders already placed keep theirs."""
    outcomes = await catalog_service.update_kits(uow, [mappers.set_kit(s) for s in body.data])
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.get("/inventory/synsets/{synset:path}", responses=documented(NotFoundError))
async def get_synset(synset: str, uow: ReadUowDep) -> Envelope[SynsetOut]:
    """Get one synset and its items."""
    view = await catalog_service.get_kit(uow, synset)
    return Envelope(data=mappers.synset_out(view))
