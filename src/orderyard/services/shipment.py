"""Shipment use cases: plan from allocations, advance through the warehouse, ship, cancel.

Every call locks the order row first, so two shipments of one order (or a shipment racing an
order update, hold or cancel) are serialised, and shipping re-checks the allocations it uses.
"""

from collections.abc import Sequence

from orderyard.domain.errors import InvalidRequestError, InvalidStateTransitionError, NotFoundError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import Allocation, HoldState, Order
from orderyard.domain.shipment import Shipment, ShipmentStatus, apply_shipping, plan_lines
from orderyard.kit.clock import utcnow
from orderyard.store.uow import UnitOfWork

WAREHOUSE_STEPS = frozenset(
    {
        ShipmentStatus.released,
        ShipmentStatus.picked,
        ShipmentStatus.packed,
        ShipmentStatus.delivered,
    }
)
"""Statuses ``advance_shipment`` sets; shipping and cancelling have their own use cases."""


async def create_shipment(
    uow: UnitOfWork,
    order_id: int,
    *,
    location_id: int | None = None,
    lines: Sequence[tuple[int, int]] | None = None,
) -> Shipment:
    """Plan a shipment of the order's allocated units at one location.

    Without ``location_id`` the order must have units to ship at exactly one location.
    Without ``lines`` every allocated unit there that no other open shipment claims is
    taken; otherwise ``lines`` gives ``(line_no, quantity)`` pairs within those units.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: an unknown line, a quantity beyond what is free to ship, or no
            ``location_id`` while units wait at several locations.
        InvalidStateTransitionError: the order is held, or nothing is free to ship there.
    """
    async with uow:
        order = await _lock_order(uow, order_id)
        shipment = await _plan(uow, order, location_id, lines)
        await uow.commit()
    return shipment


async def ship_order(
    uow: UnitOfWork,
    order_id: int,
    *,
    location_id: int | None = None,
    tracking_number: str = "",
    carrier: str = "",
) -> Shipment:
    """Plan and ship at once every allocated unit of the order at one location.

    What a location without a pick-and-pack workflow reports: ``create_shipment`` then
    ``ship_shipment`` in one transaction, so a refusal leaves no planned shipment behind.

    Raises:
        NotFoundError: no such order in this account.
        InvalidRequestError: no ``location_id`` while units wait at several locations.
        InvalidStateTransitionError: the order is held, or nothing is free to ship there.
    """
    async with uow:
        order = await _lock_order(uow, order_id)
        shipment = await _plan(uow, order, location_id, None)
        await _ship(uow, shipment, order, tracking_number, carrier)
        await uow.commit()
    return shipment


async def _plan(
    uow: UnitOfWork,
    order: Order,
    location_id: int | None,
    lines: Sequence[tuple[int, int]] | None,
) -> Shipment:
    """Add a created shipment of the locked order (``create_shipment``'s rules)."""
    if order.hold is not HoldState.none:
        raise InvalidStateTransitionError("a held order cannot be shipped", field="order")
    shippable = await _shippable(uow, order)
    location = _choose_location(shippable, location_id)
    shipment = Shipment(
        0,
        order.id,
        location,
        ShipmentStatus.created,
        plan_lines(order, shippable.get(location, {}), lines),
    )
    await uow.shipments.add(shipment)
    await uow.events.record("shipment_created", "shipment", shipment.id, {"order_id": order.id})
    return shipment


async def _shippable(uow: UnitOfWork, order: Order) -> dict[int, dict[int, int]]:
    """``{location_id: {order_line_id: units allocated there and not claimed}}``."""
    claimed = await uow.shipments.claimed(order.id)
    free: dict[int, dict[int, int]] = {}
    for allocation in await uow.orders.allocations_of(order.id):
        key = (allocation.order_line_id, allocation.location_id)
        units = allocation.quantity - claimed.get(key, 0)
        if units > 0:
            free.setdefault(allocation.location_id, {})[allocation.order_line_id] = units
    return free


def _choose_location(shippable: dict[int, dict[int, int]], location_id: int | None) -> int:
    if location_id is not None:
        return location_id
    if len(shippable) > 1:
        raise InvalidRequestError(
            "the order has units to ship at several locations; name one", field="location"
        )
    if not shippable:
        raise InvalidStateTransitionError(
            "nothing of the order is allocated and free to ship", field="order"
        )
    return next(iter(shippable))


async def ship_shipment(
    uow: UnitOfWork, shipment_id: int, *, tracking_number: str = "", carrier: str = ""
) -> Shipment:
    """Ship: the units leave stock (on-hand and allocated drop) and the order advances.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidStateTransitionError: already shipped or cancelled, or the order no longer
            has the units allocated at the location (held, changed or cancelled since).
    """
    async with uow:
        shipment, order = await _lock(uow, shipment_id)
        await _ship(uow, shipment, order, tracking_number, carrier)
        await uow.commit()
    return shipment


async def _ship(
    uow: UnitOfWork, shipment: Shipment, order: Order, tracking_number: str, carrier: str
) -> None:
    """Move the shipment's units out of stock and advance the locked order."""
    shipment.move_to(ShipmentStatus.shipped)
    used = apply_shipping(order, shipment, await uow.orders.allocations_of(order.id))
    await _move_out(uow, order.id, shipment.id, used)
    order.refresh_status()
    await uow.orders.save(order)
    shipment.tracking_number = tracking_number or shipment.tracking_number
    shipment.carrier = carrier or shipment.carrier
    shipment.shipped_at = utcnow()
    await uow.shipments.save(shipment)
    await uow.events.record(
        "shipment_shipped",
        "shipment",
        shipment.id,
        {"order_id": order.id, "order_status": order.status},
    )


async def _move_out(
    uow: UnitOfWork, order_id: int, shipment_id: int, used: Sequence[tuple[Allocation, int]]
) -> None:
    """Ship units out of stock and off their allocations, in (location, item) lock order."""
    movements: list[Movement] = []
    for allocation, quantity in sorted(used, key=lambda u: (u[0].location_id, u[0].item_id)):
        await uow.stock.ship_out(allocation.location_id, allocation.item_id, quantity)
        await uow.orders.reduce_allocation(allocation.id, quantity)
        movements.append(
            Movement(
                allocation.location_id,
                allocation.item_id,
                MovementReason.shipped,
                on_hand_delta=-quantity,
                allocated_delta=-quantity,
                order_id=order_id,
                reference=f"shipment:{shipment_id}",
            )
        )
    await uow.stock.record(movements)


async def advance_shipment(uow: UnitOfWork, shipment_id: int, status: ShipmentStatus) -> Shipment:
    """Record a warehouse step (released, picked, packed) or the carrier's delivery.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: ``status`` is shipped or cancelled (their own use cases).
        InvalidStateTransitionError: the step would move the shipment backwards.
    """
    if status not in WAREHOUSE_STEPS:
        raise InvalidRequestError(
            f"use the ship or cancel use case to make a shipment {status.value}",
            field="status",
        )
    return await _set_status(uow, shipment_id, status)


async def cancel_shipment(uow: UnitOfWork, shipment_id: int) -> Shipment:
    """Give up a shipment before it ships; its units stay allocated to the order.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidStateTransitionError: it already shipped or was cancelled.
    """
    return await _set_status(uow, shipment_id, ShipmentStatus.cancelled)


async def _set_status(uow: UnitOfWork, shipment_id: int, status: ShipmentStatus) -> Shipment:
    async with uow:
        shipment, _ = await _lock(uow, shipment_id)
        shipment.move_to(status)
        await uow.shipments.save(shipment)
        await uow.events.record(f"shipment_{status.value}", "shipment", shipment.id)
        await uow.commit()
    return shipment


async def _lock(uow: UnitOfWork, shipment_id: int) -> tuple[Shipment, Order]:
    """Lock the shipment's order, then read the shipment as it stands under that lock."""
    order_id = await uow.shipments.order_id_of(shipment_id)
    if order_id is None:
        raise NotFoundError(f"shipment {shipment_id} not found", field="shipment")
    order = await _lock_order(uow, order_id)
    shipment = await uow.shipments.get(shipment_id)
    if shipment is None:
        raise NotFoundError(f"shipment {shipment_id} not found", field="shipment")
    return shipment, order


async def _lock_order(uow: UnitOfWork, order_id: int) -> Order:
    order = await uow.orders.load(order_id, for_update=True)
    if order is None:
        raise NotFoundError(f"order {order_id} not found", field="order")
    return order
