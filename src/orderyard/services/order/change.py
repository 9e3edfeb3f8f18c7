"""Changing orders: update, hold and release, cancel, sub-status."""

from collections.abc import Sequence

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import (
    InvalidRequestError,
    InvalidStateTransitionError,
    NotFoundError,
)
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import (
    HoldState,
    Order,
    OrderLine,
    OrderStatus,
    cancel_open_quantities,
    cancel_units,
)
from orderyard.domain.values import AddressPatch
from orderyard.services.allocation import (
    allocate_backorders,
    allocate_order,
    release_order,
)
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.services.order.commands import (
    CancelLine,
    CancelOrder,
    CancelOutcome,
    LineInput,
    OrderOutcome,
    OrderRef,
    UpdateOrder,
)
from orderyard.services.order.place import build_lines, check_registered, outcome_of
from orderyard.services.preorder.sequencing import free_places, leave_waves
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
    order = await load_order(uow, command.ref, for_update=True)
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
    if command.address != AddressPatch():
        # Saved before allocating: the nearest strategy ranks by the stored address.
        await uow.orders.save_header(order, address=command.address)
    strategy = AllocationStrategy(context.strategy)
    released: set[int] = set()
    if command.lines is not None:
        released |= await _replace_lines(uow, order, command.lines)
    if command.hold is not None:
        released |= await _set_hold(uow, order, command.hold, command.hold_reason)
    if order.hold is HoldState.none:
        await allocate_order(uow, order, strategy)
    order.refresh_status()
    await uow.orders.save(order)
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
    await leave_waves(uow, order)
    resolved = await uow.catalog.resolve([line.sku for line in inputs])
    order.lines = build_lines(inputs, resolved)
    await uow.orders.replace_lines(order)
    return released


async def _set_hold(uow: UnitOfWork, order: Order, hold: HoldState, reason: str) -> set[int]:
    """Hold (or park) an order, giving back its stock; or resume it. Return items released."""
    released: set[int] = set()
    if hold is not HoldState.none and order.hold is HoldState.none:
        released = await release_order(uow, order)
        await uow.events.record("order_held", "order", order.id, {"hold": hold, "reason": reason})
    elif hold is HoldState.none and order.hold is not HoldState.none:
        await uow.events.record("order_resumed", "order", order.id, {"from": order.hold})
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
        order = await load_order(uow, OrderRef("id", order_id), for_update=True)
        preordered = any(line.preordered for line in order.lines)
        released.update(await release_order(uow, order))
        cancel_open_quantities(order.lines)
        if preordered:
            await free_places(uow, [order])
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


@retried_on_lock_cycles
async def cancel_order(uow: UnitOfWork, command: CancelOrder) -> OrderOutcome:
    """Cancel an order with a reason: every open unit, or the lines and quantities named.

    Stock the cancelled units held is given back and goes to waiting backorders, oldest
    first, in the same transaction. What shipped cannot be cancelled.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: a line named that the order does not have.
        InvalidStateTransitionError: more than a line's open units, or nothing left to cancel.
    """
    async with uow:
        strategy = AllocationStrategy((await uow.accounts.get(uow.account_id)).allocation_strategy)
        order = await load_order(uow, command.ref, for_update=True)
        preordered = any(line.preordered for line in order.lines)
        if command.lines:
            cancelled = _cancel_named(order, command.lines)
            released = await _release_units(uow, order, cancelled)
        else:
            released = await release_order(uow, order)
            cancel_open_quantities(order.lines)
        if preordered:
            await free_places(uow, [order])
        if all(line.effective == line.shipped for line in order.lines):
            order.hold, order.hold_reason = HoldState.none, ""
        order.refresh_status()
        await uow.orders.save(order)
        await allocate_backorders(uow, released, strategy)
        await uow.events.record(
            "order_cancelled" if order.status is OrderStatus.cancelled else "order_lines_cancelled",
            "order",
            order.id,
            {"reason": command.reason, "status": order.status},
        )
        await uow.commit()
    return OrderOutcome(0, order.header.order_number, order.id, order.status, order.hold)


def _cancel_named(order: Order, named: Sequence[CancelLine]) -> dict[int, int]:
    """Cancel the named units of the order's lines; return ``{line id: allocated units}``."""
    from_allocated: dict[int, int] = {}
    for index, wanted in enumerate(named):
        lines = _lines_named(order, wanted, index)
        if wanted.quantity is not None and len(lines) > 1:
            raise InvalidRequestError(
                f"external line id {wanted.external_id!r} names {len(lines)} lines (a kit's "
                "components); cancel part of them by their line ids",
                field=f"lines[{index}].quantity",
            )
        for line in lines:
            try:
                units = cancel_units(line, wanted.quantity)
            except (InvalidRequestError, InvalidStateTransitionError) as error:
                error.field = f"lines[{index}].{error.field}"
                raise
            from_allocated[line.id] = from_allocated.get(line.id, 0) + units
    return from_allocated


def _lines_named(order: Order, wanted: CancelLine, index: int) -> list[OrderLine]:
    """The lines a cancel names, by line id, by external line id, or both alike."""
    if wanted.line_id is None and not wanted.external_id:
        raise InvalidRequestError(
            "a line id or an external line id is required", field=f"lines[{index}].line_id"
        )
    lines = [
        line
        for line in order.lines
        if (wanted.line_id is None or line.id == wanted.line_id)
        and (not wanted.external_id or line.external_id == wanted.external_id)
    ]
    if not lines:
        field = "line_id" if wanted.line_id is not None else "external_id"
        value = wanted.line_id if wanted.line_id is not None else wanted.external_id
        raise InvalidRequestError(
            f"order {order.header.order_number!r} has no line {value!r}"
            + (" with that external line id" if wanted.line_id and wanted.external_id else ""),
            field=f"lines[{index}].{field}",
        )
    return lines


async def _release_units(uow: UnitOfWork, order: Order, units: dict[int, int]) -> set[int]:
    """Give back ``{line id: units}`` of the lines' allocations; return the items released.

    A line allocated at several locations gives back from the last location first (the
    highest location id); levels are released in (location, item) order, as everywhere.
    """
    releases: list[tuple[int, int, int, int]] = []
    for allocation in reversed(await uow.orders.allocations_of(order.id)):
        left = units.get(allocation.order_line_id, 0)
        if left == 0:
            continue
        taken = min(left, allocation.quantity)
        units[allocation.order_line_id] = left - taken
        releases.append((allocation.location_id, allocation.item_id, allocation.id, taken))
    releases.sort()
    for location_id, item_id, allocation_id, quantity in releases:
        await uow.stock.release(location_id, item_id, quantity)
        await uow.orders.reduce_allocation(allocation_id, quantity)
    await uow.stock.record(
        [
            Movement(
                location_id,
                item_id,
                MovementReason.released,
                allocated_delta=-quantity,
                order_id=order.id,
            )
            for location_id, item_id, _, quantity in releases
        ]
    )
    return {item_id for _, item_id, _, _ in releases}


async def set_sub_status(uow: UnitOfWork, ref: OrderRef, sub_status: str) -> OrderOutcome:
    """Set the free-text sub-status that rides alongside the status.

    Raises:
        NotFoundError: no such order in this account.
    """
    async with uow:
        order = await load_order(uow, ref, for_update=True)
        order.sub_status = sub_status
        await uow.orders.save_header(order)
        await uow.events.record(
            "order_sub_status_set", "order", order.id, {"sub_status": sub_status}
        )
        await uow.commit()
    return OrderOutcome(0, order.header.order_number, order.id, order.status, order.hold)


async def load_order(uow: UnitOfWork, ref: OrderRef, *, for_update: bool = False) -> Order:
    """The order the client names, inside the open unit of work.

    Raises:
        NotFoundError: no such order in this account.
    """
    order_id = ref.value if ref.field == "id" else await uow.orders.find_id(ref.field, ref.value)
    order = (
        None if order_id is None else await uow.orders.load(int(order_id), for_update=for_update)
    )
    if order is None:
        raise NotFoundError(f"order {ref.value} not found", field="order")
    return order
