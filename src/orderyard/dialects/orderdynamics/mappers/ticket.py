"""Tickets: the core's tickets, events and queues <-> the Tickets API's words."""

from typing import Final, Literal

from orderyard.dialects.orderdynamics.fields import wire_field
from orderyard.dialects.orderdynamics.mappers.staff import INITIATORS
from orderyard.dialects.orderdynamics.schemas.ticket import (
    QueueOut,
    TicketEventOut,
    TicketIn,
    TicketOut,
    TicketPatchIn,
    TicketResultOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.event_log import initiator_of
from orderyard.domain.ticket import Priority, Queue, Ticket, TicketChange, TicketStatus
from orderyard.services.customer import CustomerRef
from orderyard.services.ticket import NewTicket, OrderLink, TicketOutcome, TicketPatch

FieldWord = Literal["Status", "Priority", "QueueName", "AssigneeInternalStaffId"]
FIELD_WORDS: Final[dict[str, FieldWord]] = {
    "status": "Status",
    "priority": "Priority",
    "queue": "QueueName",
    "assignee": "AssigneeInternalStaffId",
}
SORT_WORDS: Final = {
    "ticketid": "id",
    "lastupdateddatetimeutc": "updated_at",
    "status": "status",
    "priority": "priority",
}
EVENT_SORT_WORDS: Final = frozenset({"eventid", "createddatetimeutc"})
DIRECTIONS: Final = {"asc": False, "ascending": False, "desc": True, "descending": True}


def word(value: str) -> str:
    """A status or priority as the wire spells it (``open`` -> ``Open``)."""
    return value.capitalize()


def new_ticket(wire: TicketIn) -> NewTicket:
    """The core command of a ticket body."""
    customer = None
    if wire.internal_customer_id is not None or wire.external_customer_id:
        customer = CustomerRef(wire.internal_customer_id, wire.external_customer_id)
    order = None
    if wire.internal_order_id is not None or wire.external_order_id:
        order = OrderLink(wire.internal_order_id, wire.external_order_id)
    return NewTicket(
        subject=wire.subject,
        description=wire.description,
        priority=Priority(wire.priority.lower()),
        queue=wire.queue_name,
        assignee_id=wire.assignee_internal_staff_id,
        customer=customer,
        order=order,
    )


def patch(wire: TicketPatchIn) -> TicketPatch:
    """The core patch of an update body: a null ``QueueName`` or assignee clears it."""
    given = wire.model_fields_set
    return TicketPatch(
        status=None if wire.status is None else TicketStatus(wire.status.lower()),
        priority=None if wire.priority is None else Priority(wire.priority.lower()),
        queue=wire.queue_name,
        clear_queue="queue_name" in given and wire.queue_name is None,
        assignee_id=wire.assignee_internal_staff_id,
        clear_assignee=(
            "assignee_internal_staff_id" in given and wire.assignee_internal_staff_id is None
        ),
    )


def ticket_out(ticket: Ticket) -> TicketOut:
    """The wire form of a ticket."""
    return TicketOut(
        ticket_id=ticket.id,
        subject=ticket.subject,
        description=ticket.description,
        status=word(ticket.status.value),
        priority=word(ticket.priority.value),
        queue_name=ticket.queue,
        assignee_internal_staff_id=ticket.assignee_id,
        internal_customer_id=ticket.customer_id,
        external_customer_id=ticket.customer_external_id or None,
        internal_order_id=ticket.order_id,
        external_order_id=ticket.order_number,
        created_date_time_utc=ticket.created_at,
        last_updated_date_time_utc=ticket.updated_at,
    )


def result_out(outcome: TicketOutcome) -> TicketResultOut:
    """The wire form of one ticket's outcome in a Create Tickets answer."""
    if outcome.error is not None:
        core = outcome.error.field
        field = "InternalOrderId" if core == "order" else wire_field(core) or "body"
        return TicketResultOut(
            index=outcome.index,
            ticket_id=None,
            result="Failed",
            errors={field: [outcome.error.message]},
        )
    assert outcome.ticket is not None  # noqa: S101 - no error: a ticket
    return TicketResultOut(
        index=outcome.index, ticket_id=outcome.ticket.id, result="Created", errors={}
    )


def event_out(change: TicketChange) -> TicketEventOut:
    """The wire form of a ticket event; status and priority values in the wire's words."""
    kind, initiator_id = initiator_of(change.actor)
    spelled = word if change.field in ("status", "priority") else _same
    return TicketEventOut(
        event_id=change.id,
        ticket_id=change.ticket_id,
        field_name=FIELD_WORDS[change.field],
        old_value=None if change.before is None else spelled(change.before),
        new_value=None if change.after is None else spelled(change.after),
        event_initiator_type=INITIATORS[kind],
        event_initiator_id=initiator_id,
        event_initiator=change.actor,
        created_date_time_utc=change.created_at,
    )


def _same(value: str) -> str:
    return value


def queue_out(queue: Queue) -> QueueOut:
    """The wire form of a queue."""
    return QueueOut(
        queue_id=queue.id, queue_name=queue.name, created_date_time_utc=queue.created_at
    )


def ticket_sort(wire: str | None, *, field: str) -> str:
    """The core sort a sort parameter names (default ``TicketId``), in any case.

    Raises:
        InvalidRequestError: not a column tickets sort by.
    """
    if not wire:
        return "id"
    found = SORT_WORDS.get(wire.strip().lower())
    if found is None:
        raise InvalidRequestError(
            f"{wire!r} is not a column tickets sort by"
            " (TicketId, LastUpdatedDateTimeUtc, Status, Priority)",
            field=field,
        )
    return found


def event_sort(wire: str | None) -> None:
    """Check an events ``SortByColumn``: events sort in the order written.

    Raises:
        InvalidRequestError: not EventId or CreatedDateTimeUtc.
    """
    if wire and wire.strip().lower() not in EVENT_SORT_WORDS:
        raise InvalidRequestError(
            f"{wire!r} is not a column events sort by (EventId, CreatedDateTimeUtc)",
            field="SortByColumn",
        )


def descending(direction: str | None) -> bool:
    """Whether ``sortDirection`` asks for newest first (the default).

    Raises:
        InvalidRequestError: not Asc, Desc, Ascending or Descending.
    """
    if not direction:
        return True
    found = DIRECTIONS.get(direction.strip().lower())
    if found is None:
        raise InvalidRequestError(
            f"{direction!r} is not a sort direction (Asc or Desc)", field="sortDirection"
        )
    return found
