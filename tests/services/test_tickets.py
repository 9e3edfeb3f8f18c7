"""Ticket use cases: create one or several, update, and the events that replay a ticket."""

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orderyard.domain.errors import ConflictError, NotFoundError
from orderyard.domain.staff import Role
from orderyard.domain.ticket import Priority, TicketStatus, replay
from orderyard.domain.values import PageRequest
from orderyard.services import account as account_service
from orderyard.services import staff as staff_service
from orderyard.services import ticket as ticket_service
from orderyard.services.customer import CustomerRef
from orderyard.services.ticket import NewTicket, OrderLink, TicketPatch
from orderyard.store.engine import create_engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import count_rows

TABLES = ("tickets", "ticket_events", "ticket_queues", "events")


async def written(make: Factory) -> tuple[int, ...]:
    return tuple([await count_rows(make, table) for table in TABLES])


async def test_a_new_ticket_replays_from_its_events(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    ann = await staff_service.create_staff(make.uow(), "ann@shop.test", Role.OPERATOR, "p" * 12)

    ticket = await ticket_service.create_ticket(
        make.uow(),
        NewTicket("Late", priority=Priority.URGENT, queue="Front", assignee_id=ann.id),
    )

    history = await ticket_service.ticket_history(read_uow, ticket.id)
    assert (
        replay(history)
        == ticket.tracked
        == {
            "status": "open",
            "priority": "urgent",
            "queue": "Front",
            "assignee": str(ann.id),
        }
    )
    assert {change.actor for change in history} == {"test"}


async def test_several_tickets_keep_the_valid_ones_and_a_failing_one_leaves_no_queue(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    outcomes = await ticket_service.create_tickets(
        make.uow(),
        [
            NewTicket("a", queue="Kept"),
            NewTicket("b", queue="Ghost", customer=CustomerRef(404)),
            NewTicket("c", queue="Ghost", order=OrderLink(order_number="NOPE")),
        ],
    )

    assert [o.ticket is not None for o in outcomes] == [True, False, False]
    assert [(o.error.field, o.error.message) for o in outcomes if o.error] == [
        ("customer_id", "customer 404 not found"),
        ("order_number", "order 'NOPE' not found"),
    ]
    queues = await ticket_service.list_queues(read_uow, _page())
    assert [queue.name for queue in queues.items] == ["Kept"]
    assert await written(make) == (1, 3, 1, 1)


async def test_every_failing_ticket_commits_nothing(make: Factory) -> None:
    outcomes = await ticket_service.create_tickets(
        make.uow(), [NewTicket("a", queue="Q", assignee_id=77)]
    )

    assert outcomes[0].error is not None
    assert isinstance(outcomes[0].error, NotFoundError)
    assert await written(make) == (0, 0, 0, 0)


async def test_a_refused_move_and_a_closed_ticket_write_nothing(make: Factory) -> None:
    ticket = await ticket_service.create_ticket(make.uow(), NewTicket("a"))
    await ticket_service.update_ticket(
        make.uow(), ticket.id, TicketPatch(status=TicketStatus.RESOLVED)
    )
    before = await written(make)

    with pytest.raises(ConflictError) as refused:
        await ticket_service.update_ticket(
            make.uow(), ticket.id, TicketPatch(status=TicketStatus.PENDING, queue="Q")
        )
    await ticket_service.update_ticket(
        make.uow(), ticket.id, TicketPatch(status=TicketStatus.CLOSED)
    )
    with pytest.raises(ConflictError) as closed:
        await ticket_service.update_ticket(make.uow(), ticket.id, TicketPatch(queue="Q"))

    assert (refused.value.field, refused.value.message) == (
        "status",
        "a resolved ticket cannot become pending",
    )
    assert closed.value.message == "a closed ticket cannot change"
    assert await written(make) == (before[0], before[1] + 1, before[2], before[3] + 1)


def _page() -> PageRequest:
    return PageRequest(page=1, per_page=50)


patches = st.builds(
    TicketPatch,
    status=st.none() | st.sampled_from(TicketStatus),
    priority=st.none() | st.sampled_from(Priority),
    queue=st.none() | st.sampled_from(("Front", "Back", "VIP")),
    clear_queue=st.booleans(),
    assignee_id=st.none() | st.sampled_from((1, 2)),
    clear_assignee=st.booleans(),
)


async def _example(db_url: str, patches_run: list[TicketPatch]) -> None:
    engines = create_engines(db_url, pool_size=2)
    try:
        account = await account_service.create_account(SystemUnitOfWork(engines.write), "Prop")
        staff_ids = []
        for name in ("ann", "bob"):
            member = await staff_service.create_staff(
                UnitOfWork(engines.write, account.account_id),
                f"{name}@shop.test",
                Role.OPERATOR,
                "p" * 12,
            )
            staff_ids.append(member.id)
        ticket = await ticket_service.create_ticket(
            UnitOfWork(engines.write, account.account_id, actor="staff:1"), NewTicket("s")
        )
        for step, patch in enumerate(patches_run):
            if patch.assignee_id is not None:
                patch = TicketPatch(
                    **{**_fields(patch), "assignee_id": staff_ids[patch.assignee_id - 1]}
                )
            uow = UnitOfWork(engines.write, account.account_id, actor=f"staff:{step}")
            try:
                ticket = await ticket_service.update_ticket(uow, ticket.id, patch)
            except ConflictError:
                continue
        read = ReadUnitOfWork(engines.read, account.account_id)
        history = await ticket_service.ticket_history(read, ticket.id)
        final = await ticket_service.get_ticket(read, ticket.id)

        assert final == ticket
        assert replay(history) == final.tracked
        assert [c.id for c in history] == sorted(c.id for c in history)
    finally:
        await engines.dispose()


def _fields(patch: TicketPatch) -> dict[str, object]:
    return {name: getattr(patch, name) for name in TicketPatch.__dataclass_fields__}


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(patches_run=st.lists(patches, max_size=8))
def test_any_sequence_of_updates_leaves_events_that_replay_to_the_ticket(
    db_url: str, patches_run: list[TicketPatch]
) -> None:
    asyncio.run(_example(db_url, patches_run))


async def test_two_tickets_naming_one_new_queue_at_once_share_it(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    made = await asyncio.gather(
        *(ticket_service.create_ticket(make.uow(), NewTicket(s, queue="Race")) for s in "ab")
    )

    queues = await ticket_service.list_queues(read_uow, _page())
    assert [queue.name for queue in queues.items] == ["Race"]
    assert [ticket.queue for ticket in made] == ["Race", "Race"]
