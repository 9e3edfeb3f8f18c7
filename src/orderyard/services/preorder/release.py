"""Releasing pre-orders: a wave's sequenced lines allocated in position order.

A release takes the waves (locked first), then the orders waiting in them, then the stock
level of each wave. It allocates the lines while the level's free stock allows, the wave's
own hold and every other wave's hold there not counting against them (the units they wait
for), and stops at the first line that does not fit: the rest stay sequenced in order. A
line of a held order is passed over (it keeps its place). A bypass release allocates every
line without looking at on-hand: what ``allocated`` passes ``on_hand`` by becomes the level's
shortfall (``stock_levels.bypassed``, ``store/stock_figures.py``), shown as its negative
available until receipts pay it off; no other path may allocate beyond on-hand. A released
wave takes no new lines.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.order import Allocation, HoldState, Order
from orderyard.domain.preorder import (
    HOLD_PREFIX,
    SequencedLine,
    Wave,
    WaveStatus,
    hold_reference,
    releasable,
)
from orderyard.kit.clock import utcnow
from orderyard.services.allocation import open_shipments
from orderyard.services.preorder.holds import set_holds
from orderyard.services.preorder.waves import item_id_of, location_id_of
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ReleaseSelection:
    """Which waves a release takes.

    ``sku`` (and ``location_code``): every wave of the item (there), all lines now.
    ``wave_ids``: those waves, all lines now. Neither: every wave with lines waiting, only the
    lines whose release date (their country's schedule, else their wave's) has come.
    """

    sku: str | None = None
    location_code: str | None = None
    wave_ids: Sequence[int] = ()


@dataclass(slots=True)
class ReleasedWave:
    """What a release did to one wave."""

    wave: Wave
    units: int = 0
    lines: int = 0


@dataclass(slots=True)
class ReleaseOutcome:
    """What a release did, wave by wave."""

    waves: list[ReleasedWave] = field(default_factory=list)

    @property
    def units(self) -> int:
        """Units allocated in all."""
        return sum(w.units for w in self.waves)

    @property
    def lines(self) -> int:
        """Order lines allocated in all."""
        return sum(w.lines for w in self.waves)


@retried_on_lock_cycles
async def release_preorders(
    uow: UnitOfWork, selection: ReleaseSelection, *, bypass: bool = False
) -> ReleaseOutcome:
    """Release the selected waves' lines (module docstring); ``bypass``: without on-hand.

    Raises:
        InvalidRequestError: an unknown SKU or location.
        NotFoundError: a wave id that is not the account's.
    """
    now = utcnow()
    async with uow:
        waves, due = await _selected(uow, selection, now)
        outcome = await _release(uow, waves, due=due, bypass=bypass, now=now)
        await uow.events.record(
            "preorders_released",
            "account",
            uow.account_id,
            {"waves": [w.wave.id for w in outcome.waves], "units": outcome.units, "bypass": bypass},
        )
        await uow.commit()
    return outcome


async def _selected(
    uow: UnitOfWork, selection: ReleaseSelection, now: datetime
) -> tuple[list[Wave], Mapping[tuple[int, str], datetime] | None]:
    """The waves locked, and the schedules' dates when only due lines go."""
    if selection.sku is not None:
        item_id = await item_id_of(uow, selection.sku)
        location_id = None
        if selection.location_code is not None:
            location_id = await location_id_of(uow, selection.location_code)
        return await uow.preorders.waves_of_item(item_id, location_id), None
    if selection.wave_ids:
        found = await uow.preorders.waves(selection.wave_ids)
        for index, wave_id in enumerate(selection.wave_ids):
            if wave_id not in found:
                raise InvalidRequestError(f"wave {wave_id} not found", field=f"wave_ids[{index}]")
        return sorted(found.values(), key=lambda w: w.id), None
    waves = await uow.preorders.waiting_waves()
    schedules = await uow.preorders.schedules_of({w.item_id for w in waves})
    return waves, {(s.item_id, s.country): s.release_at for s in schedules}


async def _release(
    uow: UnitOfWork,
    waves: Sequence[Wave],
    *,
    due: Mapping[tuple[int, str], datetime] | None,
    bypass: bool,
    now: datetime,
) -> ReleaseOutcome:
    places = await uow.preorders.lines_in([w.id for w in waves])
    locked = await uow.orders.load_many(sorted({p.order_id for p in places}), for_update=True)
    orders = {order.id: order for order in locked}
    outcome = ReleaseOutcome()
    changed: dict[int, Order] = {}
    for wave in sorted(waves, key=lambda w: (w.release_at, w.id)):
        waiting = [
            p
            for p in places
            if p.wave_id == wave.id
            and orders[p.order_id].hold is HoldState.none
            and (due is None or due.get((wave.item_id, p.country), wave.release_at) <= now)
        ]
        done = await _release_wave(uow, wave, waiting, orders, bypass=bypass)
        if due is None or wave.release_at <= now:
            wave.status = WaveStatus.released
        for place in done:
            changed[place.order_id] = orders[place.order_id]
        outcome.waves.append(ReleasedWave(wave, sum(p.released for p in done), len(done)))
        await uow.preorders.save_wave(wave, now)
    await uow.preorders.save_lines([p for p in places if p.released])
    await set_holds(uow, waves)
    await _finish(uow, [changed[order_id] for order_id in sorted(changed)])
    return outcome


async def _release_wave(
    uow: UnitOfWork,
    wave: Wave,
    waiting: Sequence[SequencedLine],
    orders: Mapping[int, Order],
    *,
    bypass: bool,
) -> list[SequencedLine]:
    """Allocate what the wave's level allows of its waiting lines; return the lines served."""
    level = (wave.location_id, wave.item_id)
    free, held = None, None
    if not bypass:
        free, held = await _free_at(uow, level)
    chosen = releasable(waiting, free)
    total = sum(p.quantity for p in chosen)
    if not chosen:
        return []
    allocated = await uow.stock.allocate_held(*level, total, held=held)
    if not allocated:  # the level is locked and settled: this cannot happen
        raise RuntimeError(f"the stock of wave {wave.id} moved under its lock")
    wave.sequenced -= total
    wave.released += total
    rows, movements = [], []
    for place in chosen:
        for line in orders[place.order_id].lines:
            if line.id == place.order_line_id:
                line.allocated += place.quantity
                line.preordered -= place.quantity
        rows.append((place.order_id, Allocation(0, place.order_line_id, *level, place.quantity)))
        movements.append(
            Movement(
                *level,
                MovementReason.allocated,
                allocated_delta=place.quantity,
                order_id=place.order_id,
                reference=hold_reference(wave.id),
            )
        )
        place.released += place.quantity
        place.quantity = 0
    await uow.orders.add_allocations(rows)
    await uow.stock.record(movements)
    return list(chosen)


async def _free_at(uow: UnitOfWork, level: tuple[int, int]) -> tuple[int, int]:
    """The units a release may allocate at a level, and the waves' holds there.

    The level is locked and its expired reservations settled first.
    """
    await uow.reservations.settle([level], utcnow())
    current = (await uow.stock.levels([level])).get(level)
    if current is None:
        return 0, 0
    held = sum(
        r.quantity
        for r in await uow.reservations.held([level])
        if r.reference.startswith(HOLD_PREFIX)
    )
    others = current.reserved - held
    return max(0, current.on_hand - current.allocated - others - current.safety_stock), held


async def _finish(uow: UnitOfWork, orders: Sequence[Order]) -> None:
    """Save the orders served, and open their shipments if the account ships on allocation."""
    if not orders:
        return
    for order in orders:
        order.refresh_status()
    await uow.orders.save_progress(list(orders))
    if await uow.accounts.ships_on_allocation(uow.account_id):
        await open_shipments(uow, orders)
