"""Return (RMA) use cases: announce, change, receive (count), commit (restock), cancel, read.

Announcing a return reserves its units on the order lines (``returned``), so concurrent
returns of one order are serialised by the order's row lock and can never together exceed
what shipped. Committing restocks the good units at the receiving location, records the
ledger and hands the stock to waiting backorders in the same transaction; damaged units are
recorded on the return and never restocked. Both dialects call these very functions: a
return announced through ShipEdge is committed through OrderDynamics and the reverse.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import ConflictError, DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import Order
from orderyard.domain.returns import (
    Return,
    ReturnCount,
    ReturnItem,
    ReturnStatus,
    announced_as_good,
    record_counts,
    recount,
    release_reservation,
    replace_lines,
    reserve_lines,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.services.allocation import allocate_backorders
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.services.payment.calls import Claimed
from orderyard.services.payment.credits import credit_returned_units, run_refunds
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.queries.returns import ReturnFilter, ReturnSort, ReturnView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["PageRequest", "ReturnCount", "ReturnFilter", "ReturnItem", "ReturnSort", "ReturnView"]


@dataclass(frozen=True, slots=True)
class CreateReturn:
    """Announce units of a shipped order coming back.

    The order is named by its id, or (``order_id`` 0) by its number; both given must name the
    same order.
    """

    order_id: int
    items: tuple[ReturnItem, ...]
    order_number: str = ""


@dataclass(frozen=True, slots=True)
class UpdateReturn:
    """Announce new items for an open (requested) return; they replace its items.

    ``order_id`` / ``order_number``, when given, must name the return's order.
    """

    return_id: int
    items: tuple[ReturnItem, ...]
    order_id: int | None = None
    order_number: str = ""


@dataclass(frozen=True, slots=True)
class Receipt:
    """What arrived of a return at commit, and where it goes back on hand.

    ``location`` (a code) is where good units are restocked; ``counts`` None means every
    announced unit arrived resellable.
    """

    location: str | None = None
    counts: tuple[ReturnCount, ...] | None = None


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
    order = await _lock_order(uow, await _named_order(uow, command.order_id, command.order_number))
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
        location_id = await _location_id(uow, command.location)
        ret.move_to(ReturnStatus.received)
        record_counts(ret, command.counts)
        ret.location_id = location_id
        await uow.returns.save(ret)
        await uow.events.record(
            "return_received", "return", ret.id, {"outcome": ret.outcome, "location": location_id}
        )
        await uow.commit()
    return ret


@retried_on_lock_cycles
async def commit_return(
    uow: UnitOfWork, return_id: int, *, receipt: Receipt | None = None
) -> Return:
    """Close a return: restock the good units and release what never arrived.

    Without ``receipt`` the return must have been received (counted at a location). With it,
    a requested return is counted and closed at once (OrderDynamics' one ``Commit``), and a
    received one is counted again (``counts``) or restocked elsewhere (``location``).

    Raises:
        NotFoundError: no such return in this account.
        InvalidRequestError: an unknown location, no location for an uncounted return, or
            counts that do not fit the return.
        InvalidStateTransitionError: the return is not received (and no receipt was given),
            or it is committed or cancelled.
    """
    async with uow:
        ret, order = await _lock(uow, return_id)
        if receipt is not None:
            await _count_at_commit(uow, ret, receipt)
        ret.move_to(ReturnStatus.committed)
        release_reservation(order, ret, keep_counted=True)
        await uow.orders.save(order)
        restocked = await _restock(uow, ret)
        await uow.returns.save(ret)
        account = await uow.accounts.get(uow.account_id)
        await allocate_backorders(uow, restocked, AllocationStrategy(account.allocation_strategy))
        refunds = await _credit(uow, ret)
        await uow.events.record("return_committed", "return", ret.id, {"outcome": ret.outcome})
        await uow.commit()
    await run_refunds(uow, refunds)
    return ret


async def _credit(uow: UnitOfWork, ret: Return) -> list[Claimed]:
    """Credit memos for the units that came back, good or damaged, as far as they were billed.

    Answers their refunds, to run once the commit is done. A commit is never refused for its
    credit: what cannot be credited (more than the order was paid) is left out, in a
    savepoint, and the event log says so.
    """
    units = [(line.order_line_id, line.good + line.damaged) for line in ret.lines]
    units = [(line_id, quantity) for line_id, quantity in units if quantity]
    if not units:
        return []
    try:
        async with uow.savepoint():
            return await credit_returned_units(uow, ret.order_id, units, shipping_refund=False)
    except ConflictError as error:
        await uow.events.record("return_not_credited", "return", ret.id, {"why": error.message})
        return []


async def _count_at_commit(uow: UnitOfWork, ret: Return, receipt: Receipt) -> None:
    """Count a return as its commit says, before it is closed."""
    if ret.status is ReturnStatus.requested:
        if receipt.location is None:
            raise InvalidRequestError(
                "name the location the returned units go back to", field="location"
            )
        ret.move_to(ReturnStatus.received)
    elif ret.status is not ReturnStatus.received:
        ret.move_to(ReturnStatus.committed)  # raises: a closed return is final
    if receipt.location is not None:
        ret.location_id = await _location_id(uow, receipt.location)
    if receipt.counts is not None:
        recount(ret, receipt.counts)
    elif ret.outcome is None:
        record_counts(ret, announced_as_good(ret))
    await uow.events.record(
        "return_received", "return", ret.id, {"outcome": ret.outcome, "location": ret.location_id}
    )


async def _location_id(uow: UnitOfWork, code: str) -> int:
    location = await uow.locations.find_by_code(code)
    if location is None:
        raise InvalidRequestError(f"location {code!r} is not registered", field="location")
    return location.id


async def update_return(uow: UnitOfWork, command: UpdateReturn) -> Return:
    """Replace the items of an open return; its old reservation is given back first.

    The return's line custom fields go with its old lines.

    Raises:
        NotFoundError: no such return in this account, or the order named is not its order.
        InvalidRequestError: an SKU not on the order, or more than returnable.
        InvalidStateTransitionError: the return was received, committed or cancelled.
    """
    async with uow:
        ret, order = await _lock(uow, command.return_id)
        if command.order_id is not None or command.order_number:
            named = await _named_order(uow, command.order_id or 0, command.order_number)
            if named != order.id:
                raise NotFoundError(
                    f"return {ret.id} is not of order {command.order_id or command.order_number}",
                    field="order",
                )
        old_line_ids = [line.id for line in ret.lines]
        replace_lines(order, ret, command.items)
        await uow.returns.replace_lines(ret, old_line_ids)
        await uow.returns.save(ret)
        await uow.orders.save(order)
        await uow.events.record("return_changed", "return", ret.id, {"lines": len(ret.lines)})
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


async def _named_order(uow: UnitOfWork, order_id: int, order_number: str) -> int:
    """The id of the order named by id or number (both: the same order), else NotFound."""
    if not order_number:
        return order_id
    found = await uow.orders.find_id("order_number", order_number)
    if found is None or (order_id and int(found) != order_id):
        shown = f"{order_id} with ExternalOrderId {order_number!r}" if order_id else order_number
        raise NotFoundError(f"order {shown} not found", field="order")
    return int(found)


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


async def list_returns(
    uow: ReadUnitOfWork,
    page: PageRequest,
    where: ReturnFilter | None = None,
    *,
    sort: ReturnSort = ReturnSort.id,
    descending: bool = True,
) -> Page[ReturnView]:
    """A page of the account's returns that ``where`` holds (all: newest first)."""
    # A list naming a return or its order is a lookup (OrderDynamics' ReturnsById), which a
    # client makes right after writing: the primary. Any other may read the replica.
    named = where is not None and (
        where.return_id is not None or where.order_id is not None or where.order_number
    )
    async with uow if named else uow.tolerating_lag() as uow:
        return await uow.returns.page(page, where, sort=sort, descending=descending)
