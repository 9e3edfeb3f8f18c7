"""Replenishment use cases: announce inbound stock, change or receive it, cancel, read, list.

Receiving is an update that raises a line's cumulative ``received`` count: the increase goes
on hand at the replenishment's location with a ledger movement, and waiting backorders of
those items are allocated in the same transaction.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.inventory import Movement, MovementReason
from orderyard.domain.replenishment import (
    Replenishment,
    ReplenishmentItem,
    ReplenishmentStatus,
    apply_items,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.services.allocation import allocate_backorders
from orderyard.services.bulk import any_succeeded, attempt_each
from orderyard.store.queries.replenishment import ReplenishmentView
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

__all__ = ["PageRequest", "ReplenishmentItem", "ReplenishmentView"]

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class CreateReplenishment:
    """Announce stock coming to a location (given by code)."""

    location: str
    items: tuple[ReplenishmentItem, ...]
    eta: date | None = None
    reference: str = ""


@dataclass(frozen=True, slots=True)
class UpdateReplenishment:
    """Change a replenishment. ``None`` leaves a field as it is; items merge by SKU."""

    replenishment_id: int
    items: tuple[ReplenishmentItem, ...] = ()
    location: str | None = None
    eta: date | None = None
    reference: str | None = None
    cancel: bool = False


@dataclass(frozen=True, slots=True)
class ReplenishmentResult:
    """What became of one replenishment of a bulk call: its id and status, or an error."""

    index: int
    replenishment_id: int | None = None
    status: ReplenishmentStatus | None = None
    error: DomainError | None = None


Step = Callable[[UnitOfWork, C, AllocationStrategy], Awaitable[Replenishment]]


async def create_replenishments(
    uow: UnitOfWork, commands: Sequence[CreateReplenishment]
) -> list[ReplenishmentResult]:
    """Create each replenishment, receiving any units it already gives as received.

    A failing replenishment is reported and leaves no trace; the others are kept.
    """
    return await _each(uow, commands, _create)


async def update_replenishments(
    uow: UnitOfWork, commands: Sequence[UpdateReplenishment]
) -> list[ReplenishmentResult]:
    """Change, receive or cancel each replenishment; failing ones are reported, untouched."""
    return await _each(uow, commands, _update)


async def _each(uow: UnitOfWork, commands: Sequence[C], step: Step[C]) -> list[ReplenishmentResult]:
    """Run ``step`` for each command in its own savepoint; commit if any succeeded."""
    async with uow:
        account = await uow.accounts.get(uow.account_id)
        strategy = AllocationStrategy(account.allocation_strategy)
        attempts = await attempt_each(uow, commands, lambda command: step(uow, command, strategy))
        if any_succeeded(attempts):
            await uow.commit()
    return [
        ReplenishmentResult(a.index, a.value.id, a.value.status)
        if a.value is not None
        else ReplenishmentResult(a.index, error=a.error)
        for a in attempts
    ]


async def _create(
    uow: UnitOfWork, command: CreateReplenishment, strategy: AllocationStrategy
) -> Replenishment:
    """Create one replenishment.

    Raises:
        InvalidRequestError: an unregistered distribution center, no items, an unknown or
            repeated SKU, or a bad quantity.
    """
    if not command.items:
        raise InvalidRequestError("lines is required", field="lines")
    location_id = await _location_id(uow, command.location)
    replenishment = Replenishment(
        0, location_id, ReplenishmentStatus.pending, command.eta, command.reference
    )
    increases = apply_items(replenishment, command.items, await _item_ids(uow, command.items))
    replenishment.refresh_status()
    await uow.replenishments.add(replenishment)
    await _receive(uow, replenishment, increases, strategy)
    await uow.events.record(
        "replenishment_created", "replenishment", replenishment.id, {"status": replenishment.status}
    )
    return replenishment


async def _update(
    uow: UnitOfWork, command: UpdateReplenishment, strategy: AllocationStrategy
) -> Replenishment:
    """Apply one update: details, lines, receipts, then cancellation if asked.

    Raises:
        NotFoundError: no such replenishment in this account.
        InvalidRequestError: an unregistered distribution center, an unknown or repeated
            SKU, a bad quantity, or a received count that goes down.
        InvalidStateTransitionError: the replenishment is cancelled, its location changes
            after receipts, or a fully received one is cancelled.
    """
    replenishment = await uow.replenishments.load(command.replenishment_id, for_update=True)
    if replenishment is None:
        raise NotFoundError(
            f"replenishment {command.replenishment_id} not found", field="replenishment_id"
        )
    replenishment.check_open()
    if command.location is not None:
        replenishment.move_to(await _location_id(uow, command.location))
    if command.eta is not None:
        replenishment.eta = command.eta
    if command.reference is not None:
        replenishment.reference = command.reference
    increases = apply_items(replenishment, command.items, await _item_ids(uow, command.items))
    replenishment.refresh_status()
    if command.cancel:
        replenishment.cancel()
    await uow.replenishments.save(replenishment)
    await _receive(uow, replenishment, increases, strategy)
    await uow.events.record(
        "replenishment_updated", "replenishment", replenishment.id, {"status": replenishment.status}
    )
    return replenishment


async def _receive(
    uow: UnitOfWork,
    replenishment: Replenishment,
    increases: Mapping[int, int],
    strategy: AllocationStrategy,
) -> None:
    """Put newly received units on hand, record the ledger, then serve waiting backorders."""
    location = replenishment.location_id
    for item_id, quantity in sorted(increases.items()):
        await uow.stock.add_on_hand(location, item_id, quantity)
    await uow.stock.record(
        [
            Movement(
                location,
                item_id,
                MovementReason.received,
                on_hand_delta=quantity,
                reference=f"replenishment:{replenishment.id}",
            )
            for item_id, quantity in sorted(increases.items())
        ]
    )
    await allocate_backorders(uow, set(increases), strategy)


async def _location_id(uow: UnitOfWork, code: str) -> int:
    location = await uow.locations.find_by_code(code)
    if location is None:
        raise InvalidRequestError(f"location {code!r} is not registered", field="location")
    return location.id


async def _item_ids(uow: UnitOfWork, items: Sequence[ReplenishmentItem]) -> dict[str, int]:
    return await uow.catalog.item_ids({item.sku for item in items}) if items else {}


async def get_replenishment(uow: ReadUnitOfWork, replenishment_id: int) -> ReplenishmentView:
    """One replenishment with its lines.

    Raises:
        NotFoundError: no such replenishment in this account.
    """
    async with uow:
        view = await uow.replenishments.get(replenishment_id)
    if view is None:
        raise NotFoundError(f"replenishment {replenishment_id} not found", field="replenishment")
    return view


async def list_replenishments(uow: ReadUnitOfWork, page: PageRequest) -> Page[ReplenishmentView]:
    """A page of the account's replenishments, newest first."""
    async with uow:
        return await uow.replenishments.page(page)
