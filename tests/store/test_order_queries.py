"""Pages of orders: every page is the slice of the whole ordering, and only the account's.

``OrderQueries.page`` finds a page's ids first and reads only those rows (a deep page walks the
index alone); the pages must still be exactly the slices of the sorted list, for every sort,
direction and filter, with the page's lines.
"""

from datetime import datetime

import pytest

from orderyard.domain.order import OrderStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.store.engine import Engines
from orderyard.store.queries.order_filters import OrderFilter
from orderyard.store.queries.order_views import OrderView
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork
from tests.factories import Factory

NUMBERS = ("N-5", "N-2", "N-7", "N-1", "N-6", "N-3", "N-4")
"""Order numbers in the order they are placed: the number's order is not the id's."""


@pytest.fixture
async def placed(make: Factory, engines: Engines) -> Factory:
    """Seven orders of SKU-1 (stock for five at DC-1: the last two wait as backorders), and one
    order of another account that no page may show."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 5)
    for number in NUMBERS:
        await make.order(("SKU-1", 1), number=number)
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    elsewhere = Factory(engines, AccountId(other.account_id))
    await elsewhere.location("DC-1")
    await elsewhere.item("SKU-1")
    await elsewhere.stock("DC-1", "SKU-1", 1)
    await elsewhere.order(("SKU-1", 1), number="N-0")
    return make


async def every_order(make: Factory, where: OrderFilter) -> list[OrderView]:
    async with ReadUnitOfWork(make.engines.read, make.account_id) as uow:
        return list((await uow.orders.page(where, PageRequest(1, 250))).items)


async def order_filter(make: Factory, name: str) -> OrderFilter:
    if name == "backordered":
        return OrderFilter(statuses=frozenset({OrderStatus.backordered}))
    if name == "allocated at DC-1":
        async with make.uow() as uow:
            location = await uow.locations.find_by_code("DC-1")
        assert location is not None
        return OrderFilter(location_id=location.id)
    return OrderFilter()


def sort_key(sort: str, view: OrderView) -> tuple[str | int | datetime, int]:
    value: str | int | datetime = {
        "id": view.id,
        "order_number": view.order_number,
        "created_at": view.created_at,
    }[sort]
    return (value, view.id)


@pytest.mark.parametrize("sort", ["id", "order_number", "created_at"])
@pytest.mark.parametrize("descending", [True, False], ids=["desc", "asc"])
@pytest.mark.parametrize("filtered", ["all", "backordered", "allocated at DC-1"])
async def test_every_page_is_the_slice_of_the_sorted_list(
    placed: Factory, sort: str, descending: bool, filtered: str
) -> None:
    where = await order_filter(placed, filtered)
    matching = await every_order(placed, where)
    expected = sorted(matching, key=lambda view: sort_key(sort, view), reverse=descending)
    per_page = 3

    pages = []
    async with ReadUnitOfWork(placed.engines.read, placed.account_id) as uow:
        for number in range(1, 5):
            request = PageRequest(number, per_page)
            pages.append(await uow.orders.page(where, request, sort=sort, descending=descending))

    for number, page in enumerate(pages, start=1):
        start = (number - 1) * per_page
        wanted = expected[start : start + per_page]
        assert [v.order_number for v in page.items] == [v.order_number for v in wanted]
        assert [len(v.lines) for v in page.items] == [1] * len(wanted)
        assert page.total == len(matching)


async def test_the_pages_hold_the_accounts_orders_and_no_other(placed: Factory) -> None:
    everything = await every_order(placed, OrderFilter())

    assert sorted(v.order_number for v in everything) == sorted(NUMBERS)
    backordered = await every_order(
        placed, OrderFilter(statuses=frozenset({OrderStatus.backordered}))
    )
    assert sorted(v.order_number for v in backordered) == ["N-3", "N-4"]
    at_dc1 = await every_order(placed, await order_filter(placed, "allocated at DC-1"))
    assert sorted(v.order_number for v in at_dc1) == ["N-1", "N-2", "N-5", "N-6", "N-7"]
