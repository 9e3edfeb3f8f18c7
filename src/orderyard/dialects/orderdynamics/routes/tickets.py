"""The Tickets API: create one or several, get, update, a ticket's events, queues, history.

The seed names the paths (``Create Ticket`` and ``Create Tickets`` share ``POST
/v1/tickets/``: a JSON object creates one, a JSON array several); the fields and rules are
Orderyard's (docs/dialects/orderdynamics.md, "Tickets").
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented, problem
from orderyard.dialects.orderdynamics.mappers import ticket as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.ticket import (
    QueueOut,
    TicketEventOut,
    TicketOut,
    TicketPatchIn,
    TicketResultOut,
    TicketsIn,
)
from orderyard.domain.values import ID_MAX
from orderyard.services import ticket as service
from orderyard.services.customer import CustomerRef

router = APIRouter(tags=["tickets"])
TicketIdParam = Annotated[
    int | None, Query(alias="TicketId", ge=1, le=ID_MAX, description="The ticket's id.")
]
SortParam = Annotated[
    str | None,
    Query(
        alias="SortByColumn",
        max_length=100,
        description="TicketId (default), LastUpdatedDateTimeUtc, Status or Priority.",
    ),
]
AscendingParam = Annotated[bool, Query(alias="Ascending", description="Default true.")]
SEVERAL: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Create Tickets (an array): one result per ticket, in body order.",
        "model": list[TicketResultOut],
    }
}


@router.get(
    "/v1/tickets/customerHistory",
    responses=documented(404),
    name="Get ticket history for a customer",
)
async def customer_history(
    read: ReadUowDep,
    page: PageDep,
    customer_id: Annotated[
        int,
        Query(
            alias="CustomerId",
            ge=1,
            le=ID_MAX,
            description="The customer's InternalCustomerId (the seed's `customerId`: any case).",
        ),
    ],
    sort_by: Annotated[
        str | None,
        Query(
            alias="sortBy",
            max_length=100,
            description="TicketId (default), LastUpdatedDateTimeUtc, Status or Priority.",
        ),
    ] = None,
    sort_direction: Annotated[
        str | None,
        Query(alias="sortDirection", max_length=20, description="Asc or Desc (default)."),
    ] = None,
) -> Paged[TicketOut]:
    """A customer's tickets, newest first unless asked otherwise."""
    found = await service.customer_tickets(
        read,
        CustomerRef(customer_id),
        page,
        sort=mappers.ticket_sort(sort_by, field="sortBy"),
        descending=mappers.descending(sort_direction),
    )
    return paged(found, [mappers.ticket_out(ticket) for ticket in found.items])


@router.get("/v1/tickets/Events", responses=documented(404), name="Get ticket events")
async def ticket_events(
    read: ReadUowDep,
    page: PageDep,
    ticket_id: TicketIdParam = None,
    sort: Annotated[
        str | None,
        Query(
            alias="SortByColumn",
            max_length=100,
            description="EventId (default) or CreatedDateTimeUtc: the order written.",
        ),
    ] = None,
    ascending: AscendingParam = True,
) -> Paged[TicketEventOut]:
    """The changes of a ticket's status, priority, queue and assignee (of every ticket's)."""
    mappers.event_sort(sort)
    found = await service.ticket_events(read, page, ticket_id=ticket_id, descending=not ascending)
    return paged(found, [mappers.event_out(change) for change in found.items])


@router.get("/v1/tickets/Queues", responses=documented(), name="Ticket queues")
async def ticket_queues(read: ReadUowDep, page: PageDep) -> Paged[QueueOut]:
    """The account's ticket queues, oldest first."""
    found = await service.list_queues(read, page)
    return paged(found, [mappers.queue_out(queue) for queue in found.items])


@router.get("/v1/tickets", responses=documented(404), name="Get ticket by ID")
async def get_tickets(
    read: ReadUowDep,
    page: PageDep,
    ticket_id: TicketIdParam = None,
    sort: SortParam = None,
    ascending: AscendingParam = True,
) -> TicketOut | Paged[TicketOut]:
    """One ticket by `TicketId`, or a page of the account's tickets."""
    column = mappers.ticket_sort(sort, field="SortByColumn")
    if ticket_id is not None:
        return mappers.ticket_out(await service.get_ticket(read, ticket_id))
    found = await service.list_tickets(read, page, sort=column, descending=not ascending)
    return paged(found, [mappers.ticket_out(ticket) for ticket in found.items])


@router.post(
    "/v1/tickets",
    status_code=201,
    response_model=TicketOut,
    responses={**SEVERAL, **documented(404, 409)},
    name="Create ticket(s)",
)
async def create_tickets(body: TicketsIn, uow: UowDep) -> TicketOut | JSONResponse:
    """Create Ticket (a JSON object, 201) or Create Tickets (a JSON array, 200 per item)."""
    if not isinstance(body, list):
        return mappers.ticket_out(await service.create_ticket(uow, mappers.new_ticket(body)))
    outcomes = await service.create_tickets(uow, [mappers.new_ticket(one) for one in body])
    results = [mappers.result_out(outcome) for outcome in outcomes]
    if all(result.result == "Failed" for result in results):
        errors = {
            f"[{result.index}].{field}": messages
            for result in results
            for field, messages in result.errors.items()
        }
        return problem(400, detail="no ticket could be created", errors=errors)
    return JSONResponse([result.model_dump(mode="json", by_alias=True) for result in results])


@router.put("/v1/tickets", responses=documented(404, 409), name="Update a ticket")
async def update_ticket(
    body: TicketPatchIn,
    uow: UowDep,
    ticket_id: Annotated[int, Query(alias="TicketId", ge=1, le=ID_MAX, description="The ticket.")],
) -> TicketOut:
    """Change a ticket's status, priority, queue or assignee; each change is an event."""
    updated = await service.update_ticket(uow, ticket_id, mappers.patch(body))
    return mappers.ticket_out(updated)


ROUTERS = (router,)
