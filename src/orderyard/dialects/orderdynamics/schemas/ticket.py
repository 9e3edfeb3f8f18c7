"""Tickets API bodies: the seed names the paths; the fields are Orderyard's."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import InitErrorDetails

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.domain.ticket import DESCRIPTION_MAX, QUEUE_MAX, SUBJECT_MAX
from orderyard.http.wire import Id

CREATE_MAX = 100
"""Tickets one Create Tickets request may carry."""


def _word(word: Any) -> Any:
    """A status or priority word in any case, as ASP.NET reads an enum."""
    return word.strip().capitalize() if isinstance(word, str) else word


StatusWord = Annotated[Literal["Open", "Pending", "Resolved", "Closed"], BeforeValidator(_word)]
PriorityWord = Annotated[Literal["Low", "Normal", "High", "Urgent"], BeforeValidator(_word)]
QueueName = Annotated[str, Field(min_length=1, max_length=QUEUE_MAX)]
ExternalId = Annotated[str, Field(min_length=1, max_length=100)]


class TicketIn(WireIn):
    """A ticket to open; it starts ``Open``."""

    subject: Annotated[str, Field(min_length=1, max_length=SUBJECT_MAX)]
    description: Annotated[str, Field(max_length=DESCRIPTION_MAX)] = ""
    priority: PriorityWord = Field(default="Normal", description="Low, Normal, High or Urgent.")
    queue_name: QueueName | None = Field(
        default=None, description="The queue to file it in; a new name makes the queue."
    )
    assignee_internal_staff_id: Id | None = Field(
        default=None, description="The active staff member it is assigned to."
    )
    internal_customer_id: Id | None = Field(default=None, description="The customer's id.")
    external_customer_id: ExternalId | None = Field(
        default=None, description="Or the customer's external id (both: one customer)."
    )
    internal_order_id: Id | None = Field(default=None, description="The order's id.")
    external_order_id: ExternalId | None = Field(
        default=None, description="Or the order's external id (both: one order)."
    )


def _shape(body: Any) -> str:
    return "many" if isinstance(body, list) else "one"


def _untagged(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """Validate, reporting fields as the client sent them (``Subject``, ``[1].Subject``).

    A tagged union puts its tag first in every error's location; the client sent no tag.
    """
    try:
        return handler(value)
    except ValidationError as error:
        details: list[InitErrorDetails] = []
        for line in error.errors():
            loc = line["loc"]
            detail = InitErrorDetails(
                type=line["type"],
                loc=loc[1:] if loc and loc[0] in ("one", "many") else loc,
                input=line["input"],
            )
            if "ctx" in line:
                detail["ctx"] = line["ctx"]
            details.append(detail)
        raise ValidationError.from_exception_data(error.title, details) from None


TicketsIn = Annotated[
    Annotated[
        Annotated[TicketIn, Tag("one")]
        | Annotated[list[TicketIn], Tag("many"), Field(min_length=1, max_length=CREATE_MAX)],
        Discriminator(_shape),
    ],
    WrapValidator(_untagged),
]
"""One ticket (a JSON object: Create Ticket) or several (a JSON array: Create Tickets)."""


class TicketPatchIn(WireIn):
    """What to change of a ticket: an absent field stays; a null queue or assignee clears it."""

    status: StatusWord | None = Field(default=None, description="The new status.")
    priority: PriorityWord | None = Field(default=None, description="The new priority.")
    queue_name: QueueName | None = Field(default=None, description="The new queue; null: none.")
    assignee_internal_staff_id: Id | None = Field(
        default=None, description="The new assignee; null: nobody."
    )


class TicketOut(WireOut):
    """A ticket."""

    ticket_id: int
    subject: str
    description: str
    status: str
    priority: str
    queue_name: str | None
    assignee_internal_staff_id: int | None
    internal_customer_id: int | None
    external_customer_id: str | None
    internal_order_id: int | None
    external_order_id: str | None
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime


class TicketResultOut(WireOut):
    """What became of one ticket of a Create Tickets request."""

    index: int
    ticket_id: int | None
    result: Literal["Created", "Failed"]
    errors: dict[str, list[str]] = Field(
        description="Failed: per field, as the client named it, its messages."
    )


class TicketEventOut(WireOut):
    """One change of a ticket's tracked field: who, when, before and after."""

    event_id: int
    ticket_id: int
    field_name: Literal["Status", "Priority", "QueueName", "AssigneeInternalStaffId"]
    old_value: str | None
    new_value: str | None
    event_initiator_type: Literal["Key", "Staff", "System"]
    event_initiator_id: int | None
    event_initiator: str
    created_date_time_utc: datetime


class QueueOut(WireOut):
    """A ticket queue."""

    queue_id: int
    queue_name: str
    created_date_time_utc: datetime
