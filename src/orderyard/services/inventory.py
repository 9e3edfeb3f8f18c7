"""Stock use cases: set counted on-hand quantities (feeds, imports) and allocate backorders.

A count is the truth about what is on the shelf, so it is accepted even below what is
allocated there (stock was lost): the shortfall is taken back from the newest allocations at
that level, and their lines are allocated again by the account's strategy, elsewhere if stock
allows, else they wait as backorders (oldest order first, like every backorder).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from orderyard.domain.allocation.policy import AllocationStrategy
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.allocation import allocate_backorders, release_shortfalls
from orderyard.services.retry import retried_on_lock_cycles
from orderyard.store.repositories.stock import Shortfalls
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
    orders_released: int = 0
    """Orders whose allocation a count below it took back (some may be allocated again)."""


class CountRowError(InvalidRequestError):
    """A row of a feed is refused; it names the row so that each caller can say where.

    ``message`` names the line (``line 3: ...``, a file's words); ``reason`` says the same
    without it, and ``earlier`` is the line a repeated (location, SKU) was first counted on.
    """

    def __init__(self, line: int, field: str, reason: str, *, earlier: int | None = None) -> None:
        where = "" if earlier is None else f" already set on line {earlier}"
        super().__init__(f"line {line}: {reason}{where}", field=field)
        self.line = line
        self.reason = reason
        self.earlier = earlier


@retried_on_lock_cycles
async def set_on_hand(
    uow: UnitOfWork,
    rows: Sequence[OnHandRow],
    *,
    reference: str = "on-hand feed",
    progress: Callable[[int], None] | None = None,
) -> OnHandResult:
    """Set on-hand for every row, record the ledger, then allocate waiting backorders.

    All or nothing: a bad row fails the whole feed and nothing of it is applied. A count
    below what is allocated releases the shortfall from the newest allocations there first.

    Raises:
        CountRowError: a row names an unknown location or SKU, repeats a (location, SKU)
            pair, or has a negative quantity.
    """
    async with uow:
        locations = await uow.locations.ids_by_code({r.location for r in rows})
        items = await uow.catalog.item_ids({r.sku for r in rows})
        counts = _validated(rows, locations, items)
        released: set[int] = set()
        released_items: set[int] = set()

        async def release(shortfalls: Shortfalls) -> None:
            released.update(await release_shortfalls(uow, shortfalls, reference=reference))
            released_items.update(item for _, item in shortfalls)

        changes = await uow.stock.set_on_hand(
            counts, reference=reference, progress=progress, release=release
        )
        account = await uow.accounts.get(uow.account_id)
        served = await allocate_backorders(
            uow,
            changes.raised_items | released_items,
            AllocationStrategy(account.allocation_strategy),
        )
        await uow.events.record(
            "on_hand_set",
            "account",
            uow.account_id,
            {"rows": len(rows), "reference": reference, "orders_released": len(released)},
        )
        await uow.commit()
    return OnHandResult(
        rows=len(rows),
        changed=changes.changed,
        orders_allocated=len(served),
        orders_released=len(released),
    )


def _validated(
    rows: Sequence[OnHandRow], locations: dict[str, int], items: dict[str, int]
) -> list[tuple[int, int, int]]:
    seen: dict[tuple[int, int], int] = {}
    counts: list[tuple[int, int, int]] = []
    for row in rows:
        refused = partial(CountRowError, row.line)
        key = level_of(row.line, row.location, row.sku, locations, items)
        if row.on_hand < 0:
            raise refused("on_hand", "on_hand must not be negative")
        if key in seen:
            raise refused("sku", f"{row.location}/{row.sku}", earlier=seen[key])
        seen[key] = row.line
        counts.append((*key, row.on_hand))
    return counts


def level_of(
    line: int, location: str, sku: str, locations: dict[str, int], items: dict[str, int]
) -> tuple[int, int]:
    """The ``(location_id, item_id)`` a row names, from the codes and SKUs resolved for it.

    Raises:
        CountRowError: the location or the SKU is unknown (named on the row's line).
    """
    if location not in locations:
        raise CountRowError(line, "location", f"unknown location {location!r}")
    if sku not in items:
        raise CountRowError(line, "sku", f"unknown SKU {sku!r}")
    return locations[location], items[sku]
