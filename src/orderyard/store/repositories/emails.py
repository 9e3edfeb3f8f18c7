"""One account's e-mail log: a customer's e-mails, resends, and the erasure of a person."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, update

from orderyard.domain.customer import CustomerLink
from orderyard.domain.email import FORGOTTEN_ERROR, Email, EmailSort, EmailStatus
from orderyard.domain.values import Page, PageRequest
from orderyard.store.customer_link import linked_orders
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import emails, orders

COLUMNS = (
    emails.c.id,
    emails.c.template,
    emails.c.to_address,
    emails.c.subject,
    emails.c.status,
    emails.c.attempts,
    emails.c.last_error,
    emails.c.next_try_at,
    emails.c.created_at,
    emails.c.sent_at,
    emails.c.event_id,
    emails.c.resend_of,
    emails.c.order_id,
    func.coalesce(orders.c.order_number, "").label("order_number"),
)
CHUNK = 500


class EmailRepository(TenantRepository):
    """The account's e-mail log (written by the worker's pass, read and resent here)."""

    async def page(
        self,
        link: CustomerLink | None,
        page: PageRequest,
        *,
        sort: EmailSort = EmailSort.id,
        descending: bool = False,
    ) -> Page[Email]:
        """A page of the e-mails of the orders ``link`` names (of the whole account: None)."""
        where: list[ColumnElement[Any]] = [emails.c.account_id == self.account_id]
        if link is not None:
            where.append(linked_orders(link))
        key = emails.c[sort.value]
        order = (key.desc(), emails.c.id.desc()) if descending else (key, emails.c.id)
        base = select(*COLUMNS).select_from(emails.outerjoin(orders, _order_of_email()))
        rows = await self.conn.execute(
            base.where(*where).order_by(*order).limit(page.per_page).offset(page.offset)
        )
        counted = select(emails.c.id).select_from(emails.outerjoin(orders, _order_of_email()))
        total, exact = await bounded_count(self.conn, counted.where(*where), page)
        return Page([_email(row) for row in rows], total, page, count_is_exact=exact)

    async def get_many(self, ids: Sequence[int]) -> dict[int, Email]:
        """The account's e-mails of these ids (a foreign or unknown id is missing)."""
        rows = await self.conn.execute(
            select(*COLUMNS)
            .select_from(emails.outerjoin(orders, _order_of_email()))
            .where(emails.c.account_id == self.account_id, emails.c.id.in_(list(ids)))
        )
        return {row.id: _email(row) for row in rows}

    async def resend(self, originals: Sequence[Email], now: datetime) -> list[int]:
        """Queue a new send of each e-mail: a new row of the log naming its original."""
        bodies = {
            row.id: row
            for row in await self.conn.execute(
                select(emails.c.id, emails.c.body_text, emails.c.body_html).where(
                    emails.c.account_id == self.account_id,
                    emails.c.id.in_([email.id for email in originals]),
                )
            )
        }
        new_ids = []
        for original in originals:
            inserted = await self.conn.execute(
                emails.insert()
                .values(
                    account_id=self.account_id,
                    resend_of=original.id,
                    order_id=original.order_id,
                    template=original.template,
                    to_address=original.to,
                    subject=original.subject,
                    body_text=bodies[original.id].body_text,
                    body_html=bodies[original.id].body_html,
                    status=EmailStatus.queued.value,
                    next_try_at=now,
                    created_at=now,
                )
                .returning(emails.c.id)
            )
            new_ids.append(int(inserted.scalar_one()))
        return new_ids

    async def anonymise(self, order_ids: Sequence[int], address: str) -> int:
        """Erase a person from the log: their orders' e-mails, and any sent to ``address``.

        The address, subject and bodies are emptied; one still queued is given up (never
        sent). Returns how many e-mails were erased.
        """
        erased = 0
        blank = {
            "to_address": "",
            "subject": "",
            "body_text": "",
            "body_html": "",
            "status": case(
                (emails.c.status == EmailStatus.queued.value, EmailStatus.failed.value),
                else_=emails.c.status,
            ),
            "last_error": case(
                (emails.c.status == EmailStatus.queued.value, FORGOTTEN_ERROR),
                else_=emails.c.last_error,
            ),
            "next_try_at": None,
        }
        mine = emails.c.account_id == self.account_id
        for start in range(0, len(order_ids), CHUNK):
            chunk = list(order_ids[start : start + CHUNK])
            done = await self.conn.execute(
                update(emails).where(mine, emails.c.order_id.in_(chunk)).values(**blank)
            )
            erased += done.rowcount
        if address:
            done = await self.conn.execute(
                update(emails)
                .where(mine, func.lower(emails.c.to_address) == address.lower())
                .values(**blank)
            )
            erased += done.rowcount
        return erased


def _order_of_email() -> ColumnElement[bool]:
    return (orders.c.id == emails.c.order_id) & (orders.c.account_id == emails.c.account_id)


def _email(row: Any) -> Email:
    return Email(
        id=row.id,
        template=row.template,
        to=row.to_address,
        subject=row.subject,
        status=EmailStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        next_try_at=row.next_try_at,
        created_at=row.created_at,
        sent_at=row.sent_at,
        event_id=row.event_id,
        resend_of=row.resend_of,
        order_id=row.order_id,
        order_number=row.order_number,
    )
