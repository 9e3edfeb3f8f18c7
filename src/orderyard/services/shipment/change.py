"""Changing a shipment without moving stock, and the account's ship-on-allocation setting.

Split a shipment, set its status through the use case that owns each status, keep its
tracking numbers; and choose whether shipments are created as soon as stock is allocated.
"""

from collections.abc import Sequence

from orderyard.domain.errors import InvalidStateTransitionError, NotFoundError
from orderyard.domain.shipment import CLOSING, Shipment, ShipmentStatus, TrackingNumber, split_lines
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.services.shipment.flow import (
    add_tracking_number,
    advance_shipment,
    cancel_shipment,
    lock_shipment,
    ship_shipment,
)
from orderyard.services.shipment.sourcing import reject_shipment
from orderyard.store.uow import UnitOfWork


@retried_on_lock_cycles
async def split_shipment(
    uow: UnitOfWork,
    shipment_id: int,
    *,
    order_line_ids: Sequence[int] = (),
    skus: Sequence[str] = (),
) -> Shipment:
    """Move the named order lines, or every line of the named SKUs, into a new shipment.

    The new shipment is at the same location, ``created``; the old one keeps the rest and
    its status. Returns the new shipment.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidRequestError: nothing named, or a named line or SKU not in the shipment.
        InvalidStateTransitionError: the shipment is not open, or the split names every line.
    """
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        moving = split_lines(shipment, order_line_ids=order_line_ids, skus=skus)
        split = Shipment(0, shipment.order_id, shipment.location_id, ShipmentStatus.created)
        await uow.shipments.add(split)
        await uow.shipments.move_lines([line.id for line in moving], split.id)
        split.lines = moving
        await uow.events.record(
            "shipment_split",
            "shipment",
            shipment.id,
            {"into": split.id, "order_line_ids": [line.order_line_id for line in moving]},
        )
        await uow.events.record(
            "shipment_created", "shipment", split.id, {"split_from": shipment.id}
        )
        await uow.commit()
    return split


async def set_shipment_status(
    uow: UnitOfWork, shipment_id: int, status: ShipmentStatus, *, reason: str = ""
) -> Shipment:
    """Move a shipment to any status, each through the use case that owns it.

    Shipped ships (stock leaves), cancelled cancels, rejected rejects (``reason`` kept);
    the others are warehouse steps or delivery.

    Raises:
        NotFoundError: no such shipment in this account.
        InvalidStateTransitionError: not allowed from the current status (both named).
    """
    if status is ShipmentStatus.shipped:
        return await ship_shipment(uow, shipment_id)
    if status is ShipmentStatus.cancelled:
        return await cancel_shipment(uow, shipment_id)
    if status is ShipmentStatus.rejected:
        return await reject_shipment(uow, shipment_id, reason)
    if status is ShipmentStatus.created:
        async with uow:
            shipment, _ = await lock_shipment(uow, shipment_id)
        raise InvalidStateTransitionError(
            f"cannot move a shipment from {shipment.status.value!r} to 'created'", field="status"
        )
    return await advance_shipment(uow, shipment_id, status)


async def add_tracking(uow: UnitOfWork, shipment_id: int, tracking: TrackingNumber) -> Shipment:
    """Add a carrier's tracking number (with its URL) to a shipment; several are allowed.

    The first one is also the shipment's own carrier and tracking number.

    Raises:
        NotFoundError: no such shipment in this account.
        DuplicateError: the shipment already carries this number.
        InvalidStateTransitionError: the shipment was cancelled or rejected.
    """
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        _check_trackable(shipment)
        await add_tracking_number(uow, shipment, tracking)
        await uow.shipments.save(shipment)
        await uow.events.record(
            "shipment_tracking_added", "shipment", shipment.id, {"number": tracking.number}
        )
        await uow.commit()
    return shipment


async def remove_tracking(uow: UnitOfWork, shipment_id: int, number: str) -> Shipment:
    """Remove one tracking number; the next one (or none) becomes the shipment's own.

    Raises:
        NotFoundError: no such shipment in this account, or it has no such number.
    """
    async with uow:
        shipment, _ = await lock_shipment(uow, shipment_id)
        if not await uow.shipments.remove_tracking(shipment.id, number):
            raise NotFoundError(
                f"shipment {shipment.id} has no tracking number {number!r}", field="number"
            )
        rest = await uow.shipments.tracking_of(shipment.id)
        first = rest[0] if rest else TrackingNumber("")
        shipment.tracking_number, shipment.carrier = first.number, first.carrier
        await uow.shipments.save(shipment)
        await uow.events.record(
            "shipment_tracking_removed", "shipment", shipment.id, {"number": number}
        )
        await uow.commit()
    return shipment


async def tracking_numbers(uow: UnitOfWork, shipment_id: int) -> list[TrackingNumber]:
    """The shipment's tracking numbers, oldest first.

    Raises:
        NotFoundError: no such shipment in this account.
    """
    async with uow:
        if await uow.shipments.order_id_of(shipment_id) is None:
            raise NotFoundError(f"shipment {shipment_id} not found", field="shipment")
        return await uow.shipments.tracking_of(shipment_id)


def _check_trackable(shipment: Shipment) -> None:
    if shipment.status in CLOSING:
        raise InvalidStateTransitionError(
            f"a {shipment.status.value!r} shipment takes no tracking number", field="status"
        )


async def ships_on_allocation(uow: UnitOfWork) -> bool:
    """Whether the account creates shipments as soon as stock is allocated."""
    async with uow:
        return await uow.accounts.ships_on_allocation(uow.account_id)


async def set_ships_on_allocation(uow: UnitOfWork, on: bool) -> None:
    """Choose whether placement and backorder allocation create the shipments at once.

    When on, every allocation (placing an order, backorders catching up, a rejected
    shipment's units found elsewhere) creates one shipment per location for what it
    allocated, in its own transaction. Off by default; existing allocations are unchanged.
    """
    async with uow:
        await uow.accounts.set_ships_on_allocation(uow.account_id, on)
        await uow.events.record(
            "account_ships_on_allocation_set", "account", uow.account_id, {"on": on}
        )
        await uow.commit()
