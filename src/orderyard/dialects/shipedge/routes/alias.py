"""Aliases (translators): list, create and update in bulk, get one."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import alias as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.alias import (
    AliasesIn,
    AliasesPatch,
    AliasOut,
    AliasResultOut,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import ID_MAX
from orderyard.services import catalog as catalog_service

router = APIRouter(tags=["aliases"])
Results = Envelope[list[AliasResultOut]]


@router.get("/inventory/aliases", responses=documented(InvalidRequestError))
async def list_aliases(
    uow: ReadUowDep,
    page: PageDep,
    channel_id: Annotated[
        int | None, Query(ge=1, le=ID_MAX, description="Only this channel's.")
    ] = None,
    distribution_center: Annotated[
        str | None, Query(description="Only this distribution center's (its code).")
    ] = None,
) -> ListEnvelope[AliasOut]:
    """List aliases, oldest first."""
    found = await catalog_service.list_aliases(
        uow, page, channel_id=channel_id, location=distribution_center or None
    )
    return ListEnvelope(
        data=[mappers.alias_out(view) for view in found.items], metadata=metadata(found)
    )


@router.post(
    "/inventory/aliases", response_model=Results, responses=documented(InvalidRequestError)
)
async def create_aliases(body: AliasesIn, uow: UowDep) -> Results | JSONResponse:
    """Map external SKUs to internal ones; each alias is created or reported on its own."""
    commands = [mappers.create_alias(alias) for alias in body.data]
    outcomes = await catalog_service.create_aliases(uow, commands)
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.patch(
    "/inventory/aliases",
    response_model=Results,
    responses=documented(NotFoundError, InvalidRequestError),
)
async def update_aliases(body: AliasesPatch, uow: UowDep) -> Results | JSONResponse:
    """Change the SKU, channel or distribution center of aliases named by `alias`."""
    commands = [mappers.update_alias(alias) for alias in body.data]
    outcomes = await catalog_service.update_aliases(uow, commands)
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.get("/inventory/aliases/{alias:path}", responses=documented(NotFoundError))
async def get_alias(alias: str, uow: ReadUowDep) -> Envelope[AliasOut]:
    """Get one alias by its exact name."""
    view = await catalog_service.get_alias(uow, alias)
    return Envelope(data=mappers.alias_out(view))
