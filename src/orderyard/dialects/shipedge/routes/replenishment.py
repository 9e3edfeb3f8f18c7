"""Replenishments: create and update (receive, cancel) in bulk, list, get one."""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import replenishment as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.replenishment import (
    ReplenishmentOut,
    ReplenishmentResultOut,
    ReplenishmentsIn,
    ReplenishmentsPatch,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import ID_MAX
from orderyard.services import replenishment as replenishment_service

router = APIRouter(tags=["replenishments"])
Results = Envelope[list[ReplenishmentResultOut]]
ReplenishmentPath = Annotated[
    int, Path(alias="replenishment", ge=1, le=ID_MAX, description="Replenishment ID.")
]


@router.post(
    "/inventory/replenishments",
    response_model=Results,
    responses=documented(InvalidRequestError),
)
async def create_replenishments(body: ReplenishmentsIn, uow: UowDep) -> Results | JSONResponse:
    """Announce inbound stock for a distribution center; `received` units go on hand."""
    results = await replenishment_service.create_replenishments(
        uow, [mappers.create_replenishment(r) for r in body.data]
    )
    return bulk_response([mappers.result_out(result) for result in results])


@router.get("/inventory/replenishments", responses=documented())
async def list_replenishments(uow: ReadUowDep, page: PageDep) -> ListEnvelope[ReplenishmentOut]:
    """List replenishments, newest first, with their items."""
    found = await replenishment_service.list_replenishments(uow, page)
    return ListEnvelope(
        data=[mappers.replenishment_out(view) for view in found.items], metadata=metadata(found)
    )


@router.patch(
    "/inventory/replenishments",
    response_model=Results,
    responses=documented(InvalidRequestError),
)
async def update_replenishments(body: ReplenishmentsPatch, uow: UowDep) -> Results | JSONResponse:
    """Update replenishments by `replenishment_id`: receive units, change or cancel them."""
    results = await replenishment_service.update_replenishments(
        uow, [mappers.update_replenishment(r) for r in body.data]
    )
    return bulk_response([mappers.result_out(result) for result in results])


@router.get("/inventory/replenishments/{replenishment}", responses=documented(NotFoundError))
async def get_replenishment(
    replenishment_id: ReplenishmentPath, uow: ReadUowDep
) -> Envelope[ReplenishmentOut]:
    """Get one replenishment with its items and what arrived."""
    view = await replenishment_service.get_replenishment(uow, replenishment_id)
    return Envelope(data=mappers.replenishment_out(view))
