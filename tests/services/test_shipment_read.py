"""Reading shipments: a page of those a filter matches, oldest or newest first."""

from orderyard.domain.shipment import ShipmentStatus
from orderyard.domain.values import PageRequest
from orderyard.services.account import NewAccount
from orderyard.services.shipment.read import ShipmentFilter, list_shipments
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork
from tests.factories import Factory


async def two_shipments(make: Factory) -> list[int]:
    """Two orders of one unit each, both shipped: their shipments' ids, in order."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.stock("DC-1", "SKU-1", 10)
    ids = []
    for number in ("A-1", "A-2"):
        placed = await make.order(("SKU-1", 1), number=number)
        ids.append(await make.ship(placed.order_id or 0))
    return ids


async def test_the_apis_read_oldest_first_and_the_console_newest_first(
    make: Factory, engines: Engines, account: NewAccount
) -> None:
    ids = await two_shipments(make)
    read = ReadUnitOfWork(engines.read, account.account_id)

    oldest = await list_shipments(read, ShipmentFilter(), PageRequest(1, 50))
    newest = await list_shipments(read, ShipmentFilter(), PageRequest(1, 50), newest_first=True)

    assert [s.id for s in oldest.items] == ids
    assert [s.id for s in newest.items] == ids[::-1]
    assert (newest.total, newest.count_is_exact) == (2, True)


async def test_newest_first_pages_and_filters_like_oldest_first(
    make: Factory, engines: Engines, account: NewAccount
) -> None:
    ids = await two_shipments(make)
    read = ReadUnitOfWork(engines.read, account.account_id)

    second_page = await list_shipments(read, ShipmentFilter(), PageRequest(2, 1), newest_first=True)
    by_order = await list_shipments(
        read,
        ShipmentFilter(order_number="A-2", status=ShipmentStatus.shipped),
        PageRequest(1, 50),
        newest_first=True,
    )

    assert [s.id for s in second_page.items] == [ids[0]]
    assert [(s.id, s.order_number, s.tracking[0].number) for s in by_order.items] == [
        (ids[1], "A-2", "1Z")
    ]
