"""The orders list (console, OrderDynamics search): its statements, whatever the page holds."""

from datetime import timedelta

from orderyard.domain.values import PageRequest
from orderyard.kit.clock import TestClock, utcnow
from orderyard.services.order import OrderFilter, search_orders
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory
from tests.statements import counted

WINDOW = timedelta(days=1)


async def placed(make: Factory, orders: int) -> None:
    await make.location("DC-1")
    await make.item("A")
    await make.stock("DC-1", "A", 100)
    for _ in range(orders):
        await make.order(("A", 1))


async def statements_of(engines: Engines, read_uow: ReadUnitOfWork, where: OrderFilter) -> int:
    with counted(engines.read) as statements:
        await search_orders(read_uow, where, PageRequest(1, 50))
    return len(statements)


async def test_a_page_costs_three_statements_whether_it_lists_one_order_or_five(
    make: Factory, engines: Engines, read_uow: ReadUnitOfWork, clock: TestClock
) -> None:
    await placed(make, 1)
    window = OrderFilter(created_from=utcnow() - WINDOW, created_to=utcnow() + WINDOW)
    one = [await statements_of(engines, read_uow, where) for where in (OrderFilter(), window)]
    for _ in range(4):
        await make.order(("A", 1))

    five = [await statements_of(engines, read_uow, where) for where in (OrderFilter(), window)]

    assert one == five == [3, 3]  # the page, its bounded count, the page's lines


async def test_a_created_window_lists_newest_first_like_the_whole_list(
    make: Factory, read_uow: ReadUnitOfWork, clock: TestClock
) -> None:
    await placed(make, 0)
    for _ in range(3):
        await make.order(("A", 1))
        clock.advance(timedelta(hours=1))
    window = OrderFilter(created_from=utcnow() - timedelta(days=1), created_to=utcnow())

    everything = await search_orders(read_uow, OrderFilter(), PageRequest(1, 50))
    windowed = await search_orders(read_uow, window, PageRequest(1, 2))

    assert [o.order_number for o in everything.items] == ["ORD-3", "ORD-2", "ORD-1"]
    assert [o.order_number for o in windowed.items] == ["ORD-3", "ORD-2"]
    assert (windowed.total, windowed.count_is_exact) == (3, True)


async def test_an_order_number_prefix_finds_exactly_the_numbers_starting_with_it(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await placed(make, 0)
    for number in ("AB-1", "AB-2", "AC-1", "A%-1", "ABÿ-1", "AB\U0010ffff-1", "B-1"):
        await make.order(("A", 1), number=number)

    async def found(prefix: str) -> list[str]:
        where = OrderFilter(order_number_prefix=prefix)
        page = await search_orders(read_uow, where, PageRequest(1, 50))
        return sorted(order.order_number for order in page.items)

    assert await found("AB") == ["AB-1", "AB-2", "ABÿ-1", "AB\U0010ffff-1"]
    assert await found("A%") == ["A%-1"]  # % is a character here, not a wildcard
    assert await found("ABÿ") == ["ABÿ-1"]
    assert await found("AB\U0010ffff") == ["AB\U0010ffff-1"]  # no successor: no upper bound
    assert await found("C") == []


async def test_an_order_number_prefix_is_case_sensitive_on_every_database(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await placed(make, 0)
    for number in ("AB-1", "ab-2", "Ab-3"):
        await make.order(("A", 1), number=number)

    async def found(prefix: str) -> list[str]:
        page = await search_orders(
            read_uow, OrderFilter(order_number_prefix=prefix), PageRequest(1, 50)
        )
        return [order.order_number for order in page.items]

    # SQLite's LIKE ignores the case of ASCII letters; the byte range beside it does not
    assert await found("AB") == ["AB-1"]
    assert await found("ab") == ["ab-2"]
    assert await found("A") == ["Ab-3", "AB-1"]


async def test_a_prefix_search_counts_its_matches_past_the_page(
    make: Factory, read_uow: ReadUnitOfWork
) -> None:
    await placed(make, 0)
    for n in range(12):
        await make.order(("A", 1), number=f"P-{n}")
    await make.order(("A", 1), number="Q-1")

    page = await search_orders(read_uow, OrderFilter(order_number_prefix="P-1"), PageRequest(1, 2))

    # P-1, P-10, P-11 match; the page shows the newest two and counts all three
    assert [order.order_number for order in page.items] == ["P-11", "P-10"]
    assert (page.total, page.count_is_exact) == (3, True)
