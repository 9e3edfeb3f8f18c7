"""Shipping Rates API: the account's rates, an order's quotes, and defining rates.

The seed reads rates and an order's rate; defining them (``PUT`` and ``DELETE``) is
Orderyard's addition, in the shape of the Taxes API.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import order as order_mappers
from orderyard.dialects.orderdynamics.mappers import shipping_rate as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.routes.orders import ExternalOrderId, InternalOrderId
from orderyard.dialects.orderdynamics.schemas.shipping_rate import (
    ShippingQuoteOut,
    ShippingRateIn,
    ShippingRateOut,
)
from orderyard.domain.tax import NAME_MAX
from orderyard.services import shipping_rates as service

PATH = "/v1/shippingrates"
router = APIRouter(tags=["shipping rates"])
BackendNameParam = Annotated[
    str | None, Query(alias="BackendName", max_length=NAME_MAX, description="The rate's name.")
]
CREATED: dict[int | str, dict[str, Any]] = {
    201: {"model": ShippingRateOut, "description": "Created: the account had no rate of that name."}
}


@router.get(PATH, responses=documented(404), name="Get shipping rates")
async def get_rates(
    read: ReadUowDep, page: PageDep, name: BackendNameParam = None
) -> ShippingRateOut | Paged[ShippingRateOut]:
    """One shipping rate by its `BackendName`, or a page of them by `BackendName`."""
    if name:
        return mappers.rate_out(await service.get_shipping_rate(read, name))
    found = await service.list_shipping_rates(read, page)
    return paged(found, [mappers.rate_out(rate) for rate in found.items])


@router.get(f"{PATH}/order", responses=documented(404), name="Get shipping rate for an order")
async def get_order_rates(
    read: ReadUowDep,
    page: PageDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
) -> Paged[ShippingQuoteOut]:
    """What each shipping method costs for an order, cheapest first."""
    found = await service.quote_order(read, order_mappers.order_ref(internal, external), page)
    if internal is not None and external and found.order.order_number != external:
        raise order_mappers.not_both(internal, external)
    return paged(found.quotes, [mappers.quote_out(found, quote) for quote in found.quotes.items])


@router.put(PATH, responses={**CREATED, **documented()}, name="Create/Update a shipping rate")
async def put_rate(body: ShippingRateIn, uow: UowDep, response: Response) -> ShippingRateOut:
    """Create a shipping rate (201), or replace the one of its `BackendName` (an addition)."""
    rate, created = await service.set_shipping_rate(uow, mappers.spec(body))
    response.status_code = 201 if created else 200
    return mappers.rate_out(rate)


@router.delete(PATH, status_code=204, responses=documented(404), name="Delete a shipping rate")
async def delete_rate(uow: UowDep, name: BackendNameParam = None) -> Response:
    """Delete the shipping rate of `BackendName` (Orderyard's addition)."""
    await service.delete_shipping_rate(uow, mappers.required(name))
    return Response(status_code=204)


ROUTERS = (router,)
