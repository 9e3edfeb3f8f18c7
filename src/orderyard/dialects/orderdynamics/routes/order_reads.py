"""Order reads: the list by last change, history, search, cancelled lines, statistics.

Every list answers the dialect's page envelope of the same order as ``GET /v1/orders``;
each filter is a range of an index leading with the account (docs/dialects/orderdynamics.md).
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import order as order_mappers
from orderyard.dialects.orderdynamics.mappers import order_reads as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.routes.orders import ExternalOrderId, InternalOrderId
from orderyard.dialects.orderdynamics.schemas.order import OrderDetailOut, OrderOut
from orderyard.dialects.orderdynamics.schemas.order_reads import OrderStatisticsOut, SearchIn
from orderyard.dialects.orderdynamics.wire import LIST_MAX, UtcDateTime
from orderyard.domain.customer import CustomerLink
from orderyard.domain.values import ID_MAX, Page
from orderyard.services import customer as customer_service
from orderyard.services import order as order_service
from orderyard.services.customer import CustomerRef
from orderyard.services.order import OrderView

router = APIRouter(tags=["order orchestration"])
CustomerId = Annotated[
    str | None,
    Query(alias="ExternalCustomerId", max_length=100, description="The client's customer id."),
]
InternalCustomerId = Annotated[
    int | None,
    Query(
        alias="InternalCustomerId",
        ge=1,
        le=ID_MAX,
        description="Orderyard's customer id: the customer's orders by the link rule.",
    ),
]


@router.get("/v1/orders/List", responses=documented(404), name="Get list of orders")
async def list_orders(  # noqa: PLR0913 - the seed's parameters, each a query parameter
    read: ReadUowDep,
    page: PageDep,
    after: Annotated[
        UtcDateTime,
        Query(alias="LastUpdatedDateTimeUtcAfter", description="Changed after this (excluded)."),
    ],
    before: Annotated[
        UtcDateTime,
        Query(alias="LastUpdatedDateTimeUtcBefore", description="Changed before this (excluded)."),
    ],
    customer: CustomerId = None,
    internal_customer: InternalCustomerId = None,
    status: Annotated[
        str | None,
        Query(alias="OrderStatus", max_length=LIST_MAX, description="Status words, commas apart."),
    ] = None,
    to_store: Annotated[
        bool | None, Query(alias="IsShippedToStore", description="true matches no order.")
    ] = None,
) -> Paged[OrderOut]:
    """Orders changed within a window, oldest change first."""
    where = mappers.list_filter(
        after,
        before,
        customer=customer,
        status_words=status,
        shipped_to_store=to_store,
        link=await _link(read, internal_customer),
    )
    found = await order_service.list_orders(read, where, page, sort="updated_at", descending=False)
    return await _orders_page(read, found)


@router.get("/v1/orders/CustomerHistory", responses=documented(404), name="Get customer history")
async def customer_history(  # noqa: PLR0913 - the seed's parameters, each a query parameter
    read: ReadUowDep,
    page: PageDep,
    customer: CustomerId = None,
    internal_customer: InternalCustomerId = None,
    email: Annotated[
        str | None, Query(alias="Email", max_length=200, description="The customer's e-mail.")
    ] = None,
    sort: Annotated[
        str | None,
        Query(alias="SortByColumn", max_length=100, description="Default InternalOrderId."),
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default false.")] = False,
    by_external_id: Annotated[
        bool, Query(alias="FilterByExternalId", description="Filter is an ExternalOrderId prefix.")
    ] = True,
    text: Annotated[
        str | None, Query(alias="Filter", max_length=100, description="See FilterByExternalId.")
    ] = None,
) -> Paged[OrderOut]:
    """A customer's orders (by internal or external id, or e-mail), newest first."""
    where = mappers.history_filter(
        customer,
        email,
        text=text,
        by_external_id=by_external_id,
        link=await _link(read, internal_customer),
    )
    found = await order_service.list_orders(
        read, where, page, sort=mappers.sort_column(sort), descending=not ascending
    )
    return await _orders_page(read, found)


@router.post("/v1/orders/Search", responses=documented(), name="Search for orders")
async def search(read: ReadUowDep, page: PageDep, body: SearchIn | None = None) -> Paged[OrderOut]:
    """Orders matching every filter of the body, newest first."""
    body = body or SearchIn()
    found = await order_service.search_orders(
        read, mappers.search_filter(body), page, location_code=body.location_internal_name
    )
    return await _orders_page(read, found)


@router.get(
    "/v1/orders/CancelledLineItems", responses=documented(404), name="Get cancelled line items"
)
async def cancelled_line_items(
    read: ReadUowDep,
    page: PageDep,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
) -> Paged[OrderDetailOut]:
    """The lines of an order with cancelled units, in line order."""
    ref = order_mappers.order_ref(internal, external)
    view, lines = await order_service.cancelled_lines(read, ref, page)
    _same_order(view, internal, external)
    return paged(lines, [order_mappers.detail_out(line) for line in lines.items])


@router.get("/v1/orders/Statistics", responses=documented(404), name="Get order statistics")
async def statistics(
    read: ReadUowDep, internal: InternalOrderId = None, external: ExternalOrderId = None
) -> OrderStatisticsOut:
    """Lines, units and amounts of an order per state, and its number of shipments."""
    stats = await order_service.order_statistics(read, order_mappers.order_ref(internal, external))
    _same_order(stats.order, internal, external)
    return mappers.statistics_out(stats)


async def _link(read: ReadUowDep, internal_customer: int | None) -> CustomerLink | None:
    """The link rule's filter of the customer ``InternalCustomerId`` names (None: not given)."""
    if internal_customer is None:
        return None
    return await customer_service.customer_link(read, CustomerRef(id=internal_customer))


def _same_order(view: order_service.OrderView, internal: int | None, external: str | None) -> None:
    """Both ids given must name the same order, else there is no such order (404)."""
    if internal is not None and external and view.order_number != external:
        raise order_mappers.not_both(internal, external)


async def _orders_page(read: ReadUowDep, found: Page[OrderView]) -> Paged[OrderOut]:
    """A page of orders answered as get answers each: with their custom fields."""
    fields = await order_service.custom_fields_of(read, found.items)
    return paged(
        found,
        [order_mappers.order_out(view, own) for view, own in zip(found.items, fields, strict=True)],
    )


ROUTERS = (router,)
