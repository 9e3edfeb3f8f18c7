"""Serials: create serial numbers in bulk; set attributes on a range of them."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import serial as mappers
from orderyard.dialects.shipedge.schemas.serial import (
    SerialAttributesResultOut,
    SerialRangesIn,
    SerialsIn,
    SerialsResultOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.services import serial as serial_service

router = APIRouter(tags=["serials"])


@router.post(
    "/serials/bulk",
    response_model=Envelope[list[SerialsResultOut]],
    responses=documented(InvalidRequestError),
)
async def create_serials(
    body: SerialsIn, uow: UowDep
) -> Envelope[list[SerialsResultOut]] | JSONResponse:
    """Create serial numbers in bulk for products; each SKU is all-or-nothing."""
    commands = [mappers.create_serials(item) for item in body.data]
    outcomes = await serial_service.create_serials(uow, commands)
    return bulk_response([mappers.serials_out(o) for o in outcomes])


@router.post(
    "/serials/batch/attributes",
    response_model=Envelope[list[SerialAttributesResultOut]],
    responses=documented(InvalidRequestError),
)
async def set_serial_attributes(
    body: SerialRangesIn, uow: UowDep
) -> Envelope[list[SerialAttributesResultOut]] | JSONResponse:
    """Add attributes to a range of serial numbers; a name set again gets the new value."""
    commands = [mappers.set_attributes(item) for item in body.data]
    outcomes = await serial_service.set_serial_attributes(uow, commands)
    return bulk_response([mappers.attributes_out(o) for o in outcomes])
