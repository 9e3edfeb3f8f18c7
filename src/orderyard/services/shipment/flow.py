"""Shipment use cases: plan from allocations, advance through the warehouse, ship, cancel.

Every call locks the order row first, so two shipments of one order (or a shipment racing an
order update, hold or cancel) are serialised, and shipping re-checks the allocations it uses.
Shipping locks stock levels after the order; a count that falls below what is allocated locks
them the other way round, so the use cases that touch stock are run again when PostgreSQL
breaks such a cycle (``retried_on_lock_cycles``).
"""

from collections.abc import Sequence

from orderyard.domain.errors import (
    DuplicateError,
    InvalidRequestError,
    InvalidStateTransitionError,
    NotFoundError,
)
from orderyard.domain.inventory import Movement, MovementReason, NotOnHandError
from orderyard.domain.order import Allocation, HoldState, Order
from orderyard.domain.shipment import (
    Shipment,
    ShipmentStatus,
    TrackingNumber,
    apply_shipping,
    plan_every_location,
    plan_lines,
    shippable_by_location,
)
from orderyard.kit.clock import utcnow
from orderyard.services.allocation import add_shipments
from orderyard.services.retry import retried_on_lock_cycles
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


@retried_on_lock_cycles
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
        NotOnHandError: units allocated ahead of their stock are not on hand yet.
    """
    async with uow:
        order = await lock_order(uow, order_id)
        shipment = await _plan(uow, order, location_id, lines)
        await uow.commit()
    return shipment


@retried_on_lock_cycles
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
        NotOnHandError: units allocated ahead of their stock are not on hand yet.
    """
    async with uow:
        order = await lock_order(uow, order_id)
        shipment = await _plan(uow, order, location_id, None)
        await _ship(uow, shipment, order, tracking_number, carrier)
        await uow.commit()
    return shipment


@retried_on_lock_cycles
async def create_all_shipments(uow: UnitOfWork, order_id: int) -> list[Shipment]:
    """One shipment per location for every allocated unit that no open shipment claims.

    Raises:
        NotFoundError: no such order in this account.
        InvalidStateTransitionError: the order is held, or nothing is allocated and free to
            ship (everything is backordered, shipped, cancelled or already in a shipment).
    """
    async with uow:
        order = await lock_order(uow, order_id)
        _check_not_held(order)
        planned = plan_every_location(order, await _shippable(uow, order))
        if not planned:
            raise InvalidStateTransitionError(
                f"order {order_id} has nothing allocated that is not already in a shipment",
                field="order",
            )
        await add_shipments(uow, planned)
        await uow.commit()
    return planned


def _check_not_held(order: Order) -> None:
    if order.hold is not HoldState.none:
        raise InvalidStateTransitionError("a held order cannot be shipped", field="order")


async def _plan(
    uow: UnitOfWork,
    order: Order,
    location_id: int | None,
    lines: Sequence[tuple[int, int]] | None,
) -> Shipment:
    """Add a created shipment of the locked order (``create_shipment``'s rules)."""
    _check_not_held(order)
    shippable = await _shippable(uow, order)
    location = _choose_location(shippable, location_id)
    shipment = Shipment(
        0,
        order.id,
        location,
        ShipmentStatus.created,
        plan_lines(order, shippable.get(location, {}), lines),
    )
    await add_shipments(uow, [shipment])
    return shipment


async def _shippable(uow: UnitOfWork, order: Order) -> dict[int, dict[int, int]]:
    """``{location_id: {order_line_id: units allocated there and not claimed}}``."""
    claimed = await uow.shipments.claimed(order.id)
    return shippable_by_location(await uow.orders.allocations_of(order.id), claimed)


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


@retried_on_lock_cycles
async def ship_shipment(
    uow: UnitOfWork, shipment_id: int, *, tracking_number: str = "", carrier: str = ""
) -> Shipment:
    """Ship: the units leave stock (on-hand and allocated drop) and the order advances.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidStateTransitionError: already shipped or cancelled, or the order no longer
            has the units allocated at the location (held, changed or cancelled since).
        NotOnHandError: units allocated ahead of their stock are not on hand yet.
    """
    async with uow:
        shipment, order = await lock_shipment(uow, shipment_id)
        await _ship(uow, shipment, order, tracking_number, carrier)
        await uow.commit()
    return shipment


async def _ship(
    uow: UnitOfWork, shipment: Shipment, order: Order, tracking_number: str, carrier: str
) -> None:
    """Move the shipment's units out of stock and advance the locked order."""
    shipment.move_to(ShipmentStatus.shipped)
    used = apply_shipping(order, shipment, await uow.orders.allocations_of(order.id))
    await _move_out(uow, order, shipment.id, used)
    order.refresh_status()
    await uow.orders.save(order)
    shipment.shipped_at = utcnow()
    known = {t.number for t in await uow.shipments.tracking_of(shipment.id)}
    if tracking_number and tracking_number not in known:
        await add_tracking_number(uow, shipment, TrackingNumber(tracking_number, carrier))
    await uow.shipments.save(shipment)
    await uow.events.record(
        "shipment_shipped",
        "shipment",
        shipment.id,
        {"order_id": order.id, "order_status": order.status},
    )


async def _move_out(
    uow: UnitOfWork, order: Order, shipment_id: int, used: Sequence[tuple[Allocation, int]]
) -> None:
    """Ship units out of stock and off their allocations, in (location, item) lock order.

    Raises:
        NotOnHandError: units allocated ahead of their stock (a bypass release) are not on
            hand yet; the caller's transaction rolls back, so nothing is written.
    """
    order_id = order.id
    movements: list[Movement] = []
    for allocation, quantity in sorted(used, key=lambda u: (u[0].location_id, u[0].item_id)):
        if not await uow.stock.ship_out(allocation.location_id, allocation.item_id, quantity):
            raise await _not_on_hand(uow, order, allocation, quantity)
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


async def _not_on_hand(
    uow: UnitOfWork, order: Order, allocation: Allocation, quantity: int
) -> NotOnHandError:
    """The refusal naming the SKU, the location and how many units are missing."""
    level = (allocation.location_id, allocation.item_id)
    found = (await uow.stock.levels([level])).get(level)
    location = await uow.locations.find(allocation.location_id)
    sku = next(ln.sku for ln in order.lines if ln.item_id == allocation.item_id)
    code = location.code if location is not None else str(allocation.location_id)
    return NotOnHandError(sku, code, quantity, found.on_hand if found is not None else 0)


@retried_on_lock_cycles
async def advance_shipment(uow: UnitOfWork, shipment_id: int, status: ShipmentStatus) -> Shipment:
    """Record a warehouse step (released, picked, packed) or the carrier's delivery.

    Delivery is recorded with its time, and only after the shipment shipped.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: ``status`` is created, shipped, cancelled or rejected (shipping,
            cancelling and rejecting have their own use cases).
        InvalidStateTransitionError: the step would move the shipment backwards, or deliver
            a shipment that has not shipped; the message names both statuses.
    """
    if status not in WAREHOUSE_STEPS:
        raise InvalidRequestError(
            f"use the ship, cancel or reject use case to make a shipment {status.value!r}",
            field="status",
        )
    return await _set_status(uow, shipment_id, status)


@retried_on_lock_cycles
async def cancel_shipment(uow: UnitOfWork, shipment_id: int) -> Shipment:
    """Give up a shipment before it ships; its units stay allocated to the order.

    The units are then free to go into another shipment (``create_all_shipments``).

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidStateTransitionError: it already shipped, or was cancelled or rejected.
    """
    return await _set_status(uow, shipment_id, ShipmentStatus.cancelled)


async def _set_status(uow: UnitOfWork, shipment_id: int, status: ShipmentStatus) -> Shipment:
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        previous = shipment.status
        shipment.move_to(status)
        if status is ShipmentStatus.delivered:
            shipment.delivered_at = utcnow()
        await uow.shipments.save(shipment)
        await uow.events.record(
            f"shipment_{status.value}", "shipment", shipment.id, {"from": previous.value}
        )
        await uow.commit()
    return shipment


async def add_tracking_number(
    uow: UnitOfWork, shipment: Shipment, tracking: TrackingNumber
) -> None:
    """Append a tracking number; the first one is also the shipment's own carrier and number.

    Raises:
        DuplicateError: the shipment already carries this number.
    """
    if any(t.number == tracking.number for t in await uow.shipments.tracking_of(shipment.id)):
        raise DuplicateError(
            f"shipment {shipment.id} already has tracking number {tracking.number!r}",
            field="number",
        )
    await uow.shipments.add_tracking(shipment.id, tracking)
    if not shipment.tracking_number:
        shipment.tracking_number, shipment.carrier = tracking.number, tracking.carrier


async def lock_shipment(uow: UnitOfWork, shipment_id: int) -> tuple[Shipment, Order]:
    """Lock the shipment's order, then read the shipment as it stands under that lock."""
    order_id = await uow.shipments.order_id_of(shipment_id)
    if order_id is None:
        raise NotFoundError(f"shipment {shipment_id} not found", field="shipment")
    order = await lock_order(uow, order_id)
    shipment = await uow.shipments.get(shipment_id)
    if shipment is None:
        raise NotFoundError(f"shipment {shipment_id} not found", field="shipment")
    return shipment, order


async def lock_order(uow: UnitOfWork, order_id: int) -> Order:
    """Lock the order row: every shipment use case of one order runs one after the other."""
    order = await uow.orders.load(order_id, for_update=True)
    if order is None:
        raise NotFoundError(f"order {order_id} not found", field="order")
    return order
