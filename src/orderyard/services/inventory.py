"""Stock use cases: set counted on-hand quantities (feeds, imports) and allocate backorders."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.inventory import BelowAllocatedError
from orderyard.services.allocation import allocate_backorders
from orderyard.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class OnHandRow:
    """One counted quantity, with the line it came from (for error messages)."""

    line: int
    location: str
    sku: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class OnHandResult:
    """What an on-hand feed changed."""

    rows: int
    changed: int
    orders_allocated: int


async def set_on_hand(
    uow: UnitOfWork,
    rows: Sequence[OnHandRow],
    *,
    reference: str = "on-hand feed",
    progress: Callable[[int], None] | None = None,
) -> OnHandResult:
    """Set on-hand for every row, record the ledger, then allocate waiting backorders.

    All or nothing: a bad row fails the whole feed and nothing of it is applied.

    Raises:
        InvalidRequestError: a row names an unknown location or SKU, repeats a
            (location, SKU) pair, has a negative quantity, or counts less than is allocated.
    """
    async with uow:
        locations = await uow.locations.ids_by_code({r.location for r in rows})
        items = await uow.catalog.item_ids({r.sku for r in rows})
        counts = _validated(rows, locations, items)
        try:
            changes = await uow.stock.set_on_hand(counts, reference=reference, progress=progress)
        except BelowAllocatedError as below:
            raise _named(below, rows, locations, items) from None
        account = await uow.accounts.get(uow.account_id)
        served = await allocate_backorders(
            uow, changes.raised_items, AllocationStrategy(account.allocation_strategy)
        )
        await uow.events.record(
            "on_hand_set", "account", uow.account_id, {"rows": len(rows), "reference": reference}
        )
        await uow.commit()
    return OnHandResult(rows=len(rows), changed=changes.changed, orders_allocated=len(served))


def _named(
    below: BelowAllocatedError,
    rows: Sequence[OnHandRow],
    locations: dict[str, int],
    items: dict[str, int],
) -> InvalidRequestError:
    """The refusal in the feed's own words: its line, location code and SKU."""
    row = next(
        r
        for r in rows
        if (locations[r.location], items[r.sku]) == (below.location_id, below.item_id)
    )
    return InvalidRequestError(
        f"line {row.line}: {row.location}/{row.sku}: {below.message}", field="on_hand"
    )


def _validated(
    rows: Sequence[OnHandRow], locations: dict[str, int], items: dict[str, int]
) -> list[tuple[int, int, int]]:
    seen: dict[tuple[int, int], int] = {}
    counts: list[tuple[int, int, int]] = []
    for row in rows:
        where = f"line {row.line}: "
        if row.location not in locations:
            raise InvalidRequestError(f"{where}unknown location {row.location!r}", field="location")
        if row.sku not in items:
            raise InvalidRequestError(f"{where}unknown SKU {row.sku!r}", field="sku")
        if row.on_hand < 0:
            raise InvalidRequestError(f"{where}on_hand must not be negative", field="on_hand")
        key = (locations[row.location], items[row.sku])
        if key in seen:
            raise InvalidRequestError(
                f"{where}{row.location}/{row.sku} already set on line {seen[key]}", field="sku"
            )
        seen[key] = row.line
        counts.append((*key, row.on_hand))
    return counts
