"""Changing orders: update, hold and release, cancel, sub-status."""

from collections.abc import Sequence

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import (
    InvalidStateTransitionError,
    NotFoundError,
)
from orderyard.domain.order import (
    HoldState,
    Order,
    OrderStatus,
    cancel_open_quantities,
)
from orderyard.services.allocation import (
    allocate_backorders,
    allocate_order,
    release_order,
)
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.services.order.commands import (
    CancelOutcome,
    LineInput,
    OrderOutcome,
    OrderRef,
    UpdateOrder,
)
from orderyard.services.order.place import build_lines, check_registered, outcome_of
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.repositories.order import PlacementContext
from orderyard.store.uow import UnitOfWork


async def update_orders(uow: UnitOfWork, commands: Sequence[UpdateOrder]) -> list[OrderOutcome]:
    """Change each order's details, hold state or lines; failing orders are reported.

    Replacing lines releases the order's stock and allocates the new lines afresh; it is
    refused once anything has shipped. Stock an update gives back goes to waiting backorders.
    Each order of a bulk call runs in its own savepoint, as in ``place_orders``.
    """
    async with uow:
        attempts = await attempt_each(uow, commands, lambda command: _update(uow, command))
        if any_succeeded(attempts):
            await uow.commit()
    return [outcome_of(a, str(a.command.ref.value)) for a in attempts]


async def _update(uow: UnitOfWork, command: UpdateOrder) -> Order:
    """Apply one update.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: an unknown SKU, shipping method or channel.
        InvalidStateTransitionError: lines changed after shipping, or a cancelled order.
    """
    order = await _load_order(uow, command.ref, for_update=True)
    if order.status is OrderStatus.cancelled:
        raise InvalidStateTransitionError("a cancelled order cannot be changed")
    context = await uow.orders.placement_context(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
    )
    check_registered(
        shipping_method=command.shipping_method,
        channel_name=command.channel_name,
        channel_id=command.channel_id,
        context=context,
    )
    _apply_details(order, command, context)
    strategy = AllocationStrategy(context.strategy)
    released: set[int] = set()
    if command.lines is not None:
        released |= await _replace_lines(uow, order, command.lines)
    if command.hold is not None:
        released |= await _set_hold(uow, order, command.hold, command.hold_reason)
    if order.hold is HoldState.none:
        await allocate_order(uow, order, strategy)
    order.refresh_status()
    await uow.orders.save(order, address=command.address)
    await allocate_backorders(uow, released, strategy)
    await uow.events.record("order_updated", "order", order.id, {"status": order.status})
    return order


def _apply_details(order: Order, command: UpdateOrder, context: PlacementContext) -> None:
    header = order.header
    if command.reference is not None:
        header.reference = command.reference
    if command.notes is not None:
        header.notes = command.notes
    if command.shipping_method is not None:
        header.shipping_method_id = context.shipping_method_id
    if command.channel_id is not None or command.channel_name is not None:
        header.channel_id = context.channel_id


async def _replace_lines(uow: UnitOfWork, order: Order, inputs: Sequence[LineInput]) -> set[int]:
    if any(line.shipped for line in order.lines) or await uow.shipments.of_order(order.id):
        raise InvalidStateTransitionError(
            "lines cannot be replaced once the order has a shipment", field="lines"
        )
    released = await release_order(uow, order)
    resolved = await uow.catalog.resolve([line.sku for line in inputs])
    order.lines = build_lines(inputs, resolved)
    await uow.orders.replace_lines(order)
    return released


async def _set_hold(uow: UnitOfWork, order: Order, hold: HoldState, reason: str) -> set[int]:
    """Hold (or park) an order, giving back its stock; or resume it. Return items released."""
    released: set[int] = set()
    if hold is not HoldState.none and order.hold is HoldState.none:
        released = await release_order(uow, order)
    order.hold = hold
    order.hold_reason = reason if hold is not HoldState.none else ""
    return released


@retried_on_lock_cycles
async def cancel_orders(uow: UnitOfWork, order_ids: Sequence[int]) -> list[CancelOutcome]:
    """Cancel every unshipped unit of each order and give back its stock.

    The stock released goes to waiting backorders, oldest first, in the same transaction.
    An order that cannot be cancelled is reported and left as it was.
    """
    released: set[int] = set()

    async def cancel(order_id: int) -> Order:
        order = await _load_order(uow, OrderRef("id", order_id), for_update=True)
        released.update(await release_order(uow, order))
        cancel_open_quantities(order.lines)
        order.hold, order.hold_reason = HoldState.none, ""
        order.refresh_status()
        await uow.orders.save(order)
        await uow.events.record("order_cancelled", "order", order.id)
        return order

    async with uow:
        strategy = AllocationStrategy((await uow.accounts.get(uow.account_id)).allocation_strategy)
        attempts = await attempt_each(uow, order_ids, cancel)
        await allocate_backorders(uow, released, strategy)
        await uow.commit()
    return [
        CancelOutcome(a.command, a.value.status if a.value else None, a.error) for a in attempts
    ]


async def set_sub_status(uow: UnitOfWork, ref: OrderRef, sub_status: str) -> OrderOutcome:
    """Set the free-text sub-status that rides alongside the status.

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        order = await _load_order(uow, ref, for_update=True)
        order.sub_status = sub_status
        await uow.orders.save_header(order)
        await uow.events.record(
            "order_sub_status_set", "order", order.id, {"sub_status": sub_status}
        )
        await uow.commit()
    return OrderOutcome(0, order.header.order_number, order.id, order.status, order.hold)


async def _load_order(uow: UnitOfWork, ref: OrderRef, *, for_update: bool = False) -> Order:
    order_id = ref.value if ref.field == "id" else await uow.orders.find_id(ref.field, ref.value)
    order = (
        None if order_id is None else await uow.orders.load(int(order_id), for_update=for_update)
    )
    if order is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return order
