"""The e-mail queue across accounts: read the outbox (the event log), claim due e-mails, record.

``EmailQueue.new_facts`` reads the events written since its last pass that call for an e-mail
(``domain.email.TEMPLATE_OF_KIND``), with what their orders say, and moves its cursor, exactly
as the webhooks' fan-out does (``webhook_queue.py``): on PostgreSQL by writing transaction
(``events.xid``) up to the oldest transaction still running, so a late commit is read on a
later pass, never skipped; ``emails.event_id`` is unique, so an event read twice logs one
e-mail. Its first pass starts the cursor at the log's present end and reads nothing. The
events of an account that has turned its e-mails off (``accounts.sends_emails``) are passed
over: turning them on again sends nothing for what happened meanwhile.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.email import (
    TEMPLATE_OF_KIND,
    DueEmail,
    EmailFacts,
    EmailStatus,
    Rendered,
    customer_name,
)
from orderyard.store.repositories.base import upsert
from orderyard.store.tables import accounts, email_cursor, emails, events, orders, returns
from orderyard.store.tables import shipments as ships


class EmailQueue:
    """The e-mails of every account: read new events, claim the due e-mails, record a try."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def new_facts(self) -> list[EmailFacts]:
        """The events that call for an e-mail written since the last pass; the cursor moves.

        Call in a transaction of its own (with ``log``): the cursor row is locked for its
        length, so two workers' passes take turns (the second reads nothing).
        """
        position = await self._cursor()
        upto = await self._settled()
        if position is None or upto <= position:
            return []
        found = [_facts(row) for row in await self._events_between(position, upto)]
        await self.conn.execute(
            update(email_cursor).where(email_cursor.c.id == 1).values(position=upto)
        )
        return [facts for facts in found if facts is not None]

    async def _cursor(self) -> int | None:
        """The cursor, locked; None when another pass holds it or it starts now."""
        row = (
            await self.conn.execute(
                select(email_cursor.c.position)
                .where(email_cursor.c.id == 1)
                .with_for_update(skip_locked=True)
            )
        ).first()
        if row is not None:
            return int(row.position)
        statement = upsert(self.conn, email_cursor).on_conflict_do_nothing(index_elements=["id"])
        await self.conn.execute(statement.values(id=1, position=await self._settled(start=True)))
        return None

    async def _settled(self, *, start: bool = False) -> int:
        """Where a pass may read up to (excluded): no transaction below it still runs.

        With ``start``, where the first pass starts: past every transaction that has begun
        (``xmax`` on PostgreSQL), so that no event written before sending was switched on is
        read; one being written at that very moment is not sent either.
        """
        if self.conn.dialect.name == "postgresql":
            bound = "xmax" if start else "xmin"
            position = f"pg_snapshot_{bound}(pg_current_snapshot())::text::bigint"
            return int((await self.conn.execute(text(f"SELECT {position}"))).scalar_one())
        found = (await self.conn.execute(select(func.max(events.c.id)))).scalar_one()
        return int(found or 0) + 1

    async def _events_between(self, start: int, end: int) -> Sequence[Any]:
        key = events.c.xid if self.conn.dialect.name == "postgresql" else events.c.id
        order_id = case(
            (events.c.record_type == "order", events.c.record_id),
            else_=func.coalesce(ships.c.order_id, returns.c.order_id),
        )
        statement = (
            select(
                events.c.id,
                events.c.account_id,
                events.c.kind,
                events.c.record_id,
                accounts.c.name.label("account_name"),
                orders.c.id.label("order_id"),
                orders.c.order_number,
                orders.c.status.label("order_status"),
                orders.c.total,
                orders.c.currency,
                orders.c.customer_email,
                orders.c.email,
                orders.c.customer_first_name,
                orders.c.customer_last_name,
                orders.c.firstname,
                orders.c.lastname,
                ships.c.carrier,
                ships.c.tracking_number,
                returns.c.outcome,
            )
            .select_from(events)
            .join(accounts, accounts.c.id == events.c.account_id)
            .outerjoin(
                ships, and_(events.c.record_type == "shipment", ships.c.id == events.c.record_id)
            )
            .outerjoin(
                returns, and_(events.c.record_type == "return", returns.c.id == events.c.record_id)
            )
            .join(orders, orders.c.id == order_id)
            .where(
                key >= start,
                key < end,
                events.c.kind.in_(sorted(TEMPLATE_OF_KIND)),
                accounts.c.sends_emails,
            )
            .order_by(events.c.id)
        )
        return list(await self.conn.execute(statement))

    async def log(self, queued: Sequence[tuple[EmailFacts, Rendered]], now: datetime) -> None:
        """Log the e-mails of these events, queued to send now (an event already logged: none)."""
        if not queued:
            return
        rows = [
            {
                "account_id": facts.account_id,
                "event_id": facts.event_id,
                "order_id": facts.order_id,
                "template": rendered.template.value,
                "to_address": facts.to,
                "subject": rendered.subject[:300],
                "body_text": rendered.text,
                "body_html": rendered.html,
                "status": EmailStatus.queued.value,
                "next_try_at": now,
                "created_at": now,
            }
            for facts, rendered in queued
        ]
        statement = upsert(self.conn, emails).on_conflict_do_nothing(index_elements=["event_id"])
        await self.conn.execute(statement, rows)

    async def claim(self, now: datetime, *, lease: timedelta, limit: int) -> list[DueEmail]:
        """Lease up to ``limit`` due e-mails, oldest due first; each counts a try.

        A claimed e-mail is due again when its lease ends: a worker that dies while sending
        loses nothing (it may be sent twice then: at least once).
        """
        due = (
            select(emails.c.id)
            .where(emails.c.status == EmailStatus.queued.value, emails.c.next_try_at <= now)
            .order_by(emails.c.next_try_at, emails.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = [row.id for row in await self.conn.execute(due)]
        if not ids:
            return []
        await self.conn.execute(
            update(emails)
            .where(emails.c.id.in_(ids))
            .values(attempts=emails.c.attempts + 1, next_try_at=now + lease)
        )
        rows = await self.conn.execute(
            select(
                emails.c.id,
                emails.c.account_id,
                emails.c.to_address,
                emails.c.subject,
                emails.c.body_text,
                emails.c.body_html,
                emails.c.attempts,
            )
            .where(emails.c.id.in_(ids))
            .order_by(emails.c.id)
        )
        return [
            DueEmail(
                id=row.id,
                account_id=row.account_id,
                to=row.to_address,
                subject=row.subject,
                text=row.body_text,
                html=row.body_html,
                attempts=row.attempts,
            )
            for row in rows
        ]

    async def sent(self, due: Sequence[DueEmail], now: datetime) -> None:
        """Close the e-mails the server accepted (one statement for the batch)."""
        if not due:
            return
        await self.conn.execute(
            update(emails)
            .where(
                emails.c.id == bindparam("at_id"),
                emails.c.attempts == bindparam("at_attempts"),
                emails.c.status == EmailStatus.queued.value,
            )
            .values(status=EmailStatus.sent.value, next_try_at=None, last_error="", sent_at=now),
            [{"at_id": email.id, "at_attempts": email.attempts} for email in due],
        )

    async def failed(self, due: DueEmail, *, error: str, next_try_at: datetime | None) -> None:
        """Record a failed try: due again at ``next_try_at``, or given up when None."""
        status = EmailStatus.queued if next_try_at is not None else EmailStatus.failed
        await self.conn.execute(
            update(emails)
            .where(
                emails.c.id == due.id,
                emails.c.attempts == due.attempts,
                emails.c.status == EmailStatus.queued.value,
            )
            .values(status=status.value, next_try_at=next_try_at, last_error=error[:500])
        )


def _facts(row: Any) -> EmailFacts | None:
    """What one event says for its e-mail; None when it calls for none (no address, no tracking)."""
    to = row.customer_email or row.email
    if not to or (row.kind == "shipment_shipped" and not row.tracking_number):
        return None
    first, last = row.customer_first_name, row.customer_last_name
    if not (first or last):
        first, last = row.firstname, row.lastname
    values = {
        "account_name": row.account_name,
        "order_number": row.order_number,
        "customer_name": customer_name(first, last),
        "order_total": f"{row.total:.2f}",
        "currency": row.currency,
        "order_status": row.order_status,
        "carrier": row.carrier or "",
        "tracking_number": row.tracking_number or "",
        "return_id": str(row.record_id) if row.kind == "return_received" else "",
        "return_outcome": (row.outcome or "").replace("_", " "),
    }
    return EmailFacts(row.account_id, row.id, row.kind, row.order_id, to, values)
