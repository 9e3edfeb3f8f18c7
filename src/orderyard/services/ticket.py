"""Support tickets: create one or several, change status, priority, queue and assignee; read.

Every change of a tracked field is a ticket event (who, when, before, after), written in the
same transaction as the change, and every write records one event-log event
(``ticket_created``, ``ticket_updated``) naming the fields it changed. A queue exists from
the first ticket that names it. The assignee is a staff member of the account, active when
assigned. Status moves follow ``domain.ticket.MOVES``; a closed ticket changes no more.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.errors import ConflictError, DomainError, NotFoundError
from orderyard.domain.ticket import (
    Priority,
    Queue,
    Ticket,
    TicketChange,
    TicketStatus,
    check_move,
    check_open_to_change,
    created_changes,
    differences,
    tracked_state,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.services.customer.records import CustomerRef, find_customer, writable
from orderyard.store.repositories.ticket import TicketRow
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork


@dataclass(frozen=True, slots=True)
class OrderLink:
    """The order a ticket is about: by internal id, by order number, or both (one order)."""

    id: int | None = None
    order_number: str | None = None


@dataclass(frozen=True, slots=True)
class NewTicket:
    """A ticket to open."""

    subject: str
    description: str = ""
    priority: Priority = Priority.NORMAL
    queue: str | None = None
    assignee_id: int | None = None
    customer: CustomerRef | None = None
    order: OrderLink | None = None


@dataclass(frozen=True, slots=True)
class TicketPatch:
    """What to change of a ticket; None leaves a field as it is, ``clear_*`` empties it."""

    status: TicketStatus | None = None
    priority: Priority | None = None
    queue: str | None = None
    clear_queue: bool = False
    assignee_id: int | None = None
    clear_assignee: bool = False


@dataclass(frozen=True, slots=True)
class TicketOutcome:
    """One ticket of a bulk create: the ticket made, or why none was."""

    index: int
    ticket: Ticket | None = None
    error: DomainError | None = None


async def create_ticket(uow: UnitOfWork, command: NewTicket) -> Ticket:
    """Open one ticket; records its ticket events and ``ticket_created``.

    Raises:
        NotFoundError: the customer, order or assignee is not the account's.
        ConflictError: the customer was forgotten, or the assignee is disabled.
    """
    async with uow:
        ticket = await _create(uow, command)
        await uow.commit()
    return ticket


async def create_tickets(uow: UnitOfWork, commands: Sequence[NewTicket]) -> list[TicketOutcome]:
    """Open several tickets, each in its own savepoint: failing ones leave no trace."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _create(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [TicketOutcome(a.index, a.value, a.error) for a in attempts]


async def _create(uow: UnitOfWork, command: NewTicket) -> Ticket:
    now = utcnow()
    customer_id = None
    if command.customer is not None:
        customer_id = writable(await find_customer(uow.customers.find, command.customer)).id
    order_id = None if command.order is None else await _order_id(uow, command.order)
    if command.assignee_id is not None:
        await _check_assignee(uow, command.assignee_id)
    queue_id = None if command.queue is None else await uow.tickets.queue_id(command.queue, now)
    row = TicketRow(
        subject=command.subject,
        description=command.description,
        status=TicketStatus.OPEN,
        priority=command.priority,
        queue_id=queue_id,
        assignee_id=command.assignee_id,
        customer_id=customer_id,
        order_id=order_id,
    )
    ticket_id = await uow.tickets.add(row, now)
    state = tracked_state(TicketStatus.OPEN, command.priority, command.queue, command.assignee_id)
    changes = created_changes(state)
    await uow.tickets.record(ticket_id, changes, actor=uow.actor, now=now)
    await uow.events.record(
        "ticket_created",
        "ticket",
        ticket_id,
        {"customer_id": customer_id, "order_id": order_id, **state},
    )
    return await _get(uow, ticket_id)


async def update_ticket(uow: UnitOfWork, ticket_id: int, patch: TicketPatch) -> Ticket:
    """Change a ticket's tracked fields; one ticket event per field that changed.

    A patch that changes nothing writes nothing.

    Raises:
        NotFoundError: no such ticket in the account, or an unknown assignee.
        ConflictError: the ticket is closed, the status move is not allowed, or the
            assignee is disabled.
    """
    async with uow:
        ticket = await uow.tickets.get(ticket_id, for_update=True)
        if ticket is None:
            raise NotFoundError(f"ticket {ticket_id} not found", field="ticket_id")
        after = _patched(ticket, patch)
        changes = differences(ticket.tracked, after.tracked)
        if changes:
            check_open_to_change(ticket.status)
            check_move(ticket.status, after.status)
            await _apply(uow, ticket, after, changes)
            await uow.commit()
        return await _get(uow, ticket_id) if changes else ticket


def _patched(ticket: Ticket, patch: TicketPatch) -> Ticket:
    queue = None if patch.clear_queue else patch.queue or ticket.queue
    assignee = None if patch.clear_assignee else patch.assignee_id or ticket.assignee_id
    return Ticket(
        **{
            **{name: getattr(ticket, name) for name in Ticket.__dataclass_fields__},
            "status": patch.status or ticket.status,
            "priority": patch.priority or ticket.priority,
            "queue": queue,
            "assignee_id": assignee,
        }
    )


async def _apply(
    uow: UnitOfWork,
    ticket: Ticket,
    after: Ticket,
    changes: list[tuple[str, str | None, str | None]],
) -> None:
    now = utcnow()
    if after.assignee_id is not None and after.assignee_id != ticket.assignee_id:
        await _check_assignee(uow, after.assignee_id)
    queue_id = None if after.queue is None else await uow.tickets.queue_id(after.queue, now)
    row = TicketRow(
        subject=ticket.subject,
        description=ticket.description,
        status=after.status,
        priority=after.priority,
        queue_id=queue_id,
        assignee_id=after.assignee_id,
        customer_id=ticket.customer_id,
        order_id=ticket.order_id,
    )
    await uow.tickets.save(ticket.id, row, now)
    await uow.tickets.record(ticket.id, changes, actor=uow.actor, now=now)
    await uow.events.record(
        "ticket_updated",
        "ticket",
        ticket.id,
        {"changes": {field: [before, new] for field, before, new in changes}},
    )


async def _order_id(uow: UnitOfWork, link: OrderLink) -> int:
    by_id = None if link.id is None else await uow.orders.find_id("id", link.id)
    if link.id is not None and by_id is None:
        raise NotFoundError(f"order {link.id} not found", field="order")
    if not link.order_number:
        if by_id is None:
            raise NotFoundError("order not found", field="order")
        return by_id
    by_number = await uow.orders.find_id("order_number", link.order_number)
    if by_number is None or (by_id is not None and by_id != by_number):
        raise NotFoundError(f"order {link.order_number!r} not found", field="order_number")
    return by_number


async def _check_assignee(uow: UnitOfWork, staff_id: int) -> None:
    member = await uow.staff.get(staff_id, field="assignee")
    if not member.active:
        raise ConflictError(f"staff member {staff_id} is disabled", field="assignee")


async def _get(uow: UnitOfWork | ReadUnitOfWork, ticket_id: int) -> Ticket:
    found = await uow.tickets.get(ticket_id)
    if found is None:
        raise NotFoundError(f"ticket {ticket_id} not found", field="ticket_id")
    return found


async def get_ticket(read: ReadUnitOfWork, ticket_id: int) -> Ticket:
    """One ticket.

    Raises:
        NotFoundError: no such ticket in the account.
    """
    async with read:
        return await _get(read, ticket_id)


async def list_tickets(
    read: ReadUnitOfWork, page: PageRequest, *, sort: str = "id", descending: bool = False
) -> Page[Ticket]:
    """A page of the account's tickets."""
    async with read:
        return await read.tickets.page(page, sort=sort, descending=descending)


async def customer_tickets(
    read: ReadUnitOfWork,
    customer: CustomerRef,
    page: PageRequest,
    *,
    sort: str = "id",
    descending: bool = False,
) -> Page[Ticket]:
    """A page of one customer's tickets (its ticket history).

    Raises:
        NotFoundError: no such customer in the account.
    """
    async with read:
        found = await find_customer(read.customers.get, customer)
        return await read.tickets.page(page, customer_id=found.id, sort=sort, descending=descending)


async def ticket_events(
    read: ReadUnitOfWork,
    page: PageRequest,
    *,
    ticket_id: int | None = None,
    descending: bool = False,
) -> Page[TicketChange]:
    """A page of one ticket's events, or of every ticket's, in the order written.

    Raises:
        NotFoundError: a ticket named that is not the account's.
    """
    async with read:
        if ticket_id is not None:
            await _get(read, ticket_id)
        return await read.tickets.events(page, ticket_id=ticket_id, descending=descending)


async def ticket_history(read: ReadUnitOfWork, ticket_id: int) -> list[TicketChange]:
    """Every event of one ticket, oldest first (``domain.ticket.replay`` rebuilds it).

    Raises:
        NotFoundError: no such ticket in the account.
    """
    async with read:
        await _get(read, ticket_id)
        return await read.tickets.history(ticket_id)


async def list_queues(read: ReadUnitOfWork, page: PageRequest) -> Page[Queue]:
    """A page of the account's queues."""
    async with read:
        return await read.tickets.queues(page)
