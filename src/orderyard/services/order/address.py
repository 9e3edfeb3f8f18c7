"""Changing where an order ships, and re-sourcing it when the strategy ranks by distance."""

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import ConflictError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import HoldState, Order, OrderStatus
from orderyard.domain.values import AddressPatch
from orderyard.services.allocation import allocate_backorders, allocate_order
from orderyard.services.order.change import load_order
from orderyard.services.order.commands import OrderOutcome, OrderRef
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.uow import UnitOfWork


@retried_on_lock_cycles
async def change_shipping_address(
    uow: UnitOfWork, ref: OrderRef, address: AddressPatch
) -> OrderOutcome:
    """Replace the given fields of the order's shipping address, before anything ships.

    The address is saved first. Under the ``nearest`` strategy the order's allocated units
    that no open shipment claims are then given back and allocated again from the new
    address (perhaps at the same location), in the same transaction; the stock given back
    at the old locations goes to waiting backorders. Units already in a shipment stay.

    Raises:
        NotFoundError: no such order in this account.
        ConflictError: part of the order has shipped, or it is cancelled.
    """
    async with uow:
        order = await load_order(uow, ref, for_update=True)
        if any(line.shipped for line in order.lines):
            raise ConflictError(
                "the shipping address cannot change once part of the order has shipped",
                field="shipping_address",
            )
        if order.status is OrderStatus.cancelled:
            raise ConflictError("a cancelled order cannot be changed", field="shipping_address")
        await uow.orders.save_header(order, address=address)
        strategy = AllocationStrategy((await uow.accounts.get(uow.account_id)).allocation_strategy)
        if strategy is AllocationStrategy.nearest and order.hold is HoldState.none:
            released = await _release_unclaimed(uow, order)
            await allocate_order(uow, order, strategy)
            await uow.orders.save(order)
            await allocate_backorders(uow, released, strategy)
        await uow.events.record("order_address_changed", "order", order.id, {})
        await uow.commit()
    return OrderOutcome(0, order.header.order_number, order.id, order.status, order.hold)


async def _release_unclaimed(uow: UnitOfWork, order: Order) -> set[int]:
    """Give back the order's allocated units that no open shipment claims; return the items.

    Levels are released in (location, item) order, as everywhere.
    """
    claimed = dict(await uow.shipments.claimed(order.id))
    releases: list[tuple[int, int, int, int, int]] = []
    for allocation in await uow.orders.allocations_of(order.id):
        key = (allocation.order_line_id, allocation.location_id)
        kept = min(allocation.quantity, claimed.get(key, 0))
        claimed[key] = claimed.get(key, 0) - kept
        if allocation.quantity > kept:
            releases.append(
                (
                    allocation.location_id,
                    allocation.item_id,
                    allocation.id,
                    allocation.order_line_id,
                    allocation.quantity - kept,
                )
            )
    releases.sort()
    lines = {line.id: line for line in order.lines}
    for location_id, item_id, allocation_id, line_id, quantity in releases:
        await uow.stock.release(location_id, item_id, quantity)
        await uow.orders.reduce_allocation(allocation_id, quantity)
        lines[line_id].allocated -= quantity
    await uow.stock.record(
        [
            Movement(
                location_id,
                item_id,
                MovementReason.released,
                allocated_delta=-quantity,
                order_id=order.id,
            )
            for location_id, item_id, _, _, quantity in releases
        ]
    )
    return {item_id for _, item_id, _, _, _ in releases}
