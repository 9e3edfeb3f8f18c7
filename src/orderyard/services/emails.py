"""The e-mail log of a customer, and resending logged e-mails (OrderDynamics' Emails API).

The log is written by the job worker from the event log (``services/email_delivery.py``);
these read it and queue resends, which the worker sends on its next pass.
"""

from collections.abc import Sequence

from orderyard.domain.email import Email, EmailSort, check_resend_ids
from orderyard.domain.errors import ConflictError, NotFoundError
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.customer.records import CustomerRef, find_customer
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


async def customer_log(
    uow: ReadUnitOfWork,
    customer_id: int | None,
    page: PageRequest,
    *,
    sort: EmailSort = EmailSort.id,
    descending: bool = False,
) -> Page[Email]:
    """A page of the e-mails sent about a customer's orders (the account's: no customer).

    A customer's e-mails are those of the orders the link rule gives them
    (``domain.customer.CustomerLink``): a forgotten customer has none.

    Raises:
        NotFoundError: no such customer in this account.
    """
    async with uow:
        link = None
        if customer_id is not None:
            customer = await find_customer(uow.customers.get, CustomerRef(id=customer_id))
            link = customer.link
            if not link.links_anything:
                return Page([], 0, page)
        return await uow.emails.page(link, page, sort=sort, descending=descending)


async def resend(uow: UnitOfWork, email_ids: Sequence[int], *, sending: bool) -> list[Email]:
    """Queue a new send of each named e-mail (a new log row naming its original); all or none.

    Raises:
        InvalidRequestError: no id named.
        NotFoundError: an id names no e-mail of this account (the first such, by position).
        ConflictError: sending is off (``sending`` False), or an e-mail's recipient was
            forgotten.
    """
    named = list(email_ids)
    ids = check_resend_ids(named)
    if not sending:
        raise ConflictError("e-mail sending is off: SMTP is not configured", field="EmailIds")
    async with uow:
        await uow.transaction()
        found = await uow.emails.get_many(ids)
        originals = []
        for email_id in ids:
            email = found.get(email_id)
            index = named.index(email_id)
            if email is None:
                raise NotFoundError(f"e-mail {email_id} not found", field=f"EmailIds[{index}]")
            if not email.to:
                raise ConflictError(
                    f"e-mail {email_id} has no recipient (forgotten)", field=f"EmailIds[{index}]"
                )
            originals.append(email)
        new_ids = await uow.emails.resend(originals, utcnow())
        for original, new_id in zip(originals, new_ids, strict=True):
            await uow.events.record("email_resent", "email", new_id, {"resend_of": original.id})
        resent = await uow.emails.get_many(new_ids)
        await uow.commit()
    return [resent[new_id] for new_id in new_ids]
