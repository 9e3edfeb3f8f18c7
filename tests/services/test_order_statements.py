"""The number of SQL statements placing one order issues, so the hot path cannot silently grow.

Placing a one-line order of a plain SKU with stock reads three times:

1. SELECT the account's allocation strategy, shipping method id and channel id (one query)
2. SELECT the SKU (items; aliases are read only for SKUs not found)
3. SELECT candidate stock levels with their locations' priorities (by priority: only as
   many locations as the demand can reach)

and then writes the order, its line, the allocation row (which location promised the units),
the ledger movement and the event log entry, and takes the stock: the conditional UPDATE of
the level, last, so that the level's row lock is held only until the COMMIT that follows (a
lost race rolls the call back and places the order again taking stock first; see
``test_a_lost_race_places_the_order_again_taking_stock_first``).

On PostgreSQL the writes and the takes are one statement (4: ``WITH ...``, data-modifying
CTEs, ``store/repositories/order_sets.py``), whatever the number of levels the order takes
from: two or more are locked in (location, item) order and taken all or none in it. On SQLite
they are six: five INSERTs and the UPDATE, one more UPDATE per further level (statements there
cost no round trip).

Transaction control (BEGIN, COMMIT) is not counted. Authentication adds one SELECT (in
autocommit on PostgreSQL) only when the key is not in the process's key cache.
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from orderyard.domain.allocation.policy import Take
from orderyard.domain.order import Customer, OrderStatus
from orderyard.domain.values import Address
from orderyard.services import order as order_service
from orderyard.services.order import LineInput, OrderRef, PlaceOrder, place
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork
from tests.factories import ADDRESS, Factory
from tests.services.checks import assert_ledger_balances, count_rows, level
from tests.statements import counted, on_the_driver

READS = ["SELECT", "SELECT", "SELECT"]
STALE_READS = ["SELECT", "SELECT"]
"""The reads of a placement whose plan is stubbed: it reads no candidates."""
WRITES_ONE_LEVEL = {
    "postgresql": ["WITH"],
    "sqlite": ["INSERT", "INSERT", "INSERT", "INSERT", "INSERT", "UPDATE"],
}


async def test_placing_a_one_line_order_reads_three_times_and_writes_once(
    make: Factory, engines: Engines, uow: UnitOfWork
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    command = PlaceOrder(
        "N-1", (LineInput("SKU-1", 1, Decimal(1)),), "Pick", ADDRESS, channel_name="My Shop"
    )

    with counted(engines.write) as statements:
        [outcome] = await order_service.place_orders(uow, [command])

    assert outcome.error is None
    assert outcome.status is OrderStatus.allocated
    assert statements == READS + WRITES_ONE_LEVEL[engines.write.dialect.name]
    assert await level(make, "DC-1", "SKU-1") == (5, 1)
    await assert_ledger_balances(make)


@pytest.mark.postgres
async def test_an_order_sends_every_statement_on_the_driver(
    make: Factory, engines: Engines, uow: UnitOfWork
) -> None:
    """In autocommit, the reads and the placement skip SQLAlchemy's execution (store/driver.py),
    whether the order takes one level or several."""
    await make.location("DC-1", priority=1)
    await make.location("DC-2", priority=2)
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 2)
    await make.stock("DC-2", "SKU-1", 5)
    one_level = PlaceOrder("N-1", (LineInput("SKU-1", 1, Decimal(1)),), "Pick", ADDRESS)
    two_levels = PlaceOrder("N-2", (LineInput("SKU-1", 3, Decimal(1)),), "Pick", ADDRESS)

    with counted(engines.write) as everything, on_the_driver() as driven:
        await order_service.place_orders(uow, [one_level])
    assert driven == everything == [*READS, "WITH"]

    with counted(engines.write) as everything, on_the_driver() as driven:
        await order_service.place_orders(make.uow(), [two_levels])
    assert driven == everything == [*READS, "WITH"]


async def test_an_order_split_over_two_levels_takes_both_with_its_writes(
    make: Factory, engines: Engines, uow: UnitOfWork
) -> None:
    await make.location("DC-1", priority=1)
    await make.location("DC-2", priority=2)
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 2)
    await make.stock("DC-2", "SKU-1", 5)
    command = PlaceOrder(
        "N-1", (LineInput("SKU-1", 3, Decimal(1)),), "Pick", ADDRESS, channel_name="My Shop"
    )

    with counted(engines.write) as statements:
        [outcome] = await order_service.place_orders(uow, [command])

    assert outcome.status is OrderStatus.allocated
    writes = {
        "postgresql": ["WITH"],
        "sqlite": ["INSERT", "INSERT", "INSERT", "INSERT", "INSERT", "UPDATE", "UPDATE"],
    }
    assert statements == READS + writes[engines.write.dialect.name]
    assert await level(make, "DC-1", "SKU-1") == (2, 2)
    assert await level(make, "DC-2", "SKU-1") == (5, 1)
    await assert_ledger_balances(make)


async def test_a_lost_race_places_the_order_again_taking_stock_first(
    make: Factory, engines: Engines, uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = await make.location("DC-1")
    item = await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 3)

    async def stale_plan(*_: object, **__: object) -> list[Take]:
        """What a plan read just before another order took 2 of the 5 units would say."""
        return [Take(0, location.id, item, 5)]

    monkeypatch.setattr(place, "plan_takes", stale_plan)
    command = PlaceOrder(
        "N-1", (LineInput("SKU-1", 5, Decimal(1)),), "Pick", ADDRESS, channel_name="My Shop"
    )

    with counted(engines.write) as statements, on_the_driver() as driven:
        [outcome] = await order_service.place_orders(uow, [command])

    assert outcome.error is None
    assert outcome.status is OrderStatus.partially_allocated
    assert await level(make, "DC-1", "SKU-1") == (3, 3)
    # the retry is a transaction: none of its statements may go past it on the driver
    assert driven == ([*STALE_READS, "WITH"] if engines.write.dialect.name == "postgresql" else [])
    await assert_ledger_balances(make)
    retried = {
        # the one statement took nothing and wrote nothing; then take first, write without a take
        "postgresql": [*STALE_READS, "WITH", *READS, "UPDATE", "WITH"],
        # five written, then the UPDATE that lost; then take first, and five again
        "sqlite": STALE_READS + WRITES_ONE_LEVEL["sqlite"] + READS + ["UPDATE"] + ["INSERT"] * 5,
    }
    assert statements == retried[engines.write.dialect.name]
    assert await count_rows(make, "orders") == 1
    assert await count_rows(make, "order_lines") == 1
    assert await count_rows(make, "allocations") == 1


async def test_a_race_lost_at_one_of_two_levels_takes_neither_and_places_again(
    make: Factory, engines: Engines, uow: UnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two levels are taken all or none: the one still stocked is not taken alone."""
    first = await make.location("DC-1", priority=1)
    second = await make.location("DC-2", priority=2)
    item = await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 2)
    await make.stock("DC-2", "SKU-1", 1)

    async def stale_plan(*_: object, **__: object) -> list[Take]:
        """A plan read before another order took 2 of DC-2's 3 units."""
        return [Take(0, first.id, item, 2), Take(0, second.id, item, 3)]

    monkeypatch.setattr(place, "plan_takes", stale_plan)
    command = PlaceOrder("N-1", (LineInput("SKU-1", 5, Decimal(1)),), "Pick", ADDRESS)

    with counted(engines.write) as statements:
        [outcome] = await order_service.place_orders(uow, [command])

    assert outcome.error is None
    assert outcome.status is OrderStatus.partially_allocated
    assert await level(make, "DC-1", "SKU-1") == (2, 2)
    assert await level(make, "DC-2", "SKU-1") == (1, 1)
    if engines.write.dialect.name == "postgresql":
        # the statement took neither level and wrote nothing; then take first, one by one
        assert statements == [*STALE_READS, "WITH", *READS, "UPDATE", "UPDATE", "WITH"]
    assert await count_rows(make, "orders") == 1
    assert await count_rows(make, "allocations") == 2
    await assert_ledger_balances(make)


async def test_an_order_with_a_customer_billing_address_and_line_amounts_costs_no_more(
    make: Factory, engines: Engines, uow: UnitOfWork, read_uow: ReadUnitOfWork
) -> None:
    """OrderDynamics' create carries more per order and per line, in the same statements."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    command = PlaceOrder(
        "OD-1",
        (
            LineInput(
                "SKU-1",
                1,
                Decimal("9.5"),
                external_id="L-1",
                tax=Decimal("1.25"),
                discount=Decimal("0.5"),
            ),
        ),
        "Pick",
        ADDRESS,
        channel_name="My Shop",
        customer=Customer("C-9", "jane@example.com", "Jane", "Smith", "+1 416 555 0100"),
        billing_address=Address(first_name="Jane", line1="1 Bay St", city="Toronto"),
        ordered_at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
    )

    with counted(engines.write) as statements:
        [outcome] = await order_service.place_orders(uow, [command])

    assert outcome.error is None
    assert statements == READS + WRITES_ONE_LEVEL[engines.write.dialect.name]
    view = await order_service.get_order(read_uow, OrderRef("order_number", "OD-1"))
    assert view.customer == Customer("C-9", "jane@example.com", "Jane", "Smith", "+1 416 555 0100")
    assert (view.billing_address.line1, view.billing_address.city) == ("1 Bay St", "Toronto")
    assert view.ordered_at == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert view.total == Decimal("10.25")
    [line] = view.lines
    assert (line.external_id, line.tax, line.discount) == ("L-1", Decimal("1.25"), Decimal("0.5"))
