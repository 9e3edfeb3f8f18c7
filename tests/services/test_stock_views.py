"""The console's stock reads: a SKU across locations, the stock list, and a level's ledger.

Time is the test clock: a reservation's expiry takes effect the instant the clock passes it.
"""

from datetime import timedelta

import pytest

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.inventory import MovementReason, StockFigures
from orderyard.domain.stock_views import (
    LedgerEntry,
    RecordKind,
    RecordLink,
    SkuList,
    SkuStock,
    SkuTotals,
)
from orderyard.domain.values import AccountId
from orderyard.kit.clock import TestClock
from orderyard.services import account as account_service
from orderyard.services import order as order_service
from orderyard.services import stock_views
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork
from tests.factories import CLOCK_START, Factory

HOUR = timedelta(hours=1)


def reader(make: Factory) -> ReadUnitOfWork:
    return ReadUnitOfWork(make.engines.read, AccountId(make.account_id))


@pytest.fixture
async def stocked(make: Factory, clock: TestClock) -> Factory:
    """DC-1 holds 10 of A (3 reserved for an hour, 6 ordered), DC-2 4 of A (2 reserved for
    good), DC-3 nothing; the kit K is two A."""
    for priority, code in enumerate(("DC-1", "DC-2", "DC-3"), start=1):
        await make.location(code, priority=priority)
    await make.item("A")
    await make.kit("K", ("A", 2))
    await make.stock("DC-1", "A", 10)
    await make.stock("DC-2", "A", 4)
    await make.reserve("DC-1", "A", 3, reference="cart-1", expires_at=CLOCK_START + HOUR)
    await make.reserve("DC-2", "A", 2, reference="cart-2")
    await make.order(("A", 6))
    return make


def figures_of(found: SkuStock) -> list[tuple[str, StockFigures]]:
    return [(row.code, row.figures) for row in found.locations]


async def test_a_sku_shows_every_location_with_its_running_reservations(
    stocked: Factory,
) -> None:
    found = await stock_views.sku_stock(reader(stocked), "A")

    assert (found.sku, found.is_kit) == ("A", False)
    assert figures_of(found) == [
        ("DC-1", StockFigures(on_hand=10, allocated=6, reserved=3, available=1)),
        ("DC-2", StockFigures(on_hand=4, reserved=2, available=2)),
        ("DC-3", StockFigures()),
    ]
    assert found.total == StockFigures(on_hand=14, allocated=6, reserved=5, available=3)
    assert [row.name for row in found.locations] == [
        "Location DC-1",
        "Location DC-2",
        "Location DC-3",
    ]


async def test_an_expired_reservation_holds_nothing_in_the_view(
    stocked: Factory, clock: TestClock
) -> None:
    clock.advance(2 * HOUR)

    found = await stock_views.sku_stock(reader(stocked), "A")

    assert found.locations[0].figures == StockFigures(on_hand=10, allocated=6, available=4)
    assert found.total == StockFigures(on_hand=14, allocated=6, reserved=2, available=6)


async def test_a_kit_shows_what_its_components_allow(stocked: Factory) -> None:
    found = await stock_views.sku_stock(reader(stocked), "K")

    assert found.is_kit
    assert figures_of(found) == [
        ("DC-1", StockFigures(on_hand=5, available=0)),
        ("DC-2", StockFigures(on_hand=2, available=1)),
        ("DC-3", StockFigures()),
    ]
    assert found.total == StockFigures(on_hand=7, available=1)


async def test_an_unknown_or_foreign_sku_is_not_found(stocked: Factory, engines: Engines) -> None:
    other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
    await Factory(engines, other.account_id).item("THEIRS")

    for sku in ("NOPE", "THEIRS"):
        with pytest.raises(NotFoundError) as refused:
            await stock_views.sku_stock(reader(stocked), sku)
        assert (refused.value.field, str(refused.value)) == ("sku", f"SKU {sku!r} not found")


async def test_the_stock_list_pages_skus_by_prefix_with_their_totals(
    stocked: Factory,
) -> None:
    for sku in ("AB-2", "AB-1", "ab-3", "B"):
        await stocked.item(sku)
    await stocked.stock("DC-3", "AB-1", 7)

    first = await stock_views.sku_list(reader(stocked), prefix="AB", limit=1)
    second = await stock_views.sku_list(reader(stocked), prefix="AB", after="AB-1", limit=1)

    assert first == SkuList(
        (SkuTotals(first.items[0].item_id, "AB-1", False, StockFigures(7, 0, 0, 0, 7)),),
        "AB-1",
    )
    assert [(row.sku, row.total) for row in second.items] == [("AB-2", StockFigures())]
    assert second.next_after is None


async def test_the_whole_stock_list_comes_in_sku_order(stocked: Factory) -> None:
    await stocked.item("B")

    found = await stock_views.sku_list(reader(stocked))

    assert [(row.sku, row.total) for row in found.items] == [
        ("A", StockFigures(on_hand=14, allocated=6, reserved=5, available=3)),
        ("B", StockFigures()),
        ("K", StockFigures(on_hand=7, available=1)),
    ]
    assert found.next_after is None


async def test_a_prefix_matching_nothing_gives_an_empty_list(stocked: Factory) -> None:
    assert await stock_views.sku_list(reader(stocked), prefix="a") == SkuList((), None)


@pytest.mark.parametrize("limit", [0, 201])
async def test_a_list_limit_out_of_range_is_refused(stocked: Factory, limit: int) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        await stock_views.sku_list(reader(stocked), limit=limit)
    assert refused.value.field == "limit"


async def test_a_level_ledger_names_the_records_behind_each_movement_newest_first(
    make: Factory, clock: TestClock
) -> None:
    await make.location("DC-1")
    await make.item("A")
    await make.stock("DC-1", "A", 10)
    shipped = await make.order(("A", 6), number="SHIP-ME")
    clock.advance(HOUR)
    shipment_id = await make.ship(shipped.order_id or 0)
    cancelled = await make.order(("A", 2), number="CANCEL-ME")
    await order_service.cancel_orders(make.uow(), [cancelled.order_id or 0])

    found = await stock_views.level_ledger(reader(make), "A", "DC-1")

    ship_order = RecordLink(RecordKind.order, shipped.order_id or 0, "SHIP-ME")
    cancel_order = RecordLink(RecordKind.order, cancelled.order_id or 0, "CANCEL-ME")
    shipment = RecordLink(RecordKind.shipment, shipment_id, str(shipment_id))
    later = CLOCK_START + HOUR
    assert [_bare(entry) for entry in found.entries] == [
        (MovementReason.released, 0, -2, later, cancel_order, None, ""),
        (MovementReason.allocated, 0, 2, later, cancel_order, None, ""),
        (MovementReason.shipped, -6, -6, later, ship_order, shipment, f"shipment:{shipment_id}"),
        (MovementReason.allocated, 0, 6, CLOCK_START, ship_order, None, ""),
        (MovementReason.on_hand_set, 10, 0, CLOCK_START, None, None, "on-hand feed"),
    ]
    assert found.figures == StockFigures(on_hand=4, available=4)
    assert found.next_before is None


def _bare(entry: LedgerEntry) -> tuple[object, ...]:
    return (
        entry.reason,
        entry.on_hand_delta,
        entry.allocated_delta,
        entry.at,
        entry.order,
        entry.source,
        entry.reference,
    )


async def test_a_ledger_pages_by_the_last_movement_seen(make: Factory, clock: TestClock) -> None:
    await make.location("DC-1")
    await make.item("A")
    for on_hand in (1, 2, 3, 4, 5):
        await make.stock("DC-1", "A", on_hand)

    first = await stock_views.level_ledger(reader(make), "A", "DC-1", limit=2)
    second = await stock_views.level_ledger(
        reader(make), "A", "DC-1", before=first.next_before, limit=2
    )
    third = await stock_views.level_ledger(
        reader(make), "A", "DC-1", before=second.next_before, limit=2
    )

    deltas = [[e.on_hand_delta for e in page.entries] for page in (first, second, third)]
    assert deltas == [[1, 1], [1, 1], [1]]
    assert third.next_before is None
    assert [e.id for e in first.entries + second.entries + third.entries] == sorted(
        (e.id for e in first.entries + second.entries + third.entries), reverse=True
    )


async def test_a_level_never_stocked_has_an_empty_ledger(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("A")

    found = await stock_views.level_ledger(reader(make), "A", "DC-1")

    assert (found.figures, found.entries, found.next_before) == (StockFigures(), (), None)


async def test_another_accounts_ledger_never_shows(make: Factory, engines: Engines) -> None:
    other = await account_service.create_account(
        SystemUnitOfWork(engines.write), "Other", shipping_methods=("Pick",)
    )
    theirs = Factory(engines, other.account_id)
    for factory in (make, theirs):
        await factory.location("DC-1")
        await factory.item("A")
    await theirs.stock("DC-1", "A", 9)
    await theirs.order(("A", 1))
    await make.stock("DC-1", "A", 2)

    found = await stock_views.level_ledger(reader(make), "A", "DC-1")

    assert [(e.reason, e.on_hand_delta) for e in found.entries] == [(MovementReason.on_hand_set, 2)]
    assert found.figures == StockFigures(on_hand=2, available=2)


async def test_a_ledger_of_an_unknown_sku_or_location_is_not_found(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("A")

    with pytest.raises(NotFoundError) as no_sku:
        await stock_views.level_ledger(reader(make), "NOPE", "DC-1")
    with pytest.raises(NotFoundError) as no_location:
        await stock_views.level_ledger(reader(make), "A", "NOWHERE")

    assert (no_sku.value.field, no_location.value.field) == ("sku", "location")
