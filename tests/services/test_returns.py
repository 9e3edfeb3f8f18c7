import pytest

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError, NotFoundError
from orderyard.domain.inventory import MovementReason
from orderyard.domain.order import OrderStatus
from orderyard.domain.returns import ReturnOutcome, ReturnStatus
from orderyard.domain.values import AccountId, PageRequest
from orderyard.services import account as account_service
from orderyard.services import returns as returns_service
from orderyard.services.returns import CreateReturn, ReceiveReturn, ReturnCount, ReturnItem
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork
from tests.factories import Factory
from tests.services.checks import assert_ledger_balances, ledger, level, load_order


async def _shipped_order(make: Factory) -> int:
    """DC-1 held 5 of SKU-1 and SKU-2; an order of 3 x SKU-1 and 1 x SKU-2 shipped from it."""
    await make.location("DC-1")
    await make.item("SKU-1")
    await make.item("SKU-2")
    await make.stock("DC-1", "SKU-1", 5)
    await make.stock("DC-1", "SKU-2", 5)
    placed = await make.order(("SKU-1", 3), ("SKU-2", 1))
    await make.ship(placed.order_id or 0)
    return placed.order_id or 0


async def _announce(make: Factory, order_id: int, *items: tuple[str, int]) -> int:
    command = CreateReturn(order_id, tuple(ReturnItem(sku, qty, "Defective") for sku, qty in items))
    [result] = await returns_service.create_returns(make.uow(), [command])
    assert result.return_id is not None, result.error
    return result.return_id


async def _count(read_uow: ReadUnitOfWork) -> int:
    return (await returns_service.list_returns(read_uow, PageRequest())).total


class TestCreateReturns:
    async def test_reserves_the_returned_units_on_the_order(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)

        [result] = await returns_service.create_returns(
            uow, [CreateReturn(order_id, (ReturnItem("SKU-1", 2, "Defective"),))]
        )

        assert (result.status, result.error) == (ReturnStatus.requested, None)
        order = await load_order(make, order_id)
        assert [(ln.shipped, ln.returned) for ln in order.lines] == [(3, 2), (1, 0)]
        assert order.status is OrderStatus.shipped
        view = await returns_service.get_return(read_uow, result.return_id or 0)
        assert (view.order_id, view.order_number, view.status, view.outcome) == (
            order_id,
            "ORD-1",
            ReturnStatus.requested,
            None,
        )
        assert [(ln.sku, ln.quantity, ln.reason) for ln in view.lines] == [
            ("SKU-1", 2, "Defective")
        ]
        assert await level(make, "DC-1", "SKU-1") == (2, 0)

    async def test_two_returns_cannot_exceed_what_shipped(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        await _announce(make, order_id, ("SKU-1", 2))

        [result] = await returns_service.create_returns(
            uow, [CreateReturn(order_id, (ReturnItem("SKU-1", 2),))]
        )

        assert isinstance(result.error, InvalidRequestError)
        assert result.error.field == "lines[0].quantity"
        assert result.error.message == (
            "cannot return 2 of SKU-1: 1 returnable (3 shipped, 2 already returned or announced)"
        )
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [2, 0]
        assert await _count(read_uow) == 1

    async def test_units_never_shipped_cannot_come_back(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        await make.location("DC-1")
        await make.item("SKU-1")
        await make.stock("DC-1", "SKU-1", 5)
        placed = await make.order(("SKU-1", 3))

        [result] = await returns_service.create_returns(
            uow, [CreateReturn(placed.order_id or 0, (ReturnItem("SKU-1", 1),))]
        )

        assert isinstance(result.error, InvalidRequestError)
        assert result.error.field == "lines[0].quantity"
        assert [ln.returned for ln in (await load_order(make, placed.order_id)).lines] == [0]
        assert await _count(read_uow) == 0

    async def test_an_sku_not_on_the_order_is_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        await make.item("SKU-3")

        [result] = await returns_service.create_returns(
            uow, [CreateReturn(order_id, (ReturnItem("SKU-1", 1), ReturnItem("SKU-3", 1)))]
        )

        assert isinstance(result.error, InvalidRequestError)
        assert (result.error.field, result.error.message) == (
            "lines[1].sku",
            "SKU 'SKU-3' is not on order ORD-1",
        )
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [0, 0]
        assert await _count(read_uow) == 0

    async def test_another_accounts_order_is_not_found(
        self, make: Factory, engines: Engines, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        foreign = UnitOfWork(engines.write, AccountId(other.account_id))

        [result] = await returns_service.create_returns(
            foreign, [CreateReturn(order_id, (ReturnItem("SKU-1", 1),))]
        )

        assert isinstance(result.error, NotFoundError)
        assert (result.error.field, result.error.message) == (
            "order",
            f"order {order_id} not found",
        )
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [0, 0]

    async def test_bulk_keeps_valid_returns_and_reports_failing_ones(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)

        results = await returns_service.create_returns(
            uow,
            [
                CreateReturn(order_id, (ReturnItem("SKU-1", 1),)),
                CreateReturn(order_id, (ReturnItem("SKU-2", 1), ReturnItem("SKU-2", 1))),
                CreateReturn(order_id + 1000, (ReturnItem("SKU-1", 1),)),
            ],
        )

        assert [type(r.error).__name__ if r.error else r.status for r in results] == [
            ReturnStatus.requested,
            "InvalidRequestError",
            "NotFoundError",
        ]
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [1, 0]
        assert await _count(read_uow) == 1


class TestReceiveAndCommit:
    async def test_committing_restocks_the_good_units(
        self, make: Factory, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 2))

        received = await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", good=2),))
        )
        stock_before_commit = await level(make, "DC-1", "SKU-1")
        committed = await returns_service.commit_return(make.uow(), return_id)

        assert (received.status, received.outcome) == (
            ReturnStatus.received,
            ReturnOutcome.as_expected,
        )
        assert stock_before_commit == (2, 0)
        assert (committed.status, committed.outcome) == (
            ReturnStatus.committed,
            ReturnOutcome.as_expected,
        )
        assert await level(make, "DC-1", "SKU-1") == (4, 0)
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [2, 0]
        last = (await ledger(make))[-1]
        assert (last.reason, last.on_hand_delta, last.order_id, last.reference) == (
            MovementReason.returned,
            2,
            order_id,
            f"return:{return_id}",
        )
        view = await returns_service.get_return(read_uow, return_id)
        assert (view.location_code, view.lines[0].good, view.lines[0].damaged) == ("DC-1", 2, 0)
        await assert_ledger_balances(make)

    async def test_damaged_units_come_back_but_are_not_restocked(self, make: Factory) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 2))
        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", 1, 1),))
        )

        committed = await returns_service.commit_return(make.uow(), return_id)

        assert committed.outcome is ReturnOutcome.discrepancy
        assert await level(make, "DC-1", "SKU-1") == (3, 0)
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [2, 0]
        await assert_ledger_balances(make)

    async def test_units_that_never_arrived_become_returnable_again(self, make: Factory) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 2), ("SKU-2", 1))
        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", good=1),))
        )

        committed = await returns_service.commit_return(make.uow(), return_id)

        assert committed.outcome is ReturnOutcome.incomplete
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [1, 0]
        assert await level(make, "DC-1", "SKU-2") == (4, 0)
        await _announce(make, order_id, ("SKU-1", 2), ("SKU-2", 1))

    async def test_restocked_units_go_to_the_oldest_backorder(self, make: Factory) -> None:
        order_id = await _shipped_order(make)
        waiting = await make.order(("SKU-1", 3))
        return_id = await _announce(make, order_id, ("SKU-1", 2))
        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", good=2),))
        )

        await returns_service.commit_return(make.uow(), return_id)

        backordered = await load_order(make, waiting.order_id)
        assert waiting.status is OrderStatus.partially_allocated
        assert backordered.lines[0].allocated == 3
        assert backordered.status is OrderStatus.allocated
        assert await level(make, "DC-1", "SKU-1") == (4, 3)
        await assert_ledger_balances(make)

    async def test_restocks_where_the_return_was_received(self, make: Factory) -> None:
        order_id = await _shipped_order(make)
        await make.location("DC-2", priority=2)
        return_id = await _announce(make, order_id, ("SKU-2", 1))
        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-2", (ReturnCount("SKU-2", good=1),))
        )

        await returns_service.commit_return(make.uow(), return_id)

        assert await level(make, "DC-2", "SKU-2") == (1, 0)
        assert await level(make, "DC-1", "SKU-2") == (4, 0)
        await assert_ledger_balances(make)

    async def test_an_unregistered_location_is_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 1))

        with pytest.raises(InvalidRequestError) as caught:
            await returns_service.receive_return(
                uow, ReceiveReturn(return_id, "NOPE", (ReturnCount("SKU-1", 1),))
            )

        assert caught.value.field == "location"
        view = await returns_service.get_return(read_uow, return_id)
        assert (view.status, view.location_code, view.lines[0].good) == (
            ReturnStatus.requested,
            None,
            0,
        )

    async def test_counts_beyond_the_return_are_refused(
        self, make: Factory, uow: UnitOfWork, read_uow: ReadUnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 1))

        with pytest.raises(InvalidRequestError) as caught:
            await returns_service.receive_return(
                uow, ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", 2),))
            )

        assert caught.value.field == "counts[0]"
        view = await returns_service.get_return(read_uow, return_id)
        assert view.status is ReturnStatus.requested

    async def test_a_return_is_committed_only_after_it_is_received(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 1))

        with pytest.raises(InvalidStateTransitionError) as caught:
            await returns_service.commit_return(uow, return_id)

        assert caught.value.message == "a requested return cannot become committed"
        assert await level(make, "DC-1", "SKU-1") == (2, 0)

    async def test_a_committed_return_cannot_be_committed_again(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 1))
        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", 1),))
        )
        await returns_service.commit_return(make.uow(), return_id)

        with pytest.raises(InvalidStateTransitionError):
            await returns_service.commit_return(uow, return_id)

        assert await level(make, "DC-1", "SKU-1") == (3, 0)
        await assert_ledger_balances(make)

    async def test_another_accounts_return_is_not_found(
        self, make: Factory, engines: Engines
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 1))
        other = await account_service.create_account(SystemUnitOfWork(engines.write), "Other")
        foreign = AccountId(other.account_id)

        with pytest.raises(NotFoundError):
            await returns_service.commit_return(UnitOfWork(engines.write, foreign), return_id)
        with pytest.raises(NotFoundError):
            await returns_service.get_return(ReadUnitOfWork(engines.read, foreign), return_id)


class TestCancelReturn:
    async def test_cancelling_releases_the_reservation(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 3))

        cancelled = await returns_service.cancel_return(uow, return_id)

        assert cancelled.status is ReturnStatus.cancelled
        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [0, 0]
        assert await level(make, "DC-1", "SKU-1") == (2, 0)

    async def test_a_received_return_cannot_be_cancelled(
        self, make: Factory, uow: UnitOfWork
    ) -> None:
        order_id = await _shipped_order(make)
        return_id = await _announce(make, order_id, ("SKU-1", 1))
        await returns_service.receive_return(
            make.uow(), ReceiveReturn(return_id, "DC-1", (ReturnCount("SKU-1", 1),))
        )

        with pytest.raises(InvalidStateTransitionError):
            await returns_service.cancel_return(uow, return_id)

        assert [ln.returned for ln in (await load_order(make, order_id)).lines] == [1, 0]


async def test_lists_returns_newest_first(make: Factory, read_uow: ReadUnitOfWork) -> None:
    order_id = await _shipped_order(make)
    first = await _announce(make, order_id, ("SKU-1", 1))
    second = await _announce(make, order_id, ("SKU-2", 1))

    page = await returns_service.list_returns(read_uow, PageRequest(page=1, per_page=1))

    assert [v.id for v in page.items] == [second]
    assert (page.total, page.total_pages) == (2, 2)
    assert first < second
