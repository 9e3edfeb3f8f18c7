"""Pre-order waves: plan, change, read and delete them.

Changing a wave never moves a line: more planned units are room for the next orders, fewer
may not go below what it already holds (sequenced plus released), a new release date orders
it among the item's waves for the next orders. Deleting a wave moves its lines, in position
order, to the item's other open waves with room (each taking the next position there); the
rest wait as ordinary backorders, served at once if stock is free. A wave with released units
cannot be deleted.
"""

from dataclasses import dataclass
from datetime import datetime

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.preorder import (
    Wave,
    check_deletable,
    check_future,
    check_planned,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.allocation import allocate_backorders
from orderyard.services.preorder.sequencing import move, save_moves, unplace
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.queries.preorder import WaveFilter, WaveView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["NewWave", "WaveFilter", "WavePatch", "WaveView"]


@dataclass(frozen=True, slots=True)
class NewWave:
    """A wave to plan: the item by SKU, the location by internal name."""

    sku: str
    location_code: str
    planned: int
    release_at: datetime
    external_id: str = ""


@dataclass(frozen=True, slots=True)
class WavePatch:
    """Changes to a wave; None leaves a field as it is."""

    planned: int | None = None
    release_at: datetime | None = None
    external_id: str | None = None


def wave_missing(wave_id: int) -> NotFoundError:
    """The refusal of a wave id that is not the account's."""
    return NotFoundError(f"wave {wave_id} not found", field="wave")


async def item_id_of(uow: UnitOfWork, sku: str) -> int:
    """The id of the item of this SKU.

    Raises:
        InvalidRequestError: no such item in the account.
    """
    found = (await uow.catalog.item_ids([sku])).get(sku)
    if found is None:
        raise InvalidRequestError(f"unknown SKU {sku!r}", field="wave_item")
    return found


async def location_id_of(uow: UnitOfWork, code: str) -> int:
    """The id of the location of this internal name.

    Raises:
        InvalidRequestError: no such location in the account.
    """
    found = (await uow.locations.ids_by_code([code])).get(code)
    if found is None:
        raise InvalidRequestError(f"unknown location {code!r}", field="wave_location")
    return found


async def create_wave(uow: UnitOfWork, new: NewWave) -> WaveView:
    """Plan a wave of an item at a location.

    Raises:
        InvalidRequestError: an unknown SKU or location, a negative quantity, a past date.
    """
    now = utcnow()
    planned = check_planned(new.planned)
    release_at = check_future(new.release_at, now, field="release_at")
    async with uow:
        item_id = await item_id_of(uow, new.sku)
        location_id = await location_id_of(uow, new.location_code)
        wave = Wave(0, item_id, location_id, planned, release_at, new.external_id)
        await uow.preorders.add_wave(wave, now)
        await uow.events.record("preorder_wave_created", "preorder_wave", wave.id, {})
        await uow.commit()
    return WaveView(wave, new.sku, new.location_code)


async def update_wave(uow: UnitOfWork, wave_id: int, patch: WavePatch) -> WaveView:
    """Change a wave's plan (see the module docstring); return it as changed.

    Raises:
        NotFoundError: no such wave.
        InvalidRequestError: a quantity below what the wave holds, a past date.
    """
    now = utcnow()
    async with uow:
        wave = (await uow.preorders.waves([wave_id])).get(wave_id)
        if wave is None:
            raise wave_missing(wave_id)
        if patch.planned is not None:
            wave.planned = check_planned(patch.planned, wave)
        if patch.release_at is not None:
            wave.release_at = check_future(patch.release_at, now, field="release_at")
        if patch.external_id is not None:
            wave.external_id = patch.external_id
        await uow.preorders.save_wave(wave, now)
        sku, code = await uow.preorders.codes(wave.item_id, wave.location_id)
        await uow.events.record("preorder_wave_updated", "preorder_wave", wave.id, {})
        await uow.commit()
    return WaveView(wave, sku, code or "")


@retried_on_lock_cycles
async def delete_wave(uow: UnitOfWork, wave_id: int) -> None:
    """Delete a wave; its lines move to the item's other open waves or wait as backorders.

    Raises:
        NotFoundError: no such wave.
        ConflictError: the wave has released units.
    """
    async with uow:
        wave = (await uow.preorders.waves([wave_id])).get(wave_id)
        if wave is None:
            raise wave_missing(wave_id)
        check_deletable(wave)
        others = [w for w in await uow.preorders.open_waves([wave.item_id]) if w.id != wave_id]
        places = await uow.preorders.lines_in([wave_id])
        locked = await uow.orders.load_many(sorted({p.order_id for p in places}), for_update=True)
        moved = move(places, {wave_id: wave.item_id}, others)
        stay = [place for place in places if place not in moved]
        orders = {order.id: order for order in locked}
        unplace(stay, {wave_id: wave}, orders)
        wave.sequenced = 0
        await save_moves(uow, places, [wave, *others], orders.values())
        await uow.preorders.delete_wave(wave_id)
        if stay:
            account = await uow.accounts.get(uow.account_id)
            strategy = AllocationStrategy(account.allocation_strategy)
            await allocate_backorders(uow, {wave.item_id}, strategy)
        await uow.events.record(
            "preorder_wave_deleted", "preorder_wave", wave_id, {"moved": len(moved)}
        )
        await uow.commit()


async def get_wave(uow: ReadUnitOfWork, wave_id: int) -> WaveView:
    """One wave.

    Raises:
        NotFoundError: no such wave in the account.
    """
    async with uow:
        found = await uow.preorders.wave(wave_id)
    if found is None:
        raise wave_missing(wave_id)
    return found


async def list_waves(uow: ReadUnitOfWork, where: WaveFilter, page: PageRequest) -> Page[WaveView]:
    """A page of waves, oldest first, narrowed by external id, SKU and location."""
    async with uow:
        return await uow.preorders.waves_page(where, page)
