"""Release schedules: when (and from where) a country's pre-orders of an item are released.

A schedule's date replaces the wave's for the lines of orders shipping to its country: a
release of due pre-orders releases them on it. A schedule naming a location keeps the
country's new lines to the item's waves there. Updating a schedule with ``recalculate``
moves the country's lines still waiting elsewhere to the item's open waves at its location,
in position order, as far as they have room (the others stay where they are). Deleting one
follows its ``FallbackMode``.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import DuplicateError, NotFoundError
from orderyard.domain.preorder import FallbackMode, Schedule, check_country, check_future
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.services.allocation import allocate_backorders
from orderyard.services.preorder.sequencing import move, save_moves, unplace
from orderyard.services.preorder.waves import item_id_of, location_id_of
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.queries.preorder import ScheduleView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["FallbackMode", "NewSchedule", "SchedulePatch", "ScheduleView"]


@dataclass(frozen=True, slots=True)
class NewSchedule:
    """A schedule to create: the item by SKU, the location (optional) by internal name."""

    sku: str
    country: str
    release_at: datetime
    location_code: str | None = None


@dataclass(frozen=True, slots=True)
class SchedulePatch:
    """Changes to a schedule; None leaves a field as it is."""

    release_at: datetime | None = None
    location_code: str | None = None


def schedule_missing(schedule_id: int) -> NotFoundError:
    """The refusal of a schedule id that is not the account's."""
    return NotFoundError(f"release schedule {schedule_id} not found", field="release_schedule")


async def create_schedule(uow: UnitOfWork, new: NewSchedule) -> ScheduleView:
    """Create a schedule.

    Raises:
        InvalidRequestError: an unknown SKU or location, a bad country, a past date.
        DuplicateError: the item already has a schedule for the country.
    """
    now = utcnow()
    country = check_country(new.country)
    release_at = check_future(new.release_at, now, field="release_at")
    async with uow:
        item_id = await item_id_of(uow, new.sku)
        location_id = None
        if new.location_code is not None:
            location_id = await location_id_of(uow, new.location_code)
        if any(s.country == country for s in await uow.preorders.schedules_of([item_id])):
            raise DuplicateError(
                f"{new.sku!r} already has a release schedule for {country}", field="country"
            )
        schedule = Schedule(0, item_id, country, release_at, location_id, now, now)
        schedule = replace(schedule, id=await uow.preorders.add_schedule(schedule))
        await uow.events.record("preorder_schedule_created", "preorder_schedule", schedule.id, {})
        await uow.commit()
    return ScheduleView(schedule, new.sku, new.location_code)


@retried_on_lock_cycles
async def update_schedule(
    uow: UnitOfWork, schedule_id: int, patch: SchedulePatch, *, recalculate: bool
) -> ScheduleView:
    """Change a schedule; with ``recalculate``, move its country's lines (module docstring).

    Raises:
        NotFoundError: no such schedule.
        InvalidRequestError: an unknown location, a past date.
    """
    now = utcnow()
    async with uow:
        schedule = await uow.preorders.schedule(schedule_id)
        if schedule is None:
            raise schedule_missing(schedule_id)
        if patch.release_at is not None:
            check_future(patch.release_at, now, field="release_at")
            schedule = replace(schedule, release_at=patch.release_at)
        if patch.location_code is not None:
            location_id = await location_id_of(uow, patch.location_code)
            schedule = replace(schedule, location_id=location_id)
        schedule = replace(schedule, updated_at=now)
        await uow.preorders.save_schedule(schedule)
        moved = await _recalculate(uow, schedule) if recalculate else 0
        sku, code = await uow.preorders.codes(schedule.item_id, schedule.location_id)
        await uow.events.record(
            "preorder_schedule_updated", "preorder_schedule", schedule_id, {"moved": moved}
        )
        await uow.commit()
    return ScheduleView(schedule, sku, code)


async def _recalculate(uow: UnitOfWork, schedule: Schedule) -> int:
    """Move the country's lines waiting away from the schedule's location to waves there."""
    if schedule.location_id is None:
        return 0
    waves = await uow.preorders.waves_of_item(schedule.item_id, None)
    away = {w.id: w for w in waves if w.location_id != schedule.location_id}
    there = [w for w in waves if w.location_id == schedule.location_id]
    places = [p for p in await uow.preorders.lines_in(away) if p.country == schedule.country]
    if not places or not there:
        return 0
    previous = {id(p): away[p.wave_id] for p in places}
    moved = move(places, dict.fromkeys(away, schedule.item_id), there)
    for place in moved:
        previous[id(place)].sequenced -= place.quantity
    await save_moves(uow, moved, waves, [])
    return len(moved)


@retried_on_lock_cycles
async def delete_schedule(uow: UnitOfWork, schedule_id: int, fallback: FallbackMode) -> int:
    """Delete a schedule; return how many lines its fallback took out of their waves.

    ``Keep``: the country's lines stay sequenced and release with their waves' dates.
    ``Backorder``: they leave their waves (places freed) and wait as backorders.

    Raises:
        NotFoundError: no such schedule.
    """
    async with uow:
        schedule = await uow.preorders.schedule(schedule_id)
        if schedule is None:
            raise schedule_missing(schedule_id)
        await uow.preorders.delete_schedule(schedule_id)
        dropped = 0
        if fallback is FallbackMode.backorder:
            dropped = await _backorder(uow, schedule)
        await uow.events.record(
            "preorder_schedule_deleted",
            "preorder_schedule",
            schedule_id,
            {"fallback": fallback.value, "backordered": dropped},
        )
        await uow.commit()
    return dropped


async def _backorder(uow: UnitOfWork, schedule: Schedule) -> int:
    waves = {w.id: w for w in await uow.preorders.waves_of_item(schedule.item_id, None)}
    places = [p for p in await uow.preorders.lines_in(waves) if p.country == schedule.country]
    if not places:
        return 0
    locked = await uow.orders.load_many(sorted({p.order_id for p in places}), for_update=True)
    orders = {order.id: order for order in locked}
    unplace(places, waves, orders)
    await save_moves(uow, places, waves.values(), orders.values())
    account = await uow.accounts.get(uow.account_id)
    await allocate_backorders(
        uow, {schedule.item_id}, AllocationStrategy(account.allocation_strategy)
    )
    return len(places)


async def get_schedule(uow: ReadUnitOfWork, schedule_id: int) -> ScheduleView:
    """One schedule.

    Raises:
        NotFoundError: no such schedule in the account.
    """
    async with uow:
        found = await uow.preorders.schedule(schedule_id)
    if found is None:
        raise schedule_missing(schedule_id)
    return found


async def list_schedules(
    uow: ReadUnitOfWork, *, sku: str | None, country: str | None, page: PageRequest
) -> Page[ScheduleView]:
    """A page of schedules, oldest first, by SKU and country if given."""
    code = None if country is None else country.strip().upper()
    async with uow:
        return await uow.preorders.schedules_page(sku=sku, country=code, page=page)
