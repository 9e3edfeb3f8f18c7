"""Custom field metadata, and the custom fields of inventory locations.

The seed's two metadata GETs, Orderyard's additions to define and delete metadata, and the
seed's GET and PUT of inventory locations' custom fields. Values are kept in the one store
that ShipEdge's attributes use, each checked against its metadata before it is written.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import custom_field as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CustomFieldMetadataIn,
    CustomFieldMetadataOut,
    LocationCustomFieldsListOut,
    LocationCustomFieldsOut,
    LocationCustomFieldsPutIn,
)
from orderyard.dialects.orderdynamics.wire import LIST_MAX
from orderyard.services import custom_field as service

router = APIRouter(tags=["custom field metadata"])
locations_router = APIRouter(tags=["inventory locations"])
OwnerTypeQuery = Annotated[
    str,
    Query(
        alias="OwnerType",
        max_length=64,
        description="InventoryLocation, Item, Order, OrderLineItem, Serial, ItemLocationInventory,"
        " Shipment or ShipmentLineItem (any case).",
    ),
]


@router.get("/v1/customfieldmetadata", responses=documented(), name="Get custom field metadata")
async def get_metadata(
    uow: ReadUowDep,
    page: PageDep,
    owner: OwnerTypeQuery,
    names: Annotated[
        str,
        Query(
            alias="SystemNames",
            max_length=LIST_MAX,
            description="Comma-separated system names; unknown ones are left out.",
        ),
    ],
) -> Paged[CustomFieldMetadataOut]:
    """The metadata of the named custom fields of an owner type, in the order named."""
    owner_type = mappers.owner_type(owner, field="OwnerType")
    found = await service.get_custom_fields(uow, owner_type, mappers.comma_separated(names), page)
    return paged(found, [mappers.metadata_out(field) for field in found.items])


@router.get(
    "/v1/customfieldmetadata/{ownertype}",
    responses=documented(),
    name="List custom field metadata by owner type",
)
async def list_metadata(
    uow: ReadUowDep,
    page: PageDep,
    owner: Annotated[str, Path(alias="ownertype", max_length=64)],
) -> Paged[CustomFieldMetadataOut]:
    """A page of an owner type's custom field metadata, by system name."""
    owner_type = mappers.owner_type(owner, field="ownerType")
    found = await service.list_custom_fields(uow, owner_type, page)
    return paged(found, [mappers.metadata_out(field) for field in found.items])


@router.post(
    "/v1/customfieldmetadata",
    status_code=201,
    responses=documented(409),
    name="Define custom field metadata",
)
async def define_metadata(body: CustomFieldMetadataIn, uow: UowDep) -> CustomFieldMetadataOut:
    """Define a custom field of an owner type (Orderyard's addition)."""
    defined = await service.define_custom_field(uow, mappers.new_custom_field(body))
    return mappers.metadata_out(defined)


@router.delete(
    "/v1/customfieldmetadata",
    status_code=204,
    responses=documented(404),
    name="Delete custom field metadata",
)
async def delete_metadata(
    uow: UowDep,
    owner: OwnerTypeQuery,
    name: Annotated[str, Query(alias="SystemName", min_length=1, max_length=100)],
) -> Response:
    """Delete a custom field's metadata; stored values stay (Orderyard's addition)."""
    owner_type = mappers.owner_type(owner, field="OwnerType")
    await service.delete_custom_field(uow, owner_type, name)
    return Response(status_code=204)


@locations_router.get(
    "/v1/inventorylocations/customfields",
    responses=documented(),
    name="Get inventory locations custom fields",
)
async def get_location_fields(
    uow: ReadUowDep,
    page: PageDep,
    names: Annotated[
        str,
        Query(
            alias="locationInternalNames",
            max_length=LIST_MAX,
            description="Comma-separated InternalNames (at most 1000).",
        ),
    ],
) -> Paged[LocationCustomFieldsOut]:
    """The custom field values of the named inventory locations, in the order named."""
    codes = mappers.comma_separated(names)
    found = await service.get_location_custom_fields(uow, codes, page)
    return paged(found, [mappers.location_values_out(values) for values in found.items])


@locations_router.put(
    "/v1/inventorylocations/customfields",
    responses=documented(),
    name="Update inventory location custom fields",
)
async def put_location_fields(
    body: LocationCustomFieldsPutIn, uow: UowDep
) -> LocationCustomFieldsListOut:
    """Set custom field values of inventory locations: every change, or none of them."""
    changed = await service.set_location_custom_fields(uow, mappers.location_fields(body))
    return LocationCustomFieldsListOut(items=[mappers.location_values_out(v) for v in changed])


ROUTERS = (router, locations_router)
