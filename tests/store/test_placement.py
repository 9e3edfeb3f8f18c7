"""Writing a new order with its lines, allocations, ledger and event (one statement on
PostgreSQL, a table at a time on SQLite): what is read back is what was written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from orderyard.domain.allocation.policy import Take
from orderyard.domain.errors import DuplicateError
from orderyard.domain.idempotency import KeyedRequest, KeyTakenError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import HoldState, Order, OrderHeader, OrderLine, OrderStatus
from orderyard.domain.values import AccountId, Address
from orderyard.kit.clock import utcnow
from orderyard.store import keyed_writes
from orderyard.store.keyed_writes import KeyedWrite
from orderyard.store.repositories.placement import NewOrder
from orderyard.store.tables import events
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, count_rows, ledger, level

ADDRESS = Address(
    first_name="Ana",
    last_name="Núñez",
    company="Ñandú & Co",
    email="ana@example.com",
    phone="+34 600",
    line1="Calle 1",
    line2="2º",
    city="Sevilla",
    region="SE",
    postal_code="41001",
    country_code="ES",
)


def an_order(number: str, lines: list[OrderLine], *, hold: HoldState = HoldState.none) -> Order:
    header = OrderHeader(
        order_number=number, reference="REF-9", order_type=2, notes="leave at door", currency="EUR"
    )
    return Order(0, header, OrderStatus.pending, hold=hold, lines=lines)


async def test_a_new_order_reads_back_as_written_with_its_allocations_and_ledger(
    make: Factory,
) -> None:
    dc = await make.location("DC-1")
    a = await make.item("A")
    b = await make.item("B")
    await make.stock("DC-1", "A", 5)
    lines = [
        OrderLine(1, a, "A", 3, unit_price=Decimal("12.3456"), requested_sku="A-ALIAS"),
        OrderLine(2, b, "B", 2, kit_sku="KIT-1"),
    ]
    order = an_order("N-1", lines)
    order.lines[0].allocated = 3
    order.refresh_status()

    async with make.uow() as uow:
        taken = await uow.placements.add(
            NewOrder(
                order,
                ADDRESS,
                Decimal("37.0368"),
                event_kind="order_placed",
                event_data={"status": order.status},
                allocated=[Take(0, dc.id, a, 3)],
                take={(dc.id, a): 3},
            )
        )
        await uow.commit()

    assert taken == {(dc.id, a)}
    async with make.uow() as uow:
        stored = await uow.orders.load(order.id)
        allocations = await uow.orders.allocations_of(order.id)
        kinds = (
            await uow.conn.execute(
                select(events.c.kind, events.c.data).where(
                    events.c.record_type == "order", events.c.record_id == order.id
                )
            )
        ).all()
    async with ReadUnitOfWork(make.engines.read, AccountId(make.account_id)) as reader:
        view = await reader.orders.get("id", order.id)
    assert stored is not None
    assert view is not None
    assert [ln.id for ln in stored.lines] == [ln.id for ln in order.lines]
    assert [(ln.sku, ln.quantity, ln.allocated, ln.unit_price) for ln in stored.lines] == [
        ("A", 3, 3, Decimal("12.3456")),
        ("B", 2, 0, Decimal(0)),
    ]
    assert [(ln.requested_sku, ln.kit_sku, ln.backordered) for ln in view.lines] == [
        ("A-ALIAS", "", 0),
        ("", "KIT-1", 2),
    ]
    assert view.address == ADDRESS
    assert (view.reference, view.order_type, view.notes, view.currency, view.total) == (
        "REF-9",
        2,
        "leave at door",
        "EUR",
        Decimal("37.0368"),
    )
    assert view.status is OrderStatus.partially_allocated
    assert [(x.order_line_id, x.location_id, x.quantity) for x in allocations] == [
        (order.lines[0].id, dc.id, 3)
    ]
    assert kinds == [("order_placed", '{"status": "partially_allocated"}')]
    assert await level(make, "DC-1", "A") == (5, 3)
    assert (await ledger(make))[-1] == Movement(
        dc.id, a, MovementReason.allocated, allocated_delta=3, order_id=order.id
    )
    await assert_ledger_balances(make)


async def test_a_level_without_the_stock_is_not_taken_and_the_caller_decides(
    make: Factory,
) -> None:
    dc = await make.location("DC-1")
    a = await make.item("A")
    await make.stock("DC-1", "A", 2)
    order = an_order("N-1", [OrderLine(1, a, "A", 3, allocated=3)])

    async with make.uow() as uow:
        taken = await uow.placements.add(
            NewOrder(
                order,
                ADDRESS,
                Decimal(0),
                event_kind="order_placed",
                event_data={},
                allocated=[Take(0, dc.id, a, 3)],
                take={(dc.id, a): 3},
            )
        )

    assert taken == set()
    assert await level(make, "DC-1", "A") == (2, 0)


async def test_an_order_number_used_twice_is_a_duplicate(make: Factory) -> None:
    a = await make.item("A")
    for attempt in range(2):
        order = an_order("N-1", [OrderLine(1, a, "A", 1)], hold=HoldState.hold)
        async with make.uow() as uow:
            new = NewOrder(order, ADDRESS, Decimal(0), event_kind="order_placed", event_data={})
            if attempt == 0:
                await uow.placements.add(new)
                await uow.commit()
                continue
            with pytest.raises(DuplicateError) as raised:
                await uow.placements.add(new)
    assert raised.value.field == "order_number"


@pytest.mark.postgres
@pytest.mark.parametrize("levels", [1, 2], ids=["one level", "two levels"])
async def test_a_keyed_placement_whose_key_another_request_holds_writes_nothing(
    make: Factory, levels: int
) -> None:
    """Another request with the key wrote first: the one-statement placement, which inserts
    the key with the order (``order_sets._KEY_WRITTEN``), fails whole: no order, no stock."""
    dcs = [await make.location(f"DC-{n}", priority=n) for n in range(1, levels + 1)]
    a = await make.item("A")
    for dc in dcs:
        await make.stock(dc.code, "A", 2)
    request = KeyedRequest("k-1", "POST", "/v1/orders", "f" * 64)
    account = AccountId(make.account_id)
    later = utcnow() + timedelta(minutes=5)
    async with make.uow().autocommitting() as uow:
        await uow.idempotency.add_written(
            KeyedWrite(account, request, "b" * 32, later), now=utcnow()
        )
    order = an_order("N-1", [OrderLine(1, a, "A", levels, allocated=levels)])
    takes = [Take(0, dc.id, a, 1) for dc in dcs]
    keyed = KeyedWrite(account, request, "a" * 32, later)

    with keyed_writes.carrying_out(keyed):
        async with make.uow().autocommitting() as uow:
            with pytest.raises(KeyTakenError):
                await uow.placements.add(
                    NewOrder(
                        order,
                        ADDRESS,
                        Decimal(0),
                        event_kind="order_placed",
                        event_data={},
                        allocated=takes,
                        take={(t.location_id, a): 1 for t in takes},
                    )
                )

    assert keyed.taken
    for dc in dcs:
        assert await level(make, dc.code, "A") == (2, 0)
    assert await count_rows(make, "orders") == 0
