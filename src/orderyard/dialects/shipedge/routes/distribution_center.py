"""Distribution centers: the account's locations."""

from typing import Annotated

from fastapi import APIRouter, Path

from orderyard.dialects.shipedge.auth import ReadUowDep
from orderyard.dialects.shipedge.envelope import Envelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import distribution_center as mappers
from orderyard.dialects.shipedge.schemas.distribution_center import DistributionCenterOut
from orderyard.domain.errors import NotFoundError
from orderyard.domain.values import ID_MAX
from orderyard.services import location as location_service

router = APIRouter(tags=["distribution centers"])


@router.get("/distribution_centers", responses=documented())
async def list_distribution_centers(uow: ReadUowDep) -> Envelope[list[DistributionCenterOut]]:
    """List every distribution center of the account, by allocation priority."""
    locations = await location_service.list_locations(uow)
    return Envelope(data=[mappers.distribution_center_out(loc) for loc in locations])


@router.get("/distribution_centers/{distribution_center_id}", responses=documented(NotFoundError))
async def get_distribution_center(
    distribution_center_id: Annotated[int, Path(ge=1, le=ID_MAX)], uow: ReadUowDep
) -> Envelope[DistributionCenterOut]:
    """Get one distribution center by its ID."""
    location = await location_service.get_location(uow, distribution_center_id)
    return Envelope(data=mappers.distribution_center_out(location))
