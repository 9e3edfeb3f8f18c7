"""Taking stock: the candidate levels of an allocation, and the conditional takes.

Every take is an atomic UPDATE whose WHERE clause re-checks the quantity, in (location, item)
order, so that concurrent transactions never oversell (STYLE.md §2.6). The levels a take
reads are the row's figures (``stock_figures.AVAILABLE``); a level that counts an expired
reservation is reported by ``candidates`` to be settled first.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BigInteger, func, select, type_coerce, update
from sqlalchemy import bindparam as bindparam_

from orderyard.domain.allocation.geo import Coordinates, Point
from orderyard.domain.allocation.policy import Candidate, Take
from orderyard.domain.inventory import StockLevel
from orderyard.kit.clock import utcnow
from orderyard.store.driver import DriverStatement
from orderyard.store.repositories import stock_sets
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.stock_figures import AVAILABLE, EXPIRED
from orderyard.store.tables import locations, stock_levels
from orderyard.store.types import SCALE

TAKE_TOGETHER_CHUNK = 10_000
"""Levels per set-based take on PostgreSQL (its arrays stay small)."""
EVERY_LEVEL = 2**62
"""A reach no stock can cover: every candidate level."""
TAKE_TOGETHER_FROM = 3
"""Levels from which the set-based take (two prebuilt statements, whatever the number of
levels) replaces one prebuilt UPDATE per level."""

CANDIDATES = (
    select(
        stock_levels.c.location_id,
        stock_levels.c.item_id,
        stock_levels.c.on_hand,
        stock_levels.c.allocated,
        stock_levels.c.reserved,
        stock_levels.c.safety_stock,
        locations.c.priority,
        EXPIRED.label("expired"),
        # as stored (ten-thousandths of a degree), as the PostgreSQL statement reads them
        type_coerce(locations.c.latitude, BigInteger).label("latitude"),
        type_coerce(locations.c.longitude, BigInteger).label("longitude"),
    )
    .join(
        locations,
        (locations.c.account_id == stock_levels.c.account_id)
        & (locations.c.id == stock_levels.c.location_id),
    )
    .where(
        stock_levels.c.account_id == bindparam_("account_id"),
        stock_levels.c.item_id.in_(bindparam_("item_ids", expanding=True)),
        (AVAILABLE > 0) | EXPIRED,
        locations.c.active.is_(True),
        locations.c.ships_orders.is_(True),
    )
)
_RANKED = CANDIDATES.add_columns(
    func.sum(AVAILABLE)
    .over(
        partition_by=stock_levels.c.item_id,
        order_by=(locations.c.priority, stock_levels.c.location_id),
        rows=(None, -1),
    )
    .label("before")
).subquery("ranked")
FIRST_CANDIDATES = select(*(c for c in _RANKED.c if c.name != "before")).where(
    func.coalesce(_RANKED.c.before, 0) < bindparam_("enough")
)
TAKE = (
    update(stock_levels)
    .where(
        stock_levels.c.account_id == bindparam_("at_account"),
        stock_levels.c.location_id == bindparam_("at_location"),
        stock_levels.c.item_id == bindparam_("at_item"),
        bindparam_("taking") <= AVAILABLE,
    )
    .values(allocated=stock_levels.c.allocated + bindparam_("taking"))
)
PG_CANDIDATES = DriverStatement(stock_sets.CANDIDATES)
"""The candidates of every order placement on PostgreSQL, on the driver when it can."""


def _position(latitude: int | None, longitude: int | None) -> Point:
    """A location's coordinates from their stored ten-thousandths of a degree."""
    if latitude is None or longitude is None:
        return None
    return Coordinates(latitude / SCALE, longitude / SCALE)


@dataclass(slots=True)
class CandidateRead:
    """The candidate levels of some items, and the levels among them to settle first."""

    by_item: dict[int, list[Candidate]] = field(default_factory=dict)
    expired: set[tuple[int, int]] = field(default_factory=set)


class StockTakes(TenantRepository):
    """Candidate levels and conditional takes of the account's stock."""

    async def candidates(
        self, item_ids: Iterable[int], *, first_by_priority: int | None = None
    ) -> CandidateRead:
        """Active, shipping locations with something available of each item, and where they are.

        ``first_by_priority``: per item, only the locations in priority order until the
        ones before hold at least this many units (what a by-priority plan can reach).
        A backorder batch over thousands of items stocked at 50 locations then reads a
        row or two per item instead of fifty.

        Levels that count a reservation expired by now come back in ``expired`` whatever
        they hold: their row understates what is available until they are settled
        (``ReservationRepository.settle``), which the caller does before planning.
        """
        params: dict[str, object] = {
            "account_id": self.account_id,
            "item_ids": list(set(item_ids)),
            "now": utcnow(),
        }
        rows: Iterable[Sequence[Any]]
        if self.conn.dialect.name == "postgresql":
            params["enough"] = EVERY_LEVEL if first_by_priority is None else first_by_priority
            rows = await PG_CANDIDATES.fetch(self.conn, params)
        elif first_by_priority is not None:
            params["enough"] = first_by_priority
            rows = await self.conn.execute(FIRST_CANDIDATES, params)
        else:
            rows = await self.conn.execute(CANDIDATES, params)
        read = CandidateRead()
        for (
            location_id, item_id, on_hand, allocated, reserved, safety, priority, expired,
            latitude, longitude,
        ) in rows:  # fmt: skip
            level = StockLevel(location_id, item_id, on_hand, allocated, reserved, safety)
            if expired:
                read.expired.add((location_id, item_id))
            elif level.available > 0:
                candidate = Candidate(level, priority, _position(latitude, longitude))
                read.by_item.setdefault(item_id, []).append(candidate)
        return read

    async def take(self, take: Take) -> bool:
        """Allocate ``take.quantity`` if it is still available; False if the race was lost."""
        params = {
            "at_account": self.account_id,
            "at_location": take.location_id,
            "at_item": take.item_id,
            "taking": take.quantity,
        }
        return (await self.conn.execute(TAKE, params)).rowcount == 1

    async def take_levels(self, wanted: Mapping[tuple[int, int], int]) -> set[tuple[int, int]]:
        """Allocate ``{(location_id, item_id): quantity}``, each level all or nothing.

        Returns the levels that were taken; a level whose stock went elsewhere meanwhile is
        left untouched. One conditional UPDATE per level in (location, item) order; on
        PostgreSQL, from ``TAKE_TOGETHER_FROM`` levels on, they are locked in that order by
        one SELECT and taken by one conditional UPDATE joined to the wanted quantities (a
        feed's backorders touch thousands of levels; an order, a handful).
        """
        ordered = sorted(wanted.items())
        if len(ordered) >= TAKE_TOGETHER_FROM and self.conn.dialect.name == "postgresql":
            taken: set[tuple[int, int]] = set()
            for start in range(0, len(ordered), TAKE_TOGETHER_CHUNK):
                taken |= await self._take_together(ordered[start : start + TAKE_TOGETHER_CHUNK])
            return taken
        return {
            (loc, item)
            for (loc, item), quantity in ordered
            if await self.take(Take(0, loc, item, quantity))
        }

    async def _take_together(
        self, ordered: Sequence[tuple[tuple[int, int], int]]
    ) -> set[tuple[int, int]]:
        params = {
            "account_id": self.account_id,
            "locations": [loc for (loc, _), _ in ordered],
            "items": [item for (_, item), _ in ordered],
            "quantities": [quantity for _, quantity in ordered],
        }
        await self.conn.execute(stock_sets.LOCK_WANTED, params)
        taken = await self.conn.execute(stock_sets.TAKE_WANTED, params)
        return {(loc, item) for loc, item in taken}
