"""Emails API: the e-mail log of a customer, and resend.

The seed names the paths; the parameters past its own, the bodies and the rules are
Orderyard's (docs/dialects/orderdynamics.md, "E-mails"). The e-mails themselves are written
and sent by the job worker from the event log when SMTP is configured.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.email import EmailOut, ResendIn, ResendOut
from orderyard.domain.email import Email, EmailSort
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import ID_MAX
from orderyard.domain.webhooks import public_event_id
from orderyard.http.deps import app_state
from orderyard.services import emails as service

router = APIRouter(tags=["emails"])
SORTS = {
    "emailid": EmailSort.id,
    "createddatetimeutc": EmailSort.created_at,
    "status": EmailSort.status,
    "template": EmailSort.template,
}
SORT_NAMES = "EmailId, CreatedDateTimeUtc, Status, Template"


def email_out(email: Email) -> EmailOut:
    """One e-mail of the log in the dialect's words."""
    return EmailOut(
        email_id=email.id,
        template=email.template,
        to=email.to,
        subject=email.subject,
        status=email.status.value,
        attempts=email.attempts,
        last_error=email.last_error,
        next_try_date_time_utc=email.next_try_at,
        created_date_time_utc=email.created_at,
        sent_date_time_utc=email.sent_at,
        event_id=None if email.event_id is None else public_event_id(email.event_id),
        resend_of_email_id=email.resend_of,
        internal_order_id=email.order_id,
        order_number=email.order_number,
    )


def sort_of(wire: str | None) -> EmailSort:
    """The sort ``SortByColumn`` names (default ``EmailId``), any case.

    Raises:
        InvalidRequestError: not a sortable column.
    """
    if not wire:
        return EmailSort.id
    sort = SORTS.get(wire.lower())
    if sort is None:
        raise InvalidRequestError(f"SortByColumn must be one of {SORT_NAMES}", field="SortByColumn")
    return sort


@router.get("/v1/emails", responses=documented(404), name="Get email logs for customer")
async def get_emails(
    read: ReadUowDep,
    page: PageDep,
    customer_id: Annotated[
        int | None,
        Query(
            alias="InternalCustomerId",
            ge=1,
            le=ID_MAX,
            description="The customer whose orders' e-mails to list (the account's: none).",
        ),
    ] = None,
    sort: Annotated[
        str | None, Query(alias="SortByColumn", max_length=100, description=SORT_NAMES + ".")
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default true.")] = True,
) -> Paged[EmailOut]:
    """The e-mail log of a customer (of the account without `InternalCustomerId`), paged."""
    found = await service.customer_log(
        read, customer_id, page, sort=sort_of(sort), descending=not ascending
    )
    return paged(found, [email_out(email) for email in found.items])


@router.post("/v1/emails/ResendEmails", responses=documented(404, 409), name="Resend emails")
async def resend_emails(body: ResendIn, uow: UowDep, request: Request) -> ResendOut:
    """Send logged e-mails again: one new log entry each, naming its original."""
    sending = app_state(request).emails_enabled
    resent = await service.resend(uow, body.email_ids, sending=sending)
    return ResendOut(emails=[email_out(email) for email in resent])


ROUTERS = (router,)
