"""Order fulfillment: create, list, cancel, reject, reroute and split shipments.

Every operation is one core shipment use case (``services/shipment``); the answer is the
shipment(s) read back after the change committed. Status, tracking numbers, custom fields and
the account's setting are in ``shipment_details.py``.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import order as order_mappers
from orderyard.dialects.orderdynamics.mappers import shipment as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.shipment import (
    OrderNameIn,
    RejectIn,
    RerouteIn,
    ShipmentOut,
    ShipmentsOut,
    SplitByLineIn,
    SplitBySkuIn,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import ID_MAX
from orderyard.services import order as order_service
from orderyard.services import shipment as shipment_service
from orderyard.services.shipment import read

router = APIRouter(tags=["order fulfillment"])
SHIPMENTS = "/v1/orderfulfillment/shipments"


QueryShipmentId = Annotated[
    int | None, Query(alias="ShipmentId", ge=1, le=ID_MAX, description="The shipment's id.")
]


@router.post(
    f"{SHIPMENTS}/CreateAllShipments",
    status_code=201,
    responses=documented(404, 409),
    name="Create all shipments",
)
async def create_all(body: OrderNameIn, uow: UowDep, read_uow: ReadUowDep) -> ShipmentsOut:
    """One shipment per location for everything allocated to the order and in no shipment."""
    ref = order_mappers.order_ref(body.internal_order_id, body.external_order_id)
    order = await order_service.get_order(read_uow, ref)
    both = body.internal_order_id is not None and body.external_order_id
    if both and order.order_number != body.external_order_id:
        assert body.internal_order_id is not None  # noqa: S101 - both ids were given
        assert body.external_order_id is not None  # noqa: S101
        raise order_mappers.not_both(body.internal_order_id, body.external_order_id)
    created = await shipment_service.create_all_shipments(uow, order.id)
    return await _shipments(read_uow, [shipment.id for shipment in created])


@router.get(SHIPMENTS, responses=documented(), name="Get shipments")
async def get_shipments(  # noqa: PLR0913 - one parameter per filter of the seed
    read_uow: ReadUowDep,
    page: PageDep,
    created_after: Annotated[
        datetime | None,
        Query(alias="CreateDateTimeUtcAfter", description="Created at or after (UTC)."),
    ] = None,
    created_before: Annotated[
        datetime | None,
        Query(alias="CreateDateTimeUtcBefore", description="Created before (UTC)."),
    ] = None,
    shipment_id: QueryShipmentId = None,
    internal: Annotated[
        int | None,
        Query(alias="InternalOrderId", ge=1, le=ID_MAX, description="Orderyard's order id."),
    ] = None,
    external: Annotated[
        str | None,
        Query(alias="ExternalOrderId", max_length=100, description="The client's order id."),
    ] = None,
    status: Annotated[
        str | None,
        Query(alias="ShipmentStatus", max_length=32, description="Created ... Rejected."),
    ] = None,
    destination: Annotated[
        str | None,
        Query(alias="RouteDestinationName", max_length=64, description="The location's name."),
    ] = None,
) -> Paged[ShipmentOut]:
    """A page of the account's shipments matching every filter given, oldest first."""
    where = read.ShipmentFilter(
        created_after=mappers.in_utc(created_after, field="CreateDateTimeUtcAfter"),
        created_before=mappers.in_utc(created_before, field="CreateDateTimeUtcBefore"),
        shipment_id=shipment_id,
        order_id=internal,
        order_number=external or None,
        status=None if not status else mappers.status_of(status, field="ShipmentStatus"),
        location_code=destination or None,
    )
    found = await read.list_shipments(read_uow, where, page)
    return paged(found, [mappers.shipment_out(view) for view in found.items])


@router.post(f"{SHIPMENTS}/Cancel", responses=documented(404, 409), name="Cancel a shipment")
async def cancel(
    uow: UowDep,
    read_uow: ReadUowDep,
    shipment: Annotated[
        int | None, Query(alias="Shipment", ge=1, le=ID_MAX, description="The shipment's id.")
    ] = None,
    shipment_id: QueryShipmentId = None,
) -> ShipmentOut:
    """Cancel an open shipment: its units stay allocated to the order, for a new shipment."""
    chosen = mappers.shipment_id_of(shipment, shipment_id, field="Shipment")
    cancelled = await shipment_service.cancel_shipment(uow, chosen)
    return await _shipment(read_uow, cancelled.id)


@router.post(f"{SHIPMENTS}/Reject", responses=documented(404, 409), name="Reject a shipment")
async def reject(body: RejectIn, uow: UowDep, read_uow: ReadUowDep) -> ShipmentOut:
    """The location cannot fulfil it: released there, re-sourced elsewhere or backordered."""
    rejected = await shipment_service.reject_shipment(uow, body.shipment_id, body.reason)
    return await _shipment(read_uow, rejected.id)


@router.post(f"{SHIPMENTS}/Reroute", responses=documented(404, 409), name="Reroute a shipment")
async def reroute(body: RerouteIn, uow: UowDep, read_uow: ReadUowDep) -> ShipmentOut:
    """Move the whole shipment to the named location, or nothing at all."""
    moved = await shipment_service.reroute_shipment(
        uow, body.shipment_id, body.location_internal_name
    )
    return await _shipment(read_uow, moved.id)


@router.post(
    f"{SHIPMENTS}/SplitShipmentByOrderDetailId",
    responses=documented(404, 409),
    name="Split a shipment by line item id",
)
async def split_by_line(body: SplitByLineIn, uow: UowDep, read_uow: ReadUowDep) -> ShipmentsOut:
    """Move the named order lines into a new shipment; answers the original, then the new."""
    split = await shipment_service.split_shipment(
        uow, body.shipment_id, order_line_ids=body.order_detail_ids
    )
    return await _shipments(read_uow, [body.shipment_id, split.id])


@router.post(
    f"{SHIPMENTS}/SplitShipmentBySku",
    responses=documented(404, 409),
    name="Split a shipment by SKU",
)
async def split_by_sku(body: SplitBySkuIn, uow: UowDep, read_uow: ReadUowDep) -> ShipmentsOut:
    """Move every line of the named SKUs into a new shipment; answers the original, then the new."""
    try:
        split = await shipment_service.split_shipment(uow, body.shipment_id, skus=body.skus)
    except InvalidRequestError as error:
        if error.field is None or not error.field.startswith("skus"):
            raise
        raise InvalidRequestError(error.message, field="Skus" + error.field[4:]) from error
    return await _shipments(read_uow, [body.shipment_id, split.id])


async def _shipment(read_uow: ReadUowDep, shipment_id: int) -> ShipmentOut:
    return mappers.shipment_out(await read.get_shipment(read_uow, shipment_id))


async def _shipments(read_uow: ReadUowDep, shipment_ids: list[int]) -> ShipmentsOut:
    views = await read.get_shipments(read_uow, shipment_ids)
    return ShipmentsOut(shipments=[mappers.shipment_out(view) for view in views])


ROUTERS = (router,)
