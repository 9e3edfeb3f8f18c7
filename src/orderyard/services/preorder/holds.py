"""A wave's hold: its sequenced units reserved at its location until a release takes them.

The hold is a reservation under ``domain.preorder.hold_reference`` whose quantity is the
wave's ``sequenced``: the location's available figure (``store/stock_figures.py``) leaves
those units out, so neither a new order nor a backorder takes stock a pre-order waits for.
Before stock arrives the hold exceeds on-hand and available reads 0.
"""

from collections.abc import Iterable

from orderyard.domain.preorder import Wave, hold_reference
from orderyard.domain.reservation import Reservation
from orderyard.kit.clock import utcnow
from orderyard.store.uow import UnitOfWork


async def set_holds(uow: UnitOfWork, waves: Iterable[Wave]) -> None:
    """Make each wave's hold equal its sequenced units (creating the level if need be).

    The levels are locked in (location, item) order after the waves (which the caller holds).
    """
    changed = list(waves)
    levels = sorted({(w.location_id, w.item_id) for w in changed})
    if not levels:
        return
    for location_id, item_id in levels:
        await uow.stock.add_on_hand(location_id, item_id, 0)
    await uow.reservations.lock(levels)
    await uow.reservations.put(
        [Reservation(w.location_id, w.item_id, hold_reference(w.id), w.sequenced) for w in changed],
        utcnow(),
    )
    await uow.reservations.recount(levels)
