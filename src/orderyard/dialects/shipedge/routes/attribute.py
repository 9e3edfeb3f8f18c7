"""Attributes: custom name/value metadata on orders, products and serials."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import attribute as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.attribute import (
    AttributeOut,
    AttributeResultOut,
    AttributesIn,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.services import attribute as attribute_service

router = APIRouter(tags=["attributes"])
PATH = "/attributes/{owner_type}/{owner_id:path}"

OwnerTypePath = Annotated[
    str,
    Path(
        description="`order`, `product` or `serial` (any case).",
        json_schema_extra={"enum": list(mappers.OWNER_TYPES)},
    ),
]
OwnerIdPath = Annotated[
    str,
    Path(description="The order id; the product SKU or id (SKU first); the serial id."),
]
BulkResponse = Envelope[list[AttributeResultOut]] | JSONResponse


@router.get(PATH, responses=documented(NotFoundError, InvalidRequestError))
async def list_attributes(
    owner_type: OwnerTypePath, owner_id: OwnerIdPath, uow: ReadUowDep, page: PageDep
) -> ListEnvelope[AttributeOut]:
    """Get attributes for a specific owner, by name."""
    owner = mappers.owner_ref(owner_type, owner_id)
    found = await attribute_service.list_attributes(uow, owner, page)
    return ListEnvelope(
        data=[mappers.attribute_out(a) for a in found.items], metadata=metadata(found)
    )


@router.post(
    PATH,
    response_model=Envelope[list[AttributeResultOut]],
    responses=documented(NotFoundError, InvalidRequestError),
)
async def create_attributes(
    owner_type: OwnerTypePath, owner_id: OwnerIdPath, body: AttributesIn, uow: UowDep
) -> BulkResponse:
    """Create new attributes for an owner; an existing name is refused (use PATCH)."""
    owner = mappers.owner_ref(owner_type, owner_id)
    outcomes = await attribute_service.create_attributes(
        uow, owner, mappers.attributes_in(body.data)
    )
    return bulk_response([mappers.outcome_out(o) for o in outcomes])


@router.patch(
    PATH,
    response_model=Envelope[list[AttributeResultOut]],
    responses=documented(NotFoundError, InvalidRequestError),
)
async def update_attributes(
    owner_type: OwnerTypePath, owner_id: OwnerIdPath, body: AttributesIn, uow: UowDep
) -> BulkResponse:
    """Update existing attributes of an owner; a missing name is refused (use POST)."""
    owner = mappers.owner_ref(owner_type, owner_id)
    outcomes = await attribute_service.update_attributes(
        uow, owner, mappers.attributes_in(body.data)
    )
    return bulk_response([mappers.outcome_out(o) for o in outcomes])


@router.delete(PATH, responses=documented(NotFoundError, InvalidRequestError))
async def delete_attribute(
    owner_type: OwnerTypePath,
    owner_id: OwnerIdPath,
    attribute: Annotated[str, Query(description="The name of the attribute to delete.")],
    uow: UowDep,
) -> Envelope[AttributeResultOut]:
    """Delete an attribute of an owner; the answer carries its last value."""
    owner = mappers.owner_ref(owner_type, owner_id)
    deleted = await attribute_service.delete_attribute(uow, owner, attribute.strip())
    return Envelope(data=mappers.deleted_out(deleted))
