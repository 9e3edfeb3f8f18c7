"""Sequencing lines into waves, and taking them out again (cancel, wave deleted, fallback).

A new order of an account with an open wave is placed in a transaction that locks the open
waves of its items first (before any stock level), so that two orders never sequence past a
wave's plan and positions follow the order in which placements took the waves. An account
without open waves never gets here: its placement context says so in the same statement.
"""

from collections.abc import Iterable, Mapping, Sequence

from orderyard.domain.order import HoldState, Order
from orderyard.domain.preorder import Candidate, SequencedLine, Wave, sequence
from orderyard.kit.clock import utcnow
from orderyard.services.preorder.holds import set_holds
from orderyard.store.repositories.order import PlacementContext
from orderyard.store.uow import UnitOfWork


async def waves_for_new_order(
    uow: UnitOfWork, context: PlacementContext, order: Order
) -> list[Wave]:
    """Lock the open waves of a new order's items, in a transaction; none without any.

    Costs nothing when the account has no open wave (``context.has_open_waves``); a held
    order is not sequenced (it takes no stock either).
    """
    if not context.has_open_waves or order.hold is not HoldState.none:
        return []
    await uow.transaction()
    return await uow.preorders.open_waves({line.item_id for line in order.lines})


async def mark_preorders(
    uow: UnitOfWork, order: Order, waves: Sequence[Wave], country: str
) -> dict[int, int]:
    """Sequence the new order's lines that found no stock; return ``{line index: wave id}``.

    Each such line's ``preordered`` becomes its quantity, so it is written as waiting in a
    wave rather than as a backorder. A release schedule of the item for the order's country
    that names a location keeps its lines to the waves there.
    """
    candidates = [
        Candidate(index, line.item_id, line.quantity)
        for index, line in enumerate(order.lines)
        if line.allocated == 0
    ]
    if not candidates or not waves:
        return {}
    location_of = await _schedule_locations(uow, {c.item_id for c in candidates}, country)
    placed = sequence(candidates, waves, location_of=location_of).waves
    for index in placed:
        order.lines[index].preordered = order.lines[index].quantity
    return placed


async def _schedule_locations(uow: UnitOfWork, item_ids: set[int], country: str) -> dict[int, int]:
    code = country.strip().upper()
    if not code:
        return {}
    return {
        s.item_id: s.location_id
        for s in await uow.preorders.schedules_of(item_ids)
        if s.country == code and s.location_id is not None
    }


async def write_places(
    uow: UnitOfWork, order: Order, placed: Mapping[int, int], waves: Sequence[Wave], country: str
) -> None:
    """Record the placed order's lines in their waves (after the order is written)."""
    if not placed:
        return
    now = utcnow()
    by_id = {wave.id: wave for wave in waves}
    rows = []
    for index, wave_id in sorted(placed.items()):
        wave, line = by_id[wave_id], order.lines[index]
        rows.append(
            SequencedLine(
                0, wave_id, order.id, line.id, wave.next_position, line.quantity, country=country
            )
        )
        wave.next_position += 1
    await uow.preorders.add_lines(rows, now)
    await uow.orders.save_lines(order.lines, hold=order.hold)
    touched = [by_id[wave_id] for wave_id in sorted(set(placed.values()))]
    for wave in touched:
        await uow.preorders.save_wave(wave, now)
    await set_holds(uow, touched)


async def free_places(uow: UnitOfWork, orders: Sequence[Order]) -> None:
    """Give back the wave places of units the orders' lines no longer pre-order (cancelled).

    Positions do not move: the next line sequenced takes a new, later one.
    """
    places = [p for p in await uow.preorders.lines_of_orders([o.id for o in orders]) if p.quantity]
    keep = {line.id: line.preordered for order in orders for line in order.lines}
    freed: dict[int, int] = {}
    changed = []
    for place in places:
        wanted = keep.get(place.order_line_id, 0)
        if place.quantity > wanted:
            freed[place.wave_id] = freed.get(place.wave_id, 0) + place.quantity - wanted
            place.quantity = wanted
            changed.append(place)
    if not changed:
        return
    waves = await uow.preorders.waves(freed)
    for wave in waves.values():
        wave.sequenced -= freed[wave.id]
        await uow.preorders.save_wave(wave, utcnow())
    await uow.preorders.save_lines(changed)
    await set_holds(uow, waves.values())


def unplace(
    places: Sequence[SequencedLine], waves: Mapping[int, Wave], orders: Mapping[int, Order]
) -> None:
    """Take lines out of their waves: places freed, their units waiting as backorders."""
    for place in places:
        waves[place.wave_id].sequenced -= place.quantity
        for line in orders[place.order_id].lines:
            if line.id == place.order_line_id:
                line.preordered -= place.quantity
        place.quantity = 0


def _moved(
    places: Sequence[SequencedLine], candidates: Sequence[Candidate], waves: Sequence[Wave]
) -> list[SequencedLine]:
    placed = sequence(candidates, waves).waves
    by_id = {wave.id: wave for wave in waves}
    moved = []
    for index, wave_id in sorted(placed.items(), key=lambda pair: places[pair[0]].position):
        place, wave = places[index], by_id[wave_id]
        place.wave_id, place.position = wave_id, wave.next_position
        wave.next_position += 1
        moved.append(place)
    return moved


def move(
    places: Sequence[SequencedLine], item_of: Mapping[int, int], waves: Sequence[Wave]
) -> list[SequencedLine]:
    """Move lines, in position order, to the earliest of ``waves`` with room; return those moved.

    ``item_of`` maps each line's current wave to its item; the caller has taken the lines'
    units out of their current waves. A moved line takes the next position of its new wave
    (after the lines already there).
    """
    candidates = [
        Candidate(index, item_of[p.wave_id], p.quantity) for index, p in enumerate(places)
    ]
    return _moved(places, candidates, waves)


async def save_moves(
    uow: UnitOfWork,
    places: Sequence[SequencedLine],
    waves: Iterable[Wave],
    orders: Iterable[Order],
) -> None:
    """Write back places, waves, their holds and the orders' lines after moves or unplacing."""
    now = utcnow()
    touched = list(waves)
    for wave in touched:
        await uow.preorders.save_wave(wave, now)
    await uow.preorders.save_lines(places)
    for order in orders:
        await uow.orders.save_lines(order.lines, hold=order.hold)
    await set_holds(uow, touched)


async def leave_waves(uow: UnitOfWork, order: Order) -> None:
    """Take the order's lines out of their waves and forget their places (lines replaced)."""
    for line in order.lines:
        line.preordered = 0
    await free_places(uow, [order])
    await uow.preorders.forget_order(order.id)
