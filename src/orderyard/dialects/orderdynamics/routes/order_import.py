"""Order import and shipping-address changes: historical orders in, a new address out.

An import brings orders another system placed (their statuses, dates and shipped
quantities) without allocating or moving stock; the same import run again changes nothing.
A new shipping address may re-source the order's unshipped units under the ``Nearest``
strategy (docs/dialects/orderdynamics.md, "Import an order", "Update shipping address").
"""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented, problem
from orderyard.dialects.orderdynamics.mappers import order as order_mappers
from orderyard.dialects.orderdynamics.mappers import order_import as mappers
from orderyard.dialects.orderdynamics.mappers.address import address_patch
from orderyard.dialects.orderdynamics.schemas.order import OrderOut
from orderyard.dialects.orderdynamics.schemas.order_import import (
    ImportIn,
    ImportResultOut,
    ShippingAddressIn,
)
from orderyard.services import order as order_service
from orderyard.services.order import OrderRef

router = APIRouter(tags=["order orchestration"])


@router.post(
    "/v1/orders/Import",
    response_model=list[ImportResultOut],
    responses=documented(),
    name="Import orders",
)
async def import_orders(body: ImportIn, uow: UowDep) -> list[ImportResultOut] | JSONResponse:
    """Import historical orders as they stand elsewhere: no allocation, no stock movement."""
    outcomes = await order_service.import_orders(uow, [mappers.import_order(o) for o in body])
    results = [mappers.import_result(outcome) for outcome in outcomes]
    if all(result.result == "Failed" for result in results):
        errors = {
            f"[{index}].{field}": messages
            for index, result in enumerate(results)
            for field, messages in result.errors.items()
        }
        return problem(400, detail="no order could be imported", errors=errors)
    return results


@router.put(
    "/v1/orders/UpdateShippingAddress",
    responses=documented(404, 409),
    name="Update shipping address",
)
async def update_shipping_address(
    body: ShippingAddressIn, uow: UowDep, read: ReadUowDep
) -> OrderOut:
    """Change where an order ships, before anything of it shipped; Nearest re-sources it."""
    ref = order_mappers.order_ref(body.internal_order_id, body.external_order_id)
    if body.internal_order_id is not None and body.external_order_id:
        view = await order_service.get_order(read, ref)
        if view.order_number != body.external_order_id:
            raise order_mappers.not_both(body.internal_order_id, body.external_order_id)
    outcome = await order_service.change_shipping_address(
        uow, ref, address_patch(body.shipping_address)
    )
    assert outcome.order_id is not None  # noqa: S101 - a change without error has an id
    view = await order_service.get_order(read, OrderRef("id", outcome.order_id))
    return order_mappers.order_out(view)


ROUTERS = (router,)
