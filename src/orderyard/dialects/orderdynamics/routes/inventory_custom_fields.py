"""Custom fields of item location inventories: one SKU at one location.

The seed's GET names one SKU and one location, so it answers that one record (not a page), and
404s when either does not exist, as the other reads naming one record do
(``GET /v1/inventory/stores/available``, ``GET /v1/inventorylocations``). The PUT takes many
entries, all or nothing, and names an unknown SKU or location as bad input of the entry, as
``PUT /v1/inventory/onhand`` does.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import inventory_custom_fields as mappers
from orderyard.dialects.orderdynamics.schemas.inventory_custom_fields import (
    ItemLocationCustomFieldsListOut,
    ItemLocationCustomFieldsOut,
    ItemLocationCustomFieldsPutIn,
)
from orderyard.services import item_location as service

router = APIRouter(tags=["inventory"])


@router.get(
    "/v1/inventory/customfields",
    responses=documented(404),
    name="Get custom fields for item location inventories",
)
async def get_item_location_fields(
    uow: ReadUowDep,
    sku: Annotated[str, Query(alias="sku", min_length=1, max_length=100, description="The SKU.")],
    location: Annotated[
        str,
        Query(
            alias="locationInternalName",
            min_length=1,
            max_length=64,
            description="The location's InternalName.",
        ),
    ],
) -> ItemLocationCustomFieldsOut:
    """The custom field values of one SKU at one location."""
    found = await service.get_item_location_custom_fields(uow, sku, location)
    return mappers.item_location_values_out(found)


@router.put(
    "/v1/inventory/customfields",
    responses=documented(),
    name="Update custom fields for item location inventories",
)
async def put_item_location_fields(
    body: ItemLocationCustomFieldsPutIn, uow: UowDep
) -> ItemLocationCustomFieldsListOut:
    """Set custom field values of SKUs at locations: every change, or none of them."""
    changed = await service.set_item_location_custom_fields(uow, mappers.item_location_fields(body))
    return ItemLocationCustomFieldsListOut(
        items=[mappers.item_location_values_out(values) for values in changed]
    )


ROUTERS = (router,)
