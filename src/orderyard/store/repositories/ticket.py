"""Tickets, their queues and the events of their tracked fields (both sides read it)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Select, insert, select, update
from sqlalchemy.exc import IntegrityError

from orderyard.domain.ticket import Priority, Queue, Ticket, TicketChange, TicketStatus
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.scope import same_account
from orderyard.store.tables import customers, orders, ticket_events, ticket_queues, tickets

SORTS: Final = ("id", "updated_at", "status", "priority")
"""The columns a page of tickets may be sorted by (each indexed after the account)."""


@dataclass(frozen=True, slots=True)
class TicketRow:
    """What a ticket's row holds, by the ids of what it refers to."""

    subject: str
    description: str
    status: TicketStatus
    priority: Priority
    queue_id: int | None
    assignee_id: int | None
    customer_id: int | None
    order_id: int | None


class TicketRepository(TenantRepository):
    """The account's tickets, queues and ticket events."""

    def _tickets(self) -> Select[Any]:
        return (
            select(
                tickets,
                ticket_queues.c.name.label("queue_name"),
                customers.c.external_id.label("customer_external_id"),
                orders.c.order_number,
            )
            .select_from(
                tickets.outerjoin(
                    ticket_queues,
                    same_account(ticket_queues, tickets)
                    & (ticket_queues.c.id == tickets.c.queue_id),
                )
                .outerjoin(
                    customers,
                    same_account(customers, tickets) & (customers.c.id == tickets.c.customer_id),
                )
                .outerjoin(
                    orders, same_account(orders, tickets) & (orders.c.id == tickets.c.order_id)
                )
            )
            .where(tickets.c.account_id == self.account_id)
        )

    async def queue_id(self, name: str, now: datetime) -> int:
        """The id of the queue named ``name``, made now if the account has none yet.

        Two writers making one queue at once: the second finds the first's (the unique key
        refuses its row, in a savepoint that undoes only that).
        """
        found = await self._queue_named(name)
        if found is not None:
            return found
        values = {"account_id": self.account_id, "name": name, "created_at": now}
        try:
            async with self.conn.begin_nested():
                made = await self.conn.execute(
                    insert(ticket_queues).values(values).returning(ticket_queues.c.id)
                )
                return int(made.scalar_one())
        except IntegrityError as error:
            if not violates(error, "ticket_queues", "account_id", "name"):
                raise
        again = await self._queue_named(name)
        assert again is not None  # noqa: S101 - the unique key just said it exists
        return again

    async def _queue_named(self, name: str) -> int | None:
        statement = select(ticket_queues.c.id).where(
            ticket_queues.c.account_id == self.account_id, ticket_queues.c.name == name
        )
        found = (await self.conn.execute(statement)).scalar_one_or_none()
        return None if found is None else int(found)

    async def add(self, row: TicketRow, now: datetime) -> int:
        """Store a new ticket; its id."""
        values = {
            **_values(row),
            "account_id": self.account_id,
            "subject": row.subject,
            "description": row.description,
            "customer_id": row.customer_id,
            "order_id": row.order_id,
            "created_at": now,
            "updated_at": now,
        }
        made = await self.conn.execute(insert(tickets).values(values).returning(tickets.c.id))
        return int(made.scalar_one())

    async def save(self, ticket_id: int, row: TicketRow, now: datetime) -> None:
        """Store a ticket's tracked fields (subject, description and links never change)."""
        await self.conn.execute(
            update(tickets)
            .where(tickets.c.account_id == self.account_id, tickets.c.id == ticket_id)
            .values(**_values(row), updated_at=now)
        )

    async def get(self, ticket_id: int, *, for_update: bool = False) -> Ticket | None:
        """One ticket, or None (also another account's); ``for_update`` locks its row.

        The lock is taken on the ticket's row alone, before the joined read, so that the
        outer joins do not ask to lock the rows they may not find.
        """
        if for_update:
            lock = (
                select(tickets.c.id)
                .where(tickets.c.account_id == self.account_id, tickets.c.id == ticket_id)
                .with_for_update()
            )
            if (await self.conn.execute(lock)).one_or_none() is None:
                return None
        row = (
            await self.conn.execute(self._tickets().where(tickets.c.id == ticket_id))
        ).one_or_none()
        return None if row is None else _ticket(row._mapping)

    async def page(
        self,
        page: PageRequest,
        *,
        customer_id: int | None = None,
        sort: str = "id",
        descending: bool = False,
    ) -> Page[Ticket]:
        """A page of the account's tickets (or one customer's), sorted by one of ``SORTS``."""
        mine = self._tickets()
        if customer_id is not None:
            mine = mine.where(tickets.c.customer_id == customer_id)
        keys: list[Any] = [tickets.c.id] if sort == "id" else [tickets.c[sort], tickets.c.id]
        ordered = [key.desc() if descending else key for key in keys]
        found = await self.conn.execute(
            mine.order_by(*ordered).limit(page.per_page).offset(page.offset)
        )
        counted = select(tickets.c.id).where(tickets.c.account_id == self.account_id)
        if customer_id is not None:
            counted = counted.where(tickets.c.customer_id == customer_id)
        total, exact = await bounded_count(self.conn, counted, page)
        return Page([_ticket(row._mapping) for row in found], total, page, count_is_exact=exact)

    async def record(
        self,
        ticket_id: int,
        changes: Sequence[tuple[str, str | None, str | None]],
        *,
        actor: str,
        now: datetime,
    ) -> None:
        """Append one event per changed field, in the order given."""
        if not changes:
            return
        await self.conn.execute(
            insert(ticket_events),
            [
                {
                    "account_id": self.account_id,
                    "ticket_id": ticket_id,
                    "field": field,
                    "old_value": before,
                    "new_value": after,
                    "actor": actor,
                    "created_at": now,
                }
                for field, before, after in changes
            ],
        )

    async def events(
        self, page: PageRequest, *, ticket_id: int | None = None, descending: bool = False
    ) -> Page[TicketChange]:
        """A page of the account's ticket events (or one ticket's), in the order written."""
        mine = select(ticket_events).where(ticket_events.c.account_id == self.account_id)
        if ticket_id is not None:
            mine = mine.where(ticket_events.c.ticket_id == ticket_id)
        key = ticket_events.c.id.desc() if descending else ticket_events.c.id
        found = await self.conn.execute(mine.order_by(key).limit(page.per_page).offset(page.offset))
        total, exact = await bounded_count(self.conn, mine, page)
        return Page([_change(row._mapping) for row in found], total, page, count_is_exact=exact)

    async def history(self, ticket_id: int) -> list[TicketChange]:
        """Every event of one ticket, oldest first."""
        found = await self.conn.execute(
            select(ticket_events)
            .where(
                ticket_events.c.account_id == self.account_id,
                ticket_events.c.ticket_id == ticket_id,
            )
            .order_by(ticket_events.c.id)
        )
        return [_change(row._mapping) for row in found]

    async def queues(self, page: PageRequest) -> Page[Queue]:
        """A page of the account's queues, oldest first."""
        mine = select(ticket_queues).where(ticket_queues.c.account_id == self.account_id)
        found = await self.conn.execute(
            mine.order_by(ticket_queues.c.id).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, mine, page)
        queues = [Queue(row.id, row.name, row.created_at) for row in found]
        return Page(queues, total, page, count_is_exact=exact)


def _values(row: TicketRow) -> dict[str, object]:
    return {
        "status": row.status.value,
        "priority": row.priority.value,
        "queue_id": row.queue_id,
        "assignee_id": row.assignee_id,
    }


def _ticket(row: Mapping[Any, Any]) -> Ticket:
    return Ticket(
        id=row["id"],
        subject=row["subject"],
        description=row["description"],
        status=TicketStatus(row["status"]),
        priority=Priority(row["priority"]),
        queue=row["queue_name"],
        assignee_id=row["assignee_id"],
        customer_id=row["customer_id"],
        customer_external_id=row["customer_external_id"],
        order_id=row["order_id"],
        order_number=row["order_number"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _change(row: Mapping[Any, Any]) -> TicketChange:
    return TicketChange(
        id=row["id"],
        ticket_id=row["ticket_id"],
        field=row["field"],
        before=row["old_value"],
        after=row["new_value"],
        actor=row["actor"],
        created_at=row["created_at"],
    )
