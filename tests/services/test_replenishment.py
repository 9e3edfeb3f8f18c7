from datetime import date

from orderyard.domain.errors import (
    InvalidRequestError,
    InvalidStateTransitionError,
    NotFoundError,
)
from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.domain.replenishment import ReplenishmentStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import replenishment as replenishment_service
from orderyard.services.replenishment import (
    CreateReplenishment,
    ReplenishmentItem,
    ReplenishmentResult,
    UpdateReplenishment,
)
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level, load_order

ETA = date(2024, 12, 31)


async def _catalog(make: Factory) -> None:
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.item("SKU-2")


async def _create(make: Factory, *items: ReplenishmentItem, location: str = "DC-1") -> int:
    [result] = await replenishment_service.create_replenishments(
        make.uow(), [CreateReplenishment(location, items, ETA)]
    )
    assert result.replenishment_id is not None, result.error
    return result.replenishment_id


async def _update(make: Factory, command: UpdateReplenishment) -> ReplenishmentResult:
    [result] = await replenishment_service.update_replenishments(make.uow(), [command])
    return result


async def _count(read_uow: ReadUnitOfWork) -> int:
    return (await replenishment_service.list_replenishments(read_uow, PageRequest())).total


class TestCreateReplenishments:
    async def test_announces_stock_without_moving_any(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await _catalog(make)

        [result] = await replenishment_service.create_replenishments(
            uow,
            [
                CreateReplenishment(
                    "DC-1", (ReplenishmentItem("SKU-1", 100),), ETA, reference="PO-7"
                )
            ],
        )

        assert (result.status, result.error) == (ReplenishmentStatus.pending, None)
        view = await replenishment_service.get_replenishment(read_uow, result.replenishment_id or 0)
        assert (view.location_code, view.status, view.eta, view.reference) == (
            "DC-1",
            ReplenishmentStatus.pending,
            ETA,
            "PO-7",
        )
        assert [(ln.sku, ln.quantity, ln.received) for ln in view.lines] == [("SKU-1", 100, 0)]
        assert await level(make, "DC-1", "SKU-1") == (0, 0)

    async def test_units_given_as_received_go_on_hand_at_once(self, make: Factory) -> None:
        await _catalog(make)

        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10, received=4))

        assert await level(make, "DC-1", "SKU-1") == (4, 0)
        last = (await ledger(make))[-1]
        assert (last.reason, last.on_hand_delta, last.reference) == (
            MovementReason.received,
            4,
            f"replenishment:{replenishment_id}",
        )

    async def test_an_unregistered_distribution_center_is_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await _catalog(make)

        [result] = await replenishment_service.create_replenishments(
            uow, [CreateReplenishment("DC-9", (ReplenishmentItem("SKU-1", 1),))]
        )

        assert isinstance(result.error, InvalidRequestError)
        assert (result.error.field, result.error.message) == (
            "location",
            "location 'DC-9' is not registered",
        )
        assert await _count(read_uow) == 0

    async def test_an_unknown_sku_is_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await _catalog(make)

        [result] = await replenishment_service.create_replenishments(
            uow,
            [
                CreateReplenishment(
                    "DC-1", (ReplenishmentItem("SKU-1", 1, 1), ReplenishmentItem("NOPE", 1))
                )
            ],
        )

        assert isinstance(result.error, InvalidRequestError)
        assert (result.error.field, result.error.message) == ("lines[1].sku", "unknown SKU 'NOPE'")
        assert await _count(read_uow) == 0
        assert await level(make, "DC-1", "SKU-1") == (0, 0)

    async def test_a_replenishment_without_items_is_refused(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        await _catalog(make)

        [result] = await replenishment_service.create_replenishments(
            uow, [CreateReplenishment("DC-1", ())]
        )

        assert isinstance(result.error, InvalidRequestError)
        assert result.error.field == "lines"

    async def test_bulk_keeps_valid_replenishments(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await _catalog(make)

        results = await replenishment_service.create_replenishments(
            uow,
            [
                CreateReplenishment("DC-1", (ReplenishmentItem("SKU-1", 5, received=5),)),
                CreateReplenishment(
                    "DC-1",
                    (ReplenishmentItem("SKU-2", 5, received=2), ReplenishmentItem("SKU-2", 1)),
                ),
            ],
        )

        assert [r.status for r in results] == [ReplenishmentStatus.received, None]
        assert isinstance(results[1].error, InvalidRequestError)
        assert await _count(read_uow) == 1
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        assert await level(make, "DC-1", "SKU-2") == (0, 0)


class TestReceiving:
    async def test_receiving_raises_on_hand_by_the_increase(self, make: Factory) -> None:
        await _catalog(make)
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10))

        first = await _update(
            make, UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=4),))
        )
        second = await _update(
            make, UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=10),))
        )

        assert (first.status, second.status) == (
            ReplenishmentStatus.receiving,
            ReplenishmentStatus.received,
        )
        assert await level(make, "DC-1", "SKU-1") == (10, 0)
        moves = [m.on_hand_delta for m in await ledger(make) if m.reason is MovementReason.received]
        assert moves == [4, 6]
        await assert_ledger_balances(make)

    async def test_receiving_allocates_waiting_backorders_oldest_first(self, make: Factory) -> None:
        await _catalog(make)
        older = await make.order(("SKU-1", 3))
        newer = await make.order(("SKU-1", 3))
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10))

        await _update(
            make, UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=4),))
        )

        assert (await load_order(make, older.order_id)).status is OrderStatus.allocated
        assert (await load_order(make, newer.order_id)).status is OrderStatus.partially_allocated
        assert await level(make, "DC-1", "SKU-1") == (4, 4)
        await assert_ledger_balances(make)

    async def test_over_delivery_is_received(self, make: Factory) -> None:
        await _catalog(make)
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10))

        result = await _update(
            make, UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=12),))
        )

        assert result.status is ReplenishmentStatus.received
        assert await level(make, "DC-1", "SKU-1") == (12, 0)

    async def test_received_never_goes_down(self, make: Factory, read_uow: ReadUnitOfWork) -> None:
        await _catalog(make)
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10, received=5))

        result = await _update(
            make, UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=3),))
        )

        assert isinstance(result.error, InvalidRequestError)
        assert (result.error.field, result.error.message) == (
            "lines[0].received",
            "received cannot go down: 5 of SKU-1 already received",
        )
        assert await level(make, "DC-1", "SKU-1") == (5, 0)
        view = await replenishment_service.get_replenishment(read_uow, replenishment_id)
        assert view.lines[0].received == 5

    async def test_a_new_sku_and_a_new_eta_are_merged_in(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await _catalog(make)
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10))

        await _update(
            make,
            UpdateReplenishment(
                replenishment_id,
                (ReplenishmentItem("SKU-2", 3, received=1), ReplenishmentItem("SKU-1", 8)),
                eta=date(2025, 1, 15),
            ),
        )

        view = await replenishment_service.get_replenishment(read_uow, replenishment_id)
        assert [(ln.sku, ln.quantity, ln.received) for ln in view.lines] == [
            ("SKU-1", 8, 0),
            ("SKU-2", 3, 1),
        ]
        assert (view.eta, view.status) == (
            date(2025, 1, 15),
            ReplenishmentStatus.receiving,
        )
        assert await level(make, "DC-1", "SKU-2") == (1, 0)

    async def test_the_location_changes_only_before_anything_arrived(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        await _catalog(make)
        await make.location("DC-2", priority=2)
        untouched = await _create(make, ReplenishmentItem("SKU-1", 10))
        started = await _create(make, ReplenishmentItem("SKU-1", 10, received=1))

        moved = await _update(make, UpdateReplenishment(untouched, location="DC-2"))
        refused = await _update(make, UpdateReplenishment(started, location="DC-2"))

        assert moved.error is None
        assert isinstance(refused.error, InvalidStateTransitionError)
        assert refused.error.field == "location"
        view = await replenishment_service.get_replenishment(read_uow, started)
        assert view.location_code == "DC-1"

    async def test_a_cancelled_replenishment_receives_nothing_more(self, make: Factory) -> None:
        await _catalog(make)
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10, received=2))

        cancelled = await _update(make, UpdateReplenishment(replenishment_id, cancel=True))
        refused = await _update(
            make, UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=5),))
        )

        assert cancelled.status is ReplenishmentStatus.cancelled
        assert isinstance(refused.error, InvalidStateTransitionError)
        assert await level(make, "DC-1", "SKU-1") == (2, 0)

    async def test_another_accounts_replenishment_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        await _catalog(make)
        replenishment_id = await _create(make, ReplenishmentItem("SKU-1", 10))
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        foreign = AccountId(other.account_id)

        [result] = await replenishment_service.update_replenishments(
            UnitOfWork(engines.write, foreign),
            [UpdateReplenishment(replenishment_id, (ReplenishmentItem("SKU-1", received=1),))],
        )

        assert isinstance(result.error, NotFoundError)
        assert result.error.field == "replenishment_id"
        assert await level(make, "DC-1", "SKU-1") == (0, 0)


async def test_lists_replenishments_newest_first(make: Factory, read_uow: ReadUnitOfWork) -> None:
    await _catalog(make)
    first = await _create(make, ReplenishmentItem("SKU-1", 1))
    second = await _create(make, ReplenishmentItem("SKU-2", 1))

    page = await replenishment_service.list_replenishments(
        read_uow, PageRequest(per_page=1, page=2)
    )

    assert [v.id for v in page.items] == [first]
    assert (page.total, page.total_pages) == (2, 2)
    assert second > first
