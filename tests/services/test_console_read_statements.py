"""The console's stock and dashboard reads send a fixed number of statements, whatever the data.

Each read runs once on a small account and once after the account has grown (more SKUs,
locations, orders, shipments and movements, spread over several days): the statements it
sends are the same list both times. Transaction control is not counted.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from orderyard.domain.values import AccountId
from orderyard.kit.clock import TestClock
from orderyard.services import dashboard as dashboard_service
from orderyard.services import stock_views
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.statements import counted

Read = Callable[[ReadUnitOfWork], Awaitable[object]]

READS: dict[str, tuple[Read, list[str]]] = {
    "a SKU across locations": (lambda uow: stock_views.sku_stock(uow, "A"), ["SELECT"] * 2),
    "the stock list": (lambda uow: stock_views.sku_list(uow, prefix="", limit=50), ["SELECT"] * 2),
    "a level's ledger": (
        lambda uow: stock_views.level_ledger(uow, "A", "DC-1", limit=50),
        ["SELECT"] * 2,
    ),
    "the dashboard": (lambda uow: dashboard_service.dashboard(uow), ["SELECT"] * 6),
}


async def sent(engines: Engines, account_id: int) -> dict[str, list[str]]:
    found = {}
    for name, (read, _) in READS.items():
        with counted(engines.read) as statements:
            await read(ReadUnitOfWork(engines.read, AccountId(account_id)))
        found[name] = statements
    return found


async def grow(make: Factory, clock: TestClock, *, start: int) -> None:
    """More of everything: SKUs at several locations, orders on several days, shipments."""
    for n in range(start, start + 3):
        await make.location(f"DC-{n + 1}", priority=n + 1)
    for n in range(start, start + 12):
        await make.item(f"A-{n}")
        await make.stock(f"DC-{start + 1 + n % 3}", f"A-{n}", 5)
        await make.stock("DC-1", "A", 20 + n)
    for n in range(6):
        clock.advance(timedelta(days=1))
        placed = await make.order(("A", 2))
        await make.order((f"A-{start + n}", 9))
        if n % 2:
            await make.ship(placed.order_id or 0)


async def test_each_read_sends_the_same_statements_however_much_the_account_holds(
    make: Factory, engines: Engines, clock: TestClock
) -> None:
    await make.location("DC-1")
    await make.item("A")
    await make.stock("DC-1", "A", 3)
    small = await sent(engines, make.account_id)

    await grow(make, clock, start=1)
    large = await sent(engines, make.account_id)

    expected = {name: statements for name, (_, statements) in READS.items()}
    assert (small, large) == (expected, expected)
