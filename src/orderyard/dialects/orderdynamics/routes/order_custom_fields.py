"""Custom fields of orders, of their lines and of their payments: the seed's `PUT` paths.

The bodies are Orderyard's (the seed gives paths only). Values are checked against the
metadata of the owner types `Order`, `OrderLineItem` and `OrderPayment`.
"""

from fastapi import APIRouter

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import order as order_mappers
from orderyard.dialects.orderdynamics.mappers import order_custom_fields as mappers
from orderyard.dialects.orderdynamics.routes.orders import checked_ref, whole_order
from orderyard.dialects.orderdynamics.schemas.order import OrderOut
from orderyard.dialects.orderdynamics.schemas.order_custom_fields import (
    LineItemsCustomFieldsIn,
    OrderCustomFieldsIn,
    PaymentsCustomFieldsIn,
)
from orderyard.services import order as order_service

router = APIRouter(tags=["order orchestration"])


@router.put("/v1/orders/CustomFields", responses=documented(404), name="Update order custom fields")
async def put_order_fields(body: OrderCustomFieldsIn, uow: UowDep, read: ReadUowDep) -> OrderOut:
    """Set custom field values on an order (null clears one); all of them, or none."""
    ref = await checked_ref(read, body.internal_order_id, body.external_order_id)
    values = order_mappers.field_values(body.custom_fields)
    order_id = await order_service.set_order_custom_fields(uow, ref, values)
    return await whole_order(read, order_id)


@router.put(
    "/v1/orders/LineItems/CustomFields",
    responses=documented(404),
    name="Update line item custom fields",
)
async def put_line_fields(body: LineItemsCustomFieldsIn, uow: UowDep, read: ReadUowDep) -> OrderOut:
    """Set custom field values on lines, by `OrderDetailId` or client line id; all or none."""
    ref = await checked_ref(read, body.internal_order_id, body.external_order_id)
    order_id = await order_service.set_line_custom_fields(uow, ref, mappers.line_fields(body))
    return await whole_order(read, order_id)


@router.put(
    "/v1/orders/Payments/customfields",
    responses=documented(404),
    name="Update order payment custom fields",
)
async def put_payment_fields(
    body: PaymentsCustomFieldsIn, uow: UowDep, read: ReadUowDep
) -> OrderOut:
    """Set custom field values on payments of an order, by `PaymentId`; all or none."""
    ref = await checked_ref(read, body.internal_order_id, body.external_order_id)
    order_id = await order_service.set_payment_custom_fields(uow, ref, mappers.payment_fields(body))
    return await whole_order(read, order_id)


ROUTERS = (router,)
