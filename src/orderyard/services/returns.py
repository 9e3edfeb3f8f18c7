"""Return (RMA) use cases: announce, receive (count), commit (restock), cancel, read, list.

Announcing a return reserves its units on the order lines (``returned``), so concurrent
returns of one order are serialised by the order's row lock and can never together exceed
what shipped. Committing restocks the good units at the receiving location, records the
ledger and hands the stock to waiting backorders in the same transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import Order
from orderyard.domain.returns import (
    Return,
    ReturnCount,
    ReturnItem,
    ReturnStatus,
    record_counts,
    release_reservation,
    reserve_lines,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.services.allocation import allocate_backorders
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.store.queries.returns import ReturnView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["PageRequest", "ReturnCount", "ReturnItem", "ReturnView"]


@dataclass(frozen=True, slots=True)
class CreateReturn:
    """Announce units of a shipped order coming back."""

    order_id: int
    items: tuple[ReturnItem, ...]


@dataclass(frozen=True, slots=True)
class ReceiveReturn:
    """Record what arrived of a return, and where (a location code)."""

    return_id: int
    location: str
    counts: tuple[ReturnCount, ...]


@dataclass(frozen=True, slots=True)
class ReturnResult:
    """What became of one return of a (possibly bulk) call: a return id, or an error."""

    index: int
    order_id: int
    return_id: int | None = None
    status: ReturnStatus | None = None
    error: DomainError | None = None


async def create_returns(uow: UnitOfWork, commands: Sequence[CreateReturn]) -> list[ReturnResult]:
    """Announce each return; a failing one is reported and leaves no trace."""
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _create(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [
        ReturnResult(a.index, a.command.order_id, a.value.id, a.value.status)
        if a.value is not None
        else ReturnResult(a.index, a.command.order_id, error=a.error)
        for a in attempts
    ]


async def _create(uow: UnitOfWork, command: CreateReturn) -> Return:
    """Create one return against the order's shipped units.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: an SKU not on the order, or more than it shipped and has not
            already returned.
    """
    order = await _lock_order(uow, command.order_id)
    ret = Return(0, order.id, ReturnStatus.requested, reserve_lines(order, command.items))
    await uow.returns.add(ret)
    await uow.orders.save(order)
    await uow.events.record("return_requested", "return", ret.id, {"order_id": order.id})
    return ret


async def receive_return(uow: UnitOfWork, command: ReceiveReturn) -> Return:
    """Count what arrived, good and damaged, at a location; stock does not move yet.

    Raises:
        NotFoundError: no such return in this account.
        InvalidRequestError: an unknown location, or counts that do not fit the return.
        InvalidStateTransitionError: the return is not awaiting receipt.
    """
    async with uow:
        ret, _ = await _lock(uow, command.return_id)
        location = await uow.locations.find_by_code(command.location)
        if location is None:
            raise InvalidRequestError(
                f"location {command.location!r} is not registered", field="location"
            )
        ret.move_to(ReturnStatus.received)
        record_counts(ret, command.counts)
        ret.location_id = location.id
        await uow.returns.save(ret)
        await uow.events.record(
            "return_received", "return", ret.id, {"outcome": ret.outcome, "location": location.id}
        )
        await uow.commit()
    return ret


async def commit_return(uow: UnitOfWork, return_id: int) -> Return:
    """Close a received return: restock the good units and release what never arrived.

    Raises:
        NotFoundError: no such return in this account.
        InvalidStateTransitionError: the return has not been received, or is closed.
    """
    async with uow:
        ret, order = await _lock(uow, return_id)
        ret.move_to(ReturnStatus.committed)
        release_reservation(order, ret, keep_counted=True)
        await uow.orders.save(order)
        restocked = await _restock(uow, ret)
        await uow.returns.save(ret)
        account = await uow.accounts.get(uow.account_id)
        await allocate_backorders(uow, restocked, AllocationStrategy(account.allocation_strategy))
        await uow.events.record("return_committed", "return", ret.id, {"outcome": ret.outcome})
        await uow.commit()
    return ret


async def _restock(uow: UnitOfWork, ret: Return) -> set[int]:
    """Put the good units on hand at the receiving location; return the items raised."""
    assert ret.location_id is not None  # noqa: S101 - a received return has its location
    good: dict[int, int] = {}
    for line in ret.lines:
        if line.good:
            good[line.item_id] = good.get(line.item_id, 0) + line.good
    for item_id, quantity in sorted(good.items()):
        await uow.stock.add_on_hand(ret.location_id, item_id, quantity)
    await uow.stock.record(
        [
            Movement(
                ret.location_id,
                item_id,
                MovementReason.returned,
                on_hand_delta=quantity,
                order_id=ret.order_id,
                reference=f"return:{ret.id}",
            )
            for item_id, quantity in sorted(good.items())
        ]
    )
    return set(good)


async def cancel_return(uow: UnitOfWork, return_id: int) -> Return:
    """Give up a return before receipt; its units become returnable again.

    Raises:
        NotFoundError: no such return in this account.
        InvalidStateTransitionError: the return was already received or closed.
    """
    async with uow:
        ret, order = await _lock(uow, return_id)
        ret.move_to(ReturnStatus.cancelled)
        release_reservation(order, ret, keep_counted=False)
        await uow.orders.save(order)
        await uow.returns.save(ret)
        await uow.events.record("return_cancelled", "return", ret.id)
        await uow.commit()
    return ret


async def _lock(uow: UnitOfWork, return_id: int) -> tuple[Return, Order]:
    """Lock the return's order, then read the return as it stands under that lock."""
    order_id = await uow.returns.order_id_of(return_id)
    found = None if order_id is None else await _lock_then_load(uow, order_id, return_id)
    if found is None:
        raise NotFoundError(f"return {return_id} not found", field="return")
    return found


async def _lock_then_load(
    uow: UnitOfWork, order_id: int, return_id: int
) -> tuple[Return, Order] | None:
    order = await _lock_order(uow, order_id)
    ret = await uow.returns.load(return_id)
    return None if ret is None else (ret, order)


async def _lock_order(uow: UnitOfWork, order_id: int) -> Order:
    order = await uow.orders.load(order_id, for_update=True)
    if order is None:
        raise NotFoundError(f"order {order_id} not found", field="order")
    return order


async def get_return(uow: ReadUnitOfWork, return_id: int) -> ReturnView:
    """One return with its lines.

    Raises:
        NotFoundError: no such return in this account.
    """
    async with uow:
        view = await uow.returns.get(return_id)
    if view is None:
        raise NotFoundError(f"return {return_id} not found", field="return")
    return view


async def list_returns(uow: ReadUnitOfWork, page: PageRequest) -> Page[ReturnView]:
    """A page of the account's returns, newest first."""
    async with uow:
        return await uow.returns.page(page)
