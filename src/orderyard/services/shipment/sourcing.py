"""Moving a shipment's units to another location: reject (the strategy chooses) and reroute.

Both lock the order first (as every shipment use case does), give the shipment's units back
to stock at its location, and take them elsewhere, each step in the ledger. A rejected
shipment stays as the record of what the location refused; the units the strategy finds
elsewhere are allocated to the order and wait for a shipment (at once when the account ships
on allocation). A rerouted shipment keeps its id and lines and moves to the named location,
back to ``created``: the warehouse steps done at the old location do not carry over.
"""

from collections.abc import Mapping

from orderyard.domain.allocation.policy import AllocationStrategy, Demand, Take
from orderyard.domain.errors import ConflictError, InvalidRequestError, InvalidStateTransitionError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import HoldState, Order
from orderyard.domain.shipment import OPEN, Shipment, ShipmentStatus
from orderyard.services.allocation import (
    destinations_of,
    open_shipments,
    persist_takes,
    take_stock,
)
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.services.shipment.flow import lock_shipment
from orderyard.store.uow import UnitOfWork


@retried_on_lock_cycles
async def reject_shipment(uow: UnitOfWork, shipment_id: int, reason: str = "") -> Shipment:
    """The location cannot fulfil the shipment: release its units and source them elsewhere.

    The units go back to stock at the rejecting location and are allocated again by the
    account's strategy among the other locations; what none can take stays backordered.
    The rejecting location's freed stock is not offered to this order again in this call.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidStateTransitionError: the shipment already shipped, or was cancelled or
            rejected.
    """
    async with uow:
        shipment, order = await lock_shipment(uow, shipment_id)
        previous = shipment.status
        shipment.move_to(ShipmentStatus.rejected)
        released = await _release_units(uow, order, shipment)
        resourced = 0
        if order.hold is HoldState.none and released:
            resourced = await _resource(uow, order, released, excluding=shipment.location_id)
        order.refresh_status()
        await uow.orders.save(order)
        await uow.shipments.save(shipment)
        await uow.events.record(
            "shipment_rejected",
            "shipment",
            shipment.id,
            {
                "from": previous.value,
                "reason": reason,
                "location_id": shipment.location_id,
                "released": sum(released.values()),
                "resourced": resourced,
                "order_status": order.status,
            },
        )
        await uow.commit()
    return shipment


async def _resource(
    uow: UnitOfWork, order: Order, released: Mapping[int, int], *, excluding: int
) -> int:
    """Allocate the released units of each line again, never at ``excluding``.

    Returns the units found.
    """
    strategy = AllocationStrategy((await uow.accounts.get(uow.account_id)).allocation_strategy)
    lines = [line for line in order.lines if released.get(line.id, 0) > 0]
    destination = (await destinations_of(uow, [order.id], strategy)).get(order.id)
    takes = await take_stock(
        uow,
        [Demand(line.item_id, released[line.id], destination) for line in lines],
        strategy,
        excluding=frozenset({excluding}),
    )
    for take in takes:
        lines[take.demand_index].allocated += take.quantity
    await persist_takes(uow, {order.id: [(lines[t.demand_index].id, t) for t in takes]})
    if takes and await uow.accounts.ships_on_allocation(uow.account_id):
        await open_shipments(uow, [order])
    return sum(take.quantity for take in takes)


@retried_on_lock_cycles
async def reroute_shipment(uow: UnitOfWork, shipment_id: int, location_code: str) -> Shipment:
    """Move the whole shipment to the named location, or nothing at all.

    The named location must have every unit of the shipment available now. Its units are
    taken there and released at the old location; the shipment starts over as ``created``.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: no location of the account has this code.
        ConflictError: the location does not ship orders, is where the shipment already is,
            or lacks some of the units (the message names the location and what it lacks).
        InvalidStateTransitionError: the shipment is not open, or its order is held.
    """
    async with uow:
        shipment, order = await lock_shipment(uow, shipment_id)
        if shipment.status not in OPEN:
            raise InvalidStateTransitionError(
                f"cannot reroute a {shipment.status.value!r} shipment", field="status"
            )
        if order.hold is not HoldState.none:
            raise InvalidStateTransitionError("a held order cannot be rerouted", field="order")
        target = await _destination(uow, shipment, location_code)
        await _take_whole(uow, order, shipment, target, location_code)
        released = await _release_units(uow, order, shipment)
        if released != _units_by_line(shipment):
            raise ConflictError(
                f"shipment {shipment.id} carries units no longer allocated at its location",
                field="lines",
            )
        for line in order.lines:
            line.allocated += released.get(line.id, 0)
        previous = (shipment.location_id, shipment.status)
        shipment.location_id, shipment.status = target, ShipmentStatus.created
        await uow.shipments.save(shipment)
        await uow.events.record(
            "shipment_rerouted",
            "shipment",
            shipment.id,
            {"from_location_id": previous[0], "to_location_id": target, "from": previous[1]},
        )
        await uow.commit()
    return shipment


async def _destination(uow: UnitOfWork, shipment: Shipment, code: str) -> int:
    location = await uow.locations.find_by_code(code)
    if location is None:
        raise InvalidRequestError(f"unknown location {code!r}", field="location")
    if not (location.active and location.ships_orders):
        raise ConflictError(f"location {code!r} does not ship orders", field="location")
    if location.id == shipment.location_id:
        raise ConflictError(f"shipment {shipment.id} is already at {code!r}", field="location")
    return location.id


async def _take_whole(
    uow: UnitOfWork, order: Order, shipment: Shipment, target: int, code: str
) -> None:
    """Take every unit of the shipment at ``target`` and allocate it to the order there.

    Raises:
        ConflictError: a level at ``target`` lacks units (named), or lost them to a race.
    """
    wanted: dict[tuple[int, int], int] = {}
    sku_of: dict[int, str] = {}
    for line in shipment.lines:
        wanted[(target, line.item_id)] = wanted.get((target, line.item_id), 0) + line.quantity
        sku_of[line.item_id] = line.sku
    levels = await uow.stock.levels(list(wanted))
    lacking = [
        f"{need - have} of {sku_of[item]} ({have} available, {need} needed)"
        for (location, item), need in sorted(wanted.items())
        if need > (have := (lv.available if (lv := levels.get((location, item))) else 0))
    ]
    if lacking or len(await uow.stock.take_levels(wanted)) < len(wanted):
        raise ConflictError(
            f"location {code!r} cannot take the whole shipment: it lacks "
            + ("; ".join(lacking) or "units another order took meanwhile"),
            field="location",
        )
    takes = [
        (line.order_line_id, Take(index, target, line.item_id, line.quantity))
        for index, line in enumerate(shipment.lines)
    ]
    await persist_takes(uow, {order.id: takes})


async def _release_units(uow: UnitOfWork, order: Order, shipment: Shipment) -> dict[int, int]:
    """Give the shipment's units back to stock at its location, as far as they are allocated.

    Returns ``{order_line_id: units released}``; the order's lines are adjusted.
    """
    held = {
        a.order_line_id: a
        for a in await uow.orders.allocations_of(order.id)
        if a.location_id == shipment.location_id
    }
    released: dict[int, int] = {}
    movements: list[Movement] = []
    for ship_line in sorted(shipment.lines, key=lambda ln: ln.item_id):
        allocation = held.get(ship_line.order_line_id)
        units = 0 if allocation is None else min(ship_line.quantity, allocation.quantity)
        if allocation is None or units == 0:
            continue
        await uow.orders.reduce_allocation(allocation.id, units)
        await uow.stock.release(shipment.location_id, ship_line.item_id, units)
        released[ship_line.order_line_id] = units
        movements.append(
            Movement(
                shipment.location_id,
                ship_line.item_id,
                MovementReason.released,
                allocated_delta=-units,
                order_id=order.id,
                reference=f"shipment:{shipment.id}",
            )
        )
    await uow.stock.record(movements)
    for line in order.lines:
        line.allocated -= released.get(line.id, 0)
    return released


def _units_by_line(shipment: Shipment) -> dict[int, int]:
    units: dict[int, int] = {}
    for line in shipment.lines:
        units[line.order_line_id] = units.get(line.order_line_id, 0) + line.quantity
    return units
