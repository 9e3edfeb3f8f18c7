"""Reservation use cases: hold units of a level aside, or give them back.

Rows are set all or nothing. Each level is locked and settled (its expired reservations
dropped) before it is checked, so a reservation is only ever granted units that are free at
that moment. Units a reservation gives back (lowered, removed, or expired) go to the orders
waiting for that SKU, oldest first, in the same transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import ConflictError, InvalidRequestError, NotFoundError
from orderyard.domain.preorder import HOLD_PREFIX
from orderyard.domain.reservation import (
    Level,
    Reservation,
    ReservationShortError,
    check_expiry,
    check_fits,
)
from orderyard.kit.clock import utcnow
from orderyard.services.allocation import allocate_backorders
from orderyard.services.inventory import CountRowError, level_of
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ReservationRow:
    """One reservation to set, with the line it came from (for error messages)."""

    line: int
    location: str
    sku: str
    quantity: int
    reference: str = ""
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReleaseRow:
    """A reservation to remove; ``reference`` None removes every reservation of the level."""

    line: int
    location: str
    sku: str
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class ReservationResult:
    """What a set of reservation changes did."""

    rows: int
    orders_allocated: int


class RowConflictError(ConflictError):
    """A row clashes with the stock it names (too few free units, nothing to remove)."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(f"line {line}: {reason}", field=field)
        self.line = line
        self.reason = reason


class RowNotFoundError(NotFoundError):
    """A row names a reservation that does not exist."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(f"line {line}: {reason}", field=field)
        self.line = line
        self.reason = reason


@retried_on_lock_cycles
async def reserve(uow: UnitOfWork, rows: Sequence[ReservationRow]) -> ReservationResult:
    """Create or replace the reservations (quantity 0 removes one), all or nothing.

    Raises:
        CountRowError: a row names an unknown location or SKU, repeats a (location, SKU,
            reference), has a negative quantity, or an expiry already past.
        RowConflictError: a level has fewer free units than its reservations ask.
    """
    async with uow:
        now = utcnow()
        levels = await _levels_of(uow, rows)
        wanted = _wanted(rows, levels, now)
        touched = sorted(set(levels.values()))
        freed = await uow.reservations.settle(touched, now)
        before = {(r.level, r.reference): r.quantity for r in await uow.reservations.held(touched)}
        try:
            check_fits(wanted, await uow.stock.levels(touched), before)
        except ReservationShortError as short:
            row = next(r for r in rows if levels[r.line] == short.level)
            reason = f"only {short.free} units of {row.sku!r} at {row.location!r} are free"
            raise RowConflictError(row.line, "quantity", reason) from None
        await uow.reservations.put(wanted, now)
        await uow.reservations.recount(touched)
        lowered = {r.item_id for r in wanted if r.quantity < before.get((r.level, r.reference), 0)}
        served = await _serve_waiting(uow, freed | lowered)
        await uow.events.record("reservations_set", "account", uow.account_id, {"rows": len(rows)})
        await uow.commit()
    return ReservationResult(rows=len(rows), orders_allocated=served)


@retried_on_lock_cycles
async def release(uow: UnitOfWork, rows: Sequence[ReleaseRow]) -> ReservationResult:
    """Remove the reservations the rows name, all or nothing, and serve waiting orders.

    Raises:
        CountRowError: a row names an unknown location or SKU.
        RowNotFoundError: a row names no running reservation.
    """
    async with uow:
        now = utcnow()
        levels = await _levels_of(uow, rows)
        touched = sorted(set(levels.values()))
        freed = await uow.reservations.settle(touched, now)
        running = {
            (r.level, r.reference)
            for r in await uow.reservations.held(touched)
            if not r.reference.startswith(HOLD_PREFIX)
        }
        for row in rows:
            level = levels[row.line]
            if not any(key[0] == level and row.reference in (None, key[1]) for key in running):
                raise RowNotFoundError(row.line, "reference", _no_reservation(row))
        await uow.reservations.remove([(levels[r.line], r.reference) for r in rows])
        await uow.reservations.recount(touched)
        served = await _serve_waiting(uow, freed | {item for _, item in touched})
        await uow.events.record(
            "reservations_released", "account", uow.account_id, {"rows": len(rows)}
        )
        await uow.commit()
    return ReservationResult(rows=len(rows), orders_allocated=served)


def _no_reservation(row: ReleaseRow) -> str:
    of = f"{row.sku!r} at {row.location!r}"
    if row.reference is None:
        return f"no reservation of {of}"
    return f"no reservation of {of} with reference {row.reference!r}"


async def _levels_of(
    uow: UnitOfWork, rows: Sequence[ReservationRow] | Sequence[ReleaseRow]
) -> dict[int, Level]:
    """Each row's level by its line; refuse unknown locations and SKUs."""
    locations = await uow.locations.ids_by_code({r.location for r in rows})
    items = await uow.catalog.item_ids({r.sku for r in rows})
    return {row.line: level_of(row.line, row.location, row.sku, locations, items) for row in rows}


def _wanted(
    rows: Sequence[ReservationRow], levels: dict[int, Level], now: datetime
) -> list[Reservation]:
    seen: dict[tuple[Level, str], int] = {}
    wanted: list[Reservation] = []
    for row in rows:
        refused = partial(CountRowError, row.line)
        if row.quantity < 0:
            raise refused("quantity", "quantity must not be negative")
        if row.reference.startswith(HOLD_PREFIX):
            raise refused("reference", f"references starting {HOLD_PREFIX!r} are pre-order holds")
        try:
            check_expiry(row.expires_at, now)
        except InvalidRequestError as past:
            raise refused("expires_at", past.message) from None
        key = (levels[row.line], row.reference)
        if key in seen:
            raise refused(
                "reference", f"{row.location}/{row.sku}/{row.reference!r}", earlier=seen[key]
            )
        seen[key] = row.line
        location_id, item_id = key[0]
        wanted.append(
            Reservation(location_id, item_id, row.reference, row.quantity, row.expires_at)
        )
    return wanted


async def _serve_waiting(uow: UnitOfWork, items: set[int]) -> int:
    if not items:
        return 0
    account = await uow.accounts.get(uow.account_id)
    served = await allocate_backorders(uow, items, AllocationStrategy(account.allocation_strategy))
    return len(served)
