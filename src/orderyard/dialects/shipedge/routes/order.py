"""Orders: create, list, get, update, cancel, cancel in bulk, set the sub-status."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented, domain_error_response
from orderyard.dialects.shipedge.mappers import order as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.order import (
    CancelBulkIn,
    CancelIn,
    OrderOut,
    OrderResultOut,
    OrdersIn,
    OrdersPatch,
    SubStatusIn,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.values import COUNT_MAX, ID_MAX
from orderyard.services import order as order_service
from orderyard.services.order import OrderRef

router = APIRouter(tags=["orders"])
BulkResponse = Envelope[list[OrderResultOut]] | JSONResponse
STATUS_ID_ENUM = {"enum": sorted(mappers.FILTERS)}


@router.post(
    "/orders",
    response_model=Envelope[list[OrderResultOut]],
    responses=documented(InvalidRequestError),
)
async def create_orders(body: OrdersIn, uow: UowDep) -> BulkResponse:
    """Create one or more orders; each is allocated from stock or backordered."""
    commands = [mappers.place_order(order) for order in body.data]
    outcomes = await order_service.place_orders(uow, commands)
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.get("/orders", responses=documented(InvalidRequestError))
async def list_orders(  # noqa: PLR0913 - the seed's query parameters
    uow: ReadUowDep,
    page: PageDep,
    status_id: Annotated[
        int | None,
        Query(description="See docs: status_id values.", json_schema_extra=STATUS_ID_ENUM),
    ] = None,
    from_date: Annotated[date | None, Query(description="Created on or after (UTC).")] = None,
    to_date: Annotated[date | None, Query(description="Created on or before (UTC).")] = None,
    order_by: Annotated[str, Query(description="OrderID, order_number or order_date.")] = "OrderID",
    order_direction: Literal["asc", "desc", "ASC", "DESC"] = "desc",
    order_type_id: Annotated[int | None, Query(ge=1, le=COUNT_MAX)] = None,
    warehouse_id: Annotated[
        int | None, Query(ge=1, le=ID_MAX, description="Distribution center id.")
    ] = None,
    filter_by: Literal["cart_id", "store_id", "store_name"] | None = None,
    filter_value: str | None = None,
) -> ListEnvelope[OrderOut]:
    """List orders, newest first by default, with the seed's filters."""
    where = mappers.order_filter(
        status_id=status_id,
        from_date=from_date,
        to_date=to_date,
        order_type_id=order_type_id,
        warehouse_id=warehouse_id,
        filter_by=filter_by,
        filter_value=filter_value,
    )
    found = await order_service.list_orders(
        uow,
        where,
        page,
        sort=mappers.sort_field(order_by),
        descending=order_direction.lower() == "desc",
    )
    return ListEnvelope(data=[mappers.order_out(v) for v in found.items], metadata=metadata(found))


@router.get("/orders/{order}", responses=documented(NotFoundError, InvalidRequestError))
async def get_order(
    order: str,
    uow: ReadUowDep,
    identify_by: Literal["order_id", "order_number", "order_reference", "order_api"] = "order_id",
) -> Envelope[OrderOut]:
    """Get one order by id, number, reference or API number."""
    view = await order_service.get_order(uow, mappers.identify_by(identify_by, order))
    return Envelope(data=mappers.order_out(view))


@router.put(
    "/orders",
    response_model=Envelope[list[OrderResultOut]],
    responses=documented(NotFoundError, InvalidRequestError),
)
async def update_orders(body: OrdersPatch, uow: UowDep) -> BulkResponse:
    """Update orders named by `order_id` (or `order_number`); only given fields change."""
    commands = [mappers.update_order(order) for order in body.data]
    outcomes = await order_service.update_orders(uow, commands)
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.post(
    "/orders/cancel",
    response_model=Envelope[OrderResultOut],
    responses=documented(NotFoundError, InvalidRequestError),
)
async def cancel_order(body: CancelIn, uow: UowDep) -> Envelope[OrderResultOut] | JSONResponse:
    """Cancel one order: every unshipped unit, giving its stock back."""
    [outcome] = await order_service.cancel_orders(uow, [body.order_id])
    if outcome.error is not None:
        return domain_error_response(outcome.error)
    return Envelope(data=mappers.cancel_out(outcome))


@router.post(
    "/orders/cancel-bulk",
    response_model=Envelope[list[OrderResultOut]],
    responses=documented(NotFoundError, InvalidRequestError),
)
async def cancel_orders(body: CancelBulkIn, uow: UowDep) -> BulkResponse:
    """Cancel several orders; each is reported, and one failing does not stop the others."""
    outcomes = await order_service.cancel_orders(uow, body.order_ids)
    return bulk_response([mappers.cancel_out(outcome) for outcome in outcomes])


@router.post("/orders/sub_status", responses=documented(NotFoundError))
async def set_sub_status(body: SubStatusIn, uow: UowDep) -> Envelope[OrderResultOut]:
    """Set the free-text sub-status of an order."""
    outcome = await order_service.set_sub_status(
        uow, OrderRef("id", body.order_id), body.sub_status
    )
    result = mappers.outcome_out(outcome)
    result.order_id = outcome.order_id
    return Envelope(data=result)
