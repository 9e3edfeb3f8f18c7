"""Returns (RMAs): the seed's nine paths, on the core's returns that ShipEdge shares.

A return created here is ShipEdge's ``/inventory/returns`` return and the reverse; both
dialects call the same services (``services/returns.py``). The bodies are Orderyard's (the
seed gives paths only): docs/dialects/orderdynamics.md "Returns".
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import returns as mappers
from orderyard.dialects.orderdynamics.mappers.order import field_values
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.routes.orders import ExternalOrderId, InternalOrderId
from orderyard.dialects.orderdynamics.schemas.returns import (
    CommitIn,
    ReturnCustomFieldsIn,
    ReturnIn,
    ReturnItemsCustomFieldsIn,
    ReturnOut,
)
from orderyard.dialects.orderdynamics.wire import UtcDateTime
from orderyard.domain.customer import CustomerLink
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import ID_MAX, Page
from orderyard.services import customer as customer_service
from orderyard.services import return_fields
from orderyard.services import returns as returns_service
from orderyard.services.customer import CustomerRef
from orderyard.services.returns import ReturnFilter, ReturnView

router = APIRouter(tags=["returns"])
RETURNS = "/v1/returns"
ReturnIdQuery = Annotated[
    int | None, Query(alias="ReturnId", ge=1, le=ID_MAX, description="Orderyard's return id.")
]
InternalReturnId = Annotated[
    int, Query(alias="InternalReturnId", ge=1, le=ID_MAX, description="Orderyard's return id.")
]
ExternalCustomerId = Annotated[
    str | None,
    Query(alias="ExternalCustomerId", max_length=100, description="The client's customer id."),
]


@router.get(f"{RETURNS}/CustomerHistory", responses=documented(404), name="Customer return history")
async def customer_history(
    read: ReadUowDep,
    page: PageDep,
    customer: Annotated[
        int | None,
        Query(alias="CustomerId", ge=1, le=ID_MAX, description="InternalCustomerId (link rule)."),
    ] = None,
    external_customer: ExternalCustomerId = None,
    order_filter: Annotated[
        str | None,
        Query(alias="OrderIdFilter", max_length=100, description="Start of ExternalOrderId."),
    ] = None,
    sort: Annotated[
        str | None, Query(alias="SortByColumn", max_length=100, description="Default newest.")
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default false.")] = False,
) -> Paged[ReturnOut]:
    """A customer's returns (those of the customer's orders), newest first."""
    if customer is None and not external_customer:
        raise InvalidRequestError("CustomerId is required", field="CustomerId")
    where = ReturnFilter(
        customer=await _link(read, customer),
        customer_external_id=external_customer or None,
        order_number_prefix=order_filter or None,
    )
    found = await returns_service.list_returns(
        read, page, where, sort=mappers.sort_of(sort), descending=not ascending
    )
    return await _page(read, found)


@router.get(RETURNS, responses=documented(404), name="Get returns")
async def get_returns(  # noqa: PLR0913 - the seed's parameters, each a query parameter
    read: ReadUowDep,
    page: PageDep,
    created_after: Annotated[
        UtcDateTime | None,
        Query(alias="CreateDateTimeUtcAfter", description="Created at or after (with offset)."),
    ] = None,
    created_before: Annotated[
        UtcDateTime | None,
        Query(alias="CreateDateTimeUtcBefore", description="Created before (with offset)."),
    ] = None,
    return_id: ReturnIdQuery = None,
    status: Annotated[
        str | None,
        Query(alias="ReturnStatus", max_length=200, description="Status words, commas apart."),
    ] = None,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
    internal_customer: Annotated[
        int | None,
        Query(alias="InternalCustomerId", ge=1, le=ID_MAX, description="The link rule's orders."),
    ] = None,
    external_customer: ExternalCustomerId = None,
) -> Paged[ReturnOut]:
    """The account's returns matching every filter given, newest first."""
    where = ReturnFilter(
        return_id=return_id,
        order_id=internal,
        order_number=external or None,
        statuses=mappers.statuses_of(status, field="ReturnStatus"),
        created_after=created_after,
        created_before=created_before,
        customer=await _link(read, internal_customer),
        customer_external_id=external_customer or None,
    )
    return await _page(read, await returns_service.list_returns(read, page, where))


@router.get(f"{RETURNS}/ReturnsById", responses=documented(), name="Get returns by id")
async def returns_by_id(
    read: ReadUowDep,
    page: PageDep,
    return_id: ReturnIdQuery = None,
    internal: InternalOrderId = None,
    external: ExternalOrderId = None,
) -> Paged[ReturnOut]:
    """A return by its id, or an order's returns (by either order id), newest first."""
    if return_id is None and internal is None and not external:
        raise InvalidRequestError(
            "ReturnId, InternalOrderId or ExternalOrderId is required", field="ReturnId"
        )
    where = ReturnFilter(return_id=return_id, order_id=internal, order_number=external or None)
    return await _page(read, await returns_service.list_returns(read, page, where))


@router.post(RETURNS, status_code=201, responses=documented(404), name="Create a return")
async def create(body: ReturnIn, uow: UowDep, read: ReadUowDep) -> ReturnOut:
    """Announce units of a shipped order coming back; they are reserved at once."""
    return await _created(uow, read, body)


@router.put(RETURNS, responses=documented(404, 409), name="Create or update a return")
async def create_or_update(
    body: ReturnIn,
    uow: UowDep,
    read: ReadUowDep,
    return_id: Annotated[
        int | None,
        Query(alias="InternalReturnId", ge=1, le=ID_MAX, description="The open return to change."),
    ] = None,
) -> ReturnOut:
    """Without `InternalReturnId`, create a return; with it, replace an open return's items."""
    if return_id is None:
        return await _created(uow, read, body)
    with mappers.return_words():
        changed = await returns_service.update_return(uow, mappers.update_return(return_id, body))
    return await _one(read, changed.id)


@router.post(f"{RETURNS}/Commit", responses=documented(404, 409), name="Commit a return")
async def commit(
    uow: UowDep, read: ReadUowDep, return_id: InternalReturnId, body: CommitIn | None = None
) -> ReturnOut:
    """Close a return: resellable units go back on hand at the location, damaged ones do not."""
    with mappers.return_words():
        receipt = mappers.receipt(body)
        committed = await returns_service.commit_return(uow, return_id, receipt=receipt)
    return await _one(read, committed.id)


@router.post(f"{RETURNS}/Cancel", responses=documented(404, 409), name="Cancel a return")
async def cancel(uow: UowDep, read: ReadUowDep, return_id: InternalReturnId) -> ReturnOut:
    """Give up a return before it is counted; its units become returnable again."""
    cancelled = await returns_service.cancel_return(uow, return_id)
    return await _one(read, cancelled.id)


@router.put(
    f"{RETURNS}/CustomFields", responses=documented(404), name="Update return custom fields"
)
async def put_fields(body: ReturnCustomFieldsIn, uow: UowDep, read: ReadUowDep) -> ReturnOut:
    """Set custom field values on a return (null clears one); all of them, or none."""
    values = field_values(body.custom_fields)
    await return_fields.set_return_custom_fields(uow, body.internal_return_id, values)
    return await _one(read, body.internal_return_id)


@router.put(
    f"{RETURNS}/ReturnItems/CustomFields",
    responses=documented(404),
    name="Update return line item custom fields",
)
async def put_item_fields(
    body: ReturnItemsCustomFieldsIn, uow: UowDep, read: ReadUowDep
) -> ReturnOut:
    """Set custom field values on items of a return, by `ReturnItemId`; all or none."""
    lines = mappers.line_fields(body)
    with mappers.return_words():
        await return_fields.set_return_line_custom_fields(uow, body.internal_return_id, lines)
    return await _one(read, body.internal_return_id)


async def _created(uow: UowDep, read: ReadUowDep, body: ReturnIn) -> ReturnOut:
    [result] = await returns_service.create_returns(uow, [mappers.create_return(body)])
    if result.error is not None:
        with mappers.return_words():
            raise result.error
    assert result.return_id is not None  # noqa: S101 - a success always has an id
    return await _one(read, result.return_id)


async def _one(read: ReadUowDep, return_id: int) -> ReturnOut:
    view = await returns_service.get_return(read, return_id)
    [fields] = await return_fields.return_fields_of(read, [view])
    return mappers.return_out(view, fields)


async def _page(read: ReadUowDep, found: Page[ReturnView]) -> Paged[ReturnOut]:
    fields = await return_fields.return_fields_of(read, found.items)
    return paged(found, mappers.returns_out(found.items, fields))


async def _link(read: ReadUowDep, internal_customer: int | None) -> CustomerLink | None:
    """The link rule's filter of the customer an internal id names (None: not given)."""
    if internal_customer is None:
        return None
    return await customer_service.customer_link(read, CustomerRef(id=internal_customer))


ROUTERS = (router,)
