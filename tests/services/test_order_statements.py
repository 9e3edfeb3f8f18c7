"""The number of SQL statements placing one order issues, so the hot path cannot silently grow.

Placing a one-line order of a plain SKU with stock takes nine statements:

1. SELECT the account's allocation strategy, shipping method id and channel id (one query)
2. SELECT the SKU (items; aliases are read only for SKUs not found)
3. SELECT candidate stock levels with their locations' priorities
4. UPDATE the stock level: the conditional allocation
5. INSERT the order
6. INSERT its line
7. INSERT the allocation row (which location promised the units)
8. INSERT the ledger movement
9. INSERT the event log entry

Transaction control (BEGIN, COMMIT) is not counted. Authentication adds one SELECT (in
autocommit on PostgreSQL) only when the key is not in the process's key cache.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from orderyard.services import order as order_service
from orderyard.services.order import LineInput, PlaceOrder
from orderyard.store.engine import Engines
from orderyard.store.uow import UnitOfWork
from tests.factories import ADDRESS, Factory

CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@contextmanager
def counted(engines: Engines) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(CONTROL):
            statements.append(statement.split()[0].upper())

    event.listen(engines.write.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engines.write.sync_engine, "before_cursor_execute", record)


async def test_placing_a_one_line_order_issues_nine_statements(
    make: Factory, engines: Engines, uow: UnitOfWork
) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    command = PlaceOrder(
        "N-1", (LineInput("SKU-1", 1, Decimal(1)),), "Pick", ADDRESS, channel_name="My Shop"
    )

    with counted(engines) as statements:
        [outcome] = await order_service.place_orders(uow, [command])

    assert outcome.error is None
    assert statements == [
        "SELECT",
        "SELECT",
        "SELECT",
        "UPDATE",
        "INSERT",
        "INSERT",
        "INSERT",
        "INSERT",
        "INSERT",
    ]
