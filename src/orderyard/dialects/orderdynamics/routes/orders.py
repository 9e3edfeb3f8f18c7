"""Order orchestration: create an order, get it and its status, cancel, hold and resume it.

Every order goes through the core's one order service, as ShipEdge's do: an order created
here is a ShipEdge order (its ``ExternalOrderId`` is ShipEdge's ``order_number``), and the
reverse.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import order as mappers
from orderyard.dialects.orderdynamics.schemas.order import (
    CancelIn,
    OrderIn,
    OrderOut,
    OrderStatusOut,
)
from orderyard.domain.order import HoldState
from orderyard.domain.values import ID_MAX
from orderyard.services import order as order_service
from orderyard.services.order import OrderOutcome, OrderRef, UpdateOrder

router = APIRouter(tags=["order orchestration"])
InternalOrderId = Annotated[
    int | None,
    Query(alias="InternalOrderId", ge=1, le=ID_MAX, description="Orderyard's id of the order."),
]
ExternalOrderId = Annotated[
    str | None,
    Query(alias="ExternalOrderId", max_length=100, description="The client's id of the order."),
]


@router.post("/v1/orders", status_code=201, responses=documented(409), name="Create an order")
async def create_order(body: OrderIn, uow: UowDep) -> OrderOut:
    """Create an order: aliases resolved, kits exploded, allocated or backordered at once."""
    return mappers.order_out(*await order_service.place_order(uow, mappers.place_order(body)))


@router.get("/v1/orders", responses=documented(404), name="Get an order")
async def get_order(
    read: ReadUowDep, internal: InternalOrderId = None, external: ExternalOrderId = None
) -> OrderOut:
    """One order with its lines and custom fields, by `InternalOrderId` or `ExternalOrderId`."""
    view, fields = await order_service.get_order_with_fields(
        read, mappers.order_ref(internal, external)
    )
    if internal is not None and external and view.order_number != external:
        raise mappers.not_both(internal, external)
    return mappers.order_out(view, fields)


@router.get("/v1/orders/Status", responses=documented(404), name="Get an order's status")
async def get_status(
    read: ReadUowDep, internal: InternalOrderId = None, external: ExternalOrderId = None
) -> OrderStatusOut:
    """Where an order stands, by `InternalOrderId` or `ExternalOrderId`."""
    return mappers.status_out(await _find(read, internal, external))


@router.post("/v1/orders/Cancel", responses=documented(404, 409), name="Cancel an order")
async def cancel(
    uow: UowDep,
    read: ReadUowDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
    reason: Annotated[
        str, Query(alias="cancelReason", max_length=200, description="Why; kept in the log.")
    ] = "",
    body: CancelIn | None = None,
) -> OrderOut:
    """Cancel the whole order, or the lines and quantities named; shipped units stay."""
    ref = await checked_ref(read, internal, external)
    outcome = await order_service.cancel_order(uow, mappers.cancel_order(ref, reason, body))
    return await _answer(read, outcome)


@router.post("/v1/orders/Hold", responses=documented(404, 409), name="Hold an order")
async def hold(
    uow: UowDep,
    read: ReadUowDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
    reason: Annotated[
        str, Query(alias="holdReason", max_length=200, description="Why, shown as HoldReason.")
    ] = "",
) -> OrderOut:
    """Hold an order: it gives back what it had allocated and is not allocated until resumed."""
    ref = await checked_ref(read, internal, external)
    command = UpdateOrder(ref, hold=HoldState.hold, hold_reason=reason)
    [outcome] = await order_service.update_orders(uow, [command])
    return await _answer(read, outcome)


@router.post("/v1/orders/Resume", responses=documented(404, 409), name="Resume an order")
async def resume(
    uow: UowDep,
    read: ReadUowDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
) -> OrderOut:
    """Resume a held order: it is allocated at once, or waits for stock as a backorder."""
    ref = await checked_ref(read, internal, external)
    [outcome] = await order_service.update_orders(uow, [UpdateOrder(ref, hold=HoldState.none)])
    return await _answer(read, outcome)


async def _answer(read: ReadUowDep, outcome: OrderOutcome) -> OrderOut:
    """The order a change left, or the change's error."""
    if outcome.error is not None:
        raise outcome.error
    assert outcome.order_id is not None  # noqa: S101 - an outcome without error has an id
    return await whole_order(read, outcome.order_id)


async def whole_order(read: ReadUowDep, order_id: int) -> OrderOut:
    """An order as a change answers it: with its lines and custom fields."""
    view, fields = await order_service.get_order_with_fields(read, OrderRef("id", order_id))
    return mappers.order_out(view, fields)


async def checked_ref(read: ReadUowDep, internal: int | None, external: str | None) -> OrderRef:
    """How a change names its order; both ids given must name the same order (else 404)."""
    if internal is not None and external:
        await _find(read, internal, external)
    return mappers.order_ref(internal, external)


async def _find(
    read: ReadUowDep, internal: int | None, external: str | None
) -> order_service.OrderView:
    """The order the query names; both ids given must name the same order (else 404)."""
    view = await order_service.get_order(read, mappers.order_ref(internal, external))
    if internal is not None and external and view.order_number != external:
        raise mappers.not_both(internal, external)
    return view


ROUTERS = (router,)
