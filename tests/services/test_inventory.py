"""Setting counted on-hand quantities: levels, ledger, refusals and the backorders it serves.

On PostgreSQL the feed runs as set-based statements (``store/repositories/stock_sets.py``),
on SQLite row by row; both must give the same result, so every test runs on both backends.
"""

import pytest

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.services import inventory as inventory_service
from orderyard.services.inventory import OnHandRow
from orderyard.store.engine import Engines
from orderyard.store.repositories import stock as stock_repository
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level, load_order
from tests.statements import counted


def rows(*counts: tuple[str, str, int]) -> list[OnHandRow]:
    return [OnHandRow(n, loc, sku, qty) for n, (loc, sku, qty) in enumerate(counts, start=2)]


@pytest.fixture
async def stocked(make: Factory) -> Factory:
    """DC-1 and DC-2; A stocked 5 at DC-1, B never stocked."""
    await make.location("DC-1")
    await make.location("DC-2", priority=2)
    await make.item("A")
    await make.item("B")
    await make.stock("DC-1", "A", 5)
    return make


async def test_a_feed_sets_new_and_existing_levels_and_records_each_change(
    stocked: Factory,
) -> None:
    before = len(await ledger(stocked))

    result = await inventory_service.set_on_hand(
        stocked.uow(),
        rows(("DC-1", "A", 8), ("DC-2", "A", 3), ("DC-1", "B", 0), ("DC-2", "B", 4)),
        reference="count 7",
    )

    assert (result.rows, result.changed) == (4, 3)
    assert await level(stocked, "DC-1", "A") == (8, 0)
    assert await level(stocked, "DC-2", "A") == (3, 0)
    assert await level(stocked, "DC-1", "B") == (0, 0)
    assert await level(stocked, "DC-2", "B") == (4, 0)
    added = (await ledger(stocked))[before:]
    assert sorted((m.on_hand_delta, m.reason, m.reference) for m in added) == [
        (3, MovementReason.on_hand_set, "count 7"),
        (3, MovementReason.on_hand_set, "count 7"),
        (4, MovementReason.on_hand_set, "count 7"),
    ]
    await assert_ledger_balances(stocked)


async def test_lowering_a_count_records_a_negative_movement(stocked: Factory) -> None:
    result = await inventory_service.set_on_hand(stocked.uow(), rows(("DC-1", "A", 2)))

    assert result.changed == 1
    assert await level(stocked, "DC-1", "A") == (2, 0)
    assert (await ledger(stocked))[-1].on_hand_delta == -3
    await assert_ledger_balances(stocked)


async def test_an_unchanged_count_changes_nothing_and_records_nothing(stocked: Factory) -> None:
    before = await ledger(stocked)

    result = await inventory_service.set_on_hand(stocked.uow(), rows(("DC-1", "A", 5)))

    assert result.changed == 0
    assert await ledger(stocked) == before


async def test_a_count_below_what_is_allocated_releases_the_newest_allocation_elsewhere(
    stocked: Factory,
) -> None:
    """Given two orders of 2 A at DC-1 (count 5) and 1 A at DC-2, when DC-1 counts 3: the
    newest order gives back the lost unit and is allocated again at DC-2."""
    older = await stocked.order(("A", 2))
    newer = await stocked.order(("A", 2))
    await stocked.stock("DC-2", "A", 1)

    result = await inventory_service.set_on_hand(
        stocked.uow(), rows(("DC-2", "B", 9), ("DC-1", "A", 3)), reference="count 8"
    )

    assert (result.rows, result.changed) == (2, 2)
    assert (result.orders_released, result.orders_allocated) == (1, 1)
    assert await level(stocked, "DC-1", "A") == (3, 3)
    assert await level(stocked, "DC-2", "A") == (1, 1)
    assert await level(stocked, "DC-2", "B") == (9, 0)
    assert (await load_order(stocked, older.order_id)).lines[0].allocated == 2
    moved = await load_order(stocked, newer.order_id)
    assert (moved.lines[0].allocated, moved.status) == (2, OrderStatus.allocated)
    released = [m for m in await ledger(stocked) if m.reason is MovementReason.released]
    assert [(m.allocated_delta, m.order_id, m.reference) for m in released] == [
        (-1, newer.order_id, "count 8")
    ]
    await assert_ledger_balances(stocked)


async def test_a_count_below_what_is_allocated_backorders_what_no_location_can_give(
    stocked: Factory,
) -> None:
    """Given two orders of 2 A at DC-1 and no stock elsewhere, when DC-1 counts 1: the newer
    order loses both units, the older one one; both wait as backorders."""
    older = await stocked.order(("A", 2))
    newer = await stocked.order(("A", 2))

    result = await inventory_service.set_on_hand(stocked.uow(), rows(("DC-1", "A", 1)))

    assert (result.orders_released, result.orders_allocated) == (2, 0)
    assert await level(stocked, "DC-1", "A") == (1, 1)
    first = await load_order(stocked, older.order_id)
    second = await load_order(stocked, newer.order_id)
    assert (first.lines[0].allocated, first.status) == (1, OrderStatus.partially_allocated)
    assert (second.lines[0].allocated, second.status) == (0, OrderStatus.backordered)
    await assert_ledger_balances(stocked)

    await inventory_service.set_on_hand(stocked.uow(), rows(("DC-2", "A", 3)))

    assert (await load_order(stocked, older.order_id)).lines[0].allocated == 2
    assert (await load_order(stocked, newer.order_id)).lines[0].allocated == 2
    await assert_ledger_balances(stocked)


async def test_a_count_of_zero_releases_every_allocation_of_its_level(stocked: Factory) -> None:
    placed = await stocked.order(("A", 4))

    result = await inventory_service.set_on_hand(stocked.uow(), rows(("DC-1", "A", 0)))

    assert result.orders_released == 1
    assert await level(stocked, "DC-1", "A") == (0, 0)
    assert (await load_order(stocked, placed.order_id)).status is OrderStatus.backordered
    await assert_ledger_balances(stocked)


@pytest.mark.parametrize(
    ("counts", "field", "words"),
    [
        ((("DC-9", "A", 1),), "location", "unknown location 'DC-9'"),
        ((("DC-1", "NOPE", 1),), "sku", "unknown SKU 'NOPE'"),
        ((("DC-1", "A", -1),), "on_hand", "must not be negative"),
        ((("DC-1", "B", 1), ("DC-1", "B", 2)), "sku", "already set on line 2"),
    ],
    ids=["unknown location", "unknown sku", "negative", "repeated"],
)
async def test_a_bad_row_refuses_the_feed_naming_its_line(
    stocked: Factory, counts: tuple[tuple[str, str, int], ...], field: str, words: str
) -> None:
    before = await ledger(stocked)

    feed = [OnHandRow(1, "DC-2", "A", 7), *rows(*counts)]

    with pytest.raises(InvalidRequestError) as refused:
        await inventory_service.set_on_hand(stocked.uow(), feed)

    assert refused.value.field == field
    assert words in refused.value.message
    assert await ledger(stocked) == before


async def test_raised_stock_goes_to_waiting_backorders_oldest_first(stocked: Factory) -> None:
    first = await stocked.order(("B", 2))
    second = await stocked.order(("B", 2))

    result = await inventory_service.set_on_hand(stocked.uow(), rows(("DC-2", "B", 3)))

    assert result.orders_allocated == 2
    assert (await load_order(stocked, first.order_id)).lines[0].allocated == 2
    assert (await load_order(stocked, second.order_id)).lines[0].allocated == 1
    assert await level(stocked, "DC-2", "B") == (3, 3)
    await assert_ledger_balances(stocked)


async def test_a_feed_larger_than_a_round_is_applied_round_by_round(
    stocked: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stock_repository, "CHUNK", 2)
    monkeypatch.setattr(stock_repository, "SET_TOGETHER_CHUNK", 2)
    for sku in ("C", "D", "E"):
        await stocked.item(sku)
    counts = [(loc, sku, 1) for loc in ("DC-1", "DC-2") for sku in ("A", "B", "C", "D", "E")]
    progress: list[int] = []

    result = await inventory_service.set_on_hand(
        stocked.uow(), rows(*counts), progress=progress.append
    )

    assert (result.changed, progress) == (10, [2, 2, 2, 2, 2])
    for loc, sku, _ in counts:
        assert await level(stocked, loc, sku) == (1, 0)
    await assert_ledger_balances(stocked)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("counts", "statements"),
    [
        ((("DC-2", "A", 3), ("DC-1", "B", 0), ("DC-2", "B", 4)), 1),
        ((("DC-2", "A", 3), ("DC-1", "A", 8)), 3),
    ],
    ids=["only new levels", "one level existed"],
)
async def test_a_round_of_new_levels_is_one_statement_and_one_with_existing_levels_three(
    stocked: Factory, engines: Engines, counts: tuple[tuple[str, str, int], ...], statements: int
) -> None:
    """A first feed creates its levels and their ledger in one statement per round; once a
    level of the round exists, the round is locked and set as a whole (``stock_sets``)."""
    with counted(engines.write) as sent:
        result = await inventory_service.set_on_hand(stocked.uow(), rows(*counts))

    assert sent.count("WITH") == statements
    assert result.changed == sum(1 for _, _, on_hand in counts if on_hand != 0)
    for loc, sku, on_hand in counts:
        assert (await level(stocked, loc, sku))[0] == on_hand
    await assert_ledger_balances(stocked)
