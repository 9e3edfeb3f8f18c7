"""Order fulfillment: a shipment's status, tracking numbers and custom fields.

Also the account's choice to create shipments as soon as stock is allocated (Orderyard's
addition to the API).
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import shipment as mappers
from orderyard.dialects.orderdynamics.routes.shipments import SHIPMENTS, QueryShipmentId
from orderyard.dialects.orderdynamics.schemas.shipment import (
    SettingsIn,
    SettingsOut,
    ShipmentCustomFieldsIn,
    ShipmentLineCustomFieldsIn,
    ShipmentOut,
    StatusIn,
    TrackingNumbersIn,
)
from orderyard.domain.values import ID_MAX
from orderyard.services import shipment as shipment_service
from orderyard.services.shipment import details, read

router = APIRouter(tags=["order fulfillment"])
SETTINGS = "/v1/orderfulfillment/settings"


@router.put(f"{SHIPMENTS}/Status", responses=documented(404, 409), name="Update shipment status")
async def put_status(
    body: StatusIn, uow: UowDep, read_uow: ReadUowDep, shipment_id: QueryShipmentId = None
) -> ShipmentOut:
    """Move a shipment along Created, Released, Picked, Packed, Shipped, Delivered (or out)."""
    chosen = mappers.shipment_id_of(shipment_id, body.shipment_id, field="ShipmentId")
    status = mappers.status_of(body.shipment_status, field="ShipmentStatus")
    await shipment_service.set_shipment_status(uow, chosen, status, reason=body.reason)
    return await _shipment(read_uow, chosen)


@router.put(
    f"{SHIPMENTS}/TrackingNumbers",
    responses=documented(404, 409),
    name="Update shipment tracking numbers",
)
async def put_tracking(
    body: TrackingNumbersIn,
    uow: UowDep,
    read_uow: ReadUowDep,
    shipment_id: Annotated[
        int, Query(alias="ShipmentId", ge=1, le=ID_MAX, description="The shipment's id.")
    ],
) -> ShipmentOut:
    """Replace the shipment's tracking numbers (carrier, number, URL) with those sent."""
    await details.replace_tracking(uow, shipment_id, mappers.tracking_in(body.tracking_numbers))
    return await _shipment(read_uow, shipment_id)


@router.put(
    f"{SHIPMENTS}/CustomFields", responses=documented(404), name="Update shipment custom fields"
)
async def put_custom_fields(
    body: ShipmentCustomFieldsIn, uow: UowDep, read_uow: ReadUowDep
) -> ShipmentOut:
    """Set custom field values on a shipment (null clears one); all of them, or none."""
    values = mappers.field_values(body.custom_fields)
    await details.set_shipment_custom_fields(uow, body.shipment_id, values)
    return await _shipment(read_uow, body.shipment_id)


@router.put(
    f"{SHIPMENTS}/LineItems/CustomFields",
    responses=documented(404),
    name="Update shipment line item custom fields",
)
async def put_line_custom_fields(
    body: ShipmentLineCustomFieldsIn, uow: UowDep, read_uow: ReadUowDep
) -> ShipmentOut:
    """Set custom field values on lines of a shipment, by `OrderDetailId`; all, or none."""
    await details.set_shipment_line_custom_fields(uow, body.shipment_id, mappers.line_fields(body))
    return await _shipment(read_uow, body.shipment_id)


@router.get(SETTINGS, responses=documented(), name="Get order fulfillment settings")
async def get_settings(uow: UowDep) -> SettingsOut:
    """Whether shipments are created as soon as stock is allocated (Orderyard's addition)."""
    on = await shipment_service.ships_on_allocation(uow)
    return SettingsOut(create_shipments_on_allocation=on)


@router.put(SETTINGS, responses=documented(), name="Update order fulfillment settings")
async def put_settings(body: SettingsIn, uow: UowDep) -> SettingsOut:
    """Choose whether shipments are created as soon as stock is allocated (Orderyard's addition)."""
    await shipment_service.set_ships_on_allocation(uow, body.create_shipments_on_allocation)
    return SettingsOut(create_shipments_on_allocation=body.create_shipments_on_allocation)


async def _shipment(read_uow: ReadUowDep, shipment_id: int) -> ShipmentOut:
    return mappers.shipment_out(await read.get_shipment(read_uow, shipment_id))


ROUTERS = (router,)
