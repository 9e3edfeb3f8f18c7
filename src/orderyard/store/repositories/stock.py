"""Stock levels and the ledger of movements.

Stock moves only through atomic UPDATEs whose WHERE clause re-checks the quantity, taken in
(location, item) order, so that concurrent transactions never oversell (STYLE.md §2.6). Every
change appends a movement in the same transaction.
"""

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    func,
    insert,
    select,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy import bindparam as bindparam_

from orderyard.domain.allocation.geo import Coordinates, Point
from orderyard.domain.allocation.policy import Candidate, Take
from orderyard.domain.inventory import (
    BelowAllocatedError,
    CountChanges,
    Movement,
    MovementReason,
    StockLevel,
)
from orderyard.kit.clock import utcnow
from orderyard.store.driver import DriverStatement
from orderyard.store.repositories import stock_sets
from orderyard.store.repositories.base import TenantRepository, upsert
from orderyard.store.stock_figures import AVAILABLE, EXPIRED
from orderyard.store.tables import inventory_movements, locations, stock_levels
from orderyard.store.types import SCALE

CHUNK = 1000
Shortfalls = Mapping[tuple[int, int], int]
"""``{(location_id, item_id): units}``: how far a count falls below what is allocated there."""
ReleaseShortfalls = Callable[[Shortfalls], Awaitable[None]]
SET_TOGETHER_CHUNK = 10_000
"""Counts per set-based round on PostgreSQL: the progress bar moves ten times a 100,000-row
feed, and each round's arrays stay small (three statements per round either way)."""
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
    .join(locations, locations.c.id == stock_levels.c.location_id)
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
INSERT_MOVEMENTS = insert(inventory_movements)
"""Every order placement runs these, so they are built once (bench/README.md)."""
PG_CANDIDATES = DriverStatement(stock_sets.CANDIDATES)
"""The candidates of every order placement on PostgreSQL, on the driver when it can."""


SET_ON_HAND = (
    update(stock_levels)
    .where(
        stock_levels.c.account_id == bindparam_("at_account"),
        stock_levels.c.location_id == bindparam_("loc"),
        stock_levels.c.item_id == bindparam_("item"),
    )
    .values(on_hand=bindparam_("new_on_hand"))
)


def _level(row: Any) -> StockLevel:
    m = row._mapping
    return StockLevel(
        location_id=m["location_id"],
        item_id=m["item_id"],
        on_hand=m["on_hand"],
        allocated=m["allocated"],
        reserved=m["reserved"],
        safety_stock=m["safety_stock"],
    )


async def _released(
    below: Sequence[tuple[int, int, int, int]], release: ReleaseShortfalls | None
) -> None:
    """Have ``release`` give back the shortfall of each ``(location, item, count, allocated)``.

    Raises:
        BelowAllocatedError: there is a shortfall and nothing to release it.
    """
    if not below:
        return
    if release is None:
        raise BelowAllocatedError(*below[0])
    await release({(loc, item): allocated - count for loc, item, count, allocated in below})


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


class StockRepository(TenantRepository):
    """The account's stock levels and movements."""

    def _at(self, location_id: int, item_id: int) -> ColumnElement[bool]:
        return and_(
            stock_levels.c.account_id == self.account_id,
            stock_levels.c.location_id == location_id,
            stock_levels.c.item_id == item_id,
        )

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
            for start in range(0, len(ordered), SET_TOGETHER_CHUNK):
                taken |= await self._take_together(ordered[start : start + SET_TOGETHER_CHUNK])
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

    async def release(self, location_id: int, item_id: int, quantity: int) -> None:
        """Give back ``quantity`` allocated units."""
        await self.conn.execute(
            update(stock_levels)
            .where(self._at(location_id, item_id))
            .values(allocated=stock_levels.c.allocated - quantity)
        )

    async def ship_out(self, location_id: int, item_id: int, quantity: int) -> None:
        """Allocated units leave: on-hand and allocated both drop."""
        await self.conn.execute(
            update(stock_levels)
            .where(self._at(location_id, item_id))
            .values(
                on_hand=stock_levels.c.on_hand - quantity,
                allocated=stock_levels.c.allocated - quantity,
            )
        )

    async def add_on_hand(self, location_id: int, item_id: int, quantity: int) -> None:
        """Raise (or, with a negative quantity, lower) on-hand, creating the level if needed."""
        statement = upsert(self.conn, stock_levels).values(
            account_id=self.account_id, location_id=location_id, item_id=item_id, on_hand=quantity
        )
        await self.conn.execute(
            statement.on_conflict_do_update(
                index_elements=["account_id", "item_id", "location_id"],
                set_={"on_hand": stock_levels.c.on_hand + statement.excluded.on_hand},
            )
        )

    async def set_on_hand(
        self,
        counts: Sequence[tuple[int, int, int]],
        *,
        reference: str = "",
        progress: Callable[[int], None] | None = None,
        release: ReleaseShortfalls | None = None,
    ) -> CountChanges:
        """Set on-hand for ``(location_id, item_id, on_hand)`` rows and record the ledger.

        Rows are created if missing, then locked in (location, item) order, so two feeds
        touching the same levels cannot deadlock or lose an update. On PostgreSQL each chunk
        is three set-based statements (``stock_sets``); elsewhere, a few per chunk.

        A count below what is allocated at its level (stock was lost) calls ``release``
        with the chunk's shortfalls once their levels are locked and before any is set: it
        must lower each level's allocated by its shortfall (the check constraint
        ``allocated <= on_hand`` holds at every statement).

        Raises:
            BelowAllocatedError: a count is below what is allocated and ``release`` is None.
        """
        ordered = sorted(counts)
        together = self.conn.dialect.name == "postgresql"
        size = SET_TOGETHER_CHUNK if together else CHUNK
        changes = CountChanges()
        for start in range(0, len(ordered), size):
            chunk = ordered[start : start + size]
            if together:
                changes += await self._set_together(chunk, reference, release)
            else:
                changes += await self._set_chunk(chunk, reference, release)
            if progress is not None:
                progress(len(chunk))
        return changes

    async def _set_together(
        self,
        chunk: Sequence[tuple[int, int, int]],
        reference: str,
        release: ReleaseShortfalls | None,
    ) -> CountChanges:
        """One statement when every level is new (a first feed); three when any existed.

        The levels are not compared here row by row: the statements return counts and the
        items raised, so a chunk of 10,000 counts costs this process a few arrays, not
        10,000 tuples (bench/README.md, the feed).
        """
        params = self._counts(chunk, reference, utcnow())
        new = (await self.conn.execute(stock_sets.CREATE_COUNTED, params)).one()
        changes = CountChanges(new.changed, frozenset(new.raised or ()))
        if new.created == len(chunk):
            return changes
        below = (await self.conn.execute(stock_sets.LOCK_COUNTED, params)).all()
        await _released(
            [(row.location_id, row.item_id, row.on_hand, row.allocated) for row in below], release
        )
        updated = (await self.conn.execute(stock_sets.SET_COUNTED, params)).one()
        return changes + CountChanges(updated.changed, frozenset(updated.raised or ()))

    def _counts(
        self, counts: Sequence[tuple[int, int, int]], reference: str, now: datetime
    ) -> dict[str, object]:
        """The parameters of the ``stock_sets`` count statements: one array per column."""
        locations, items, on_hand = (list(column) for column in zip(*counts, strict=True))
        return {
            "account_id": self.account_id,
            "locations": locations,
            "items": items,
            "counts": on_hand,
            "reference": reference,
            "now": now,
        }

    async def _set_chunk(
        self,
        chunk: Sequence[tuple[int, int, int]],
        reference: str,
        release: ReleaseShortfalls | None,
    ) -> CountChanges:
        wanted = {(loc, item): on_hand for loc, item, on_hand in chunk}
        current = await self.levels(list(wanted), for_update=True)
        created = await self._create_levels([p for p in wanted if p not in current], wanted)
        if len(current) + len(created) < len(wanted):
            # Another transaction created some of these levels since we looked: lock them.
            late = [p for p in wanted if p not in current and p not in created]
            current.update(await self.levels(late, for_update=True))
        movements = [
            Movement(
                loc, item, MovementReason.on_hand_set, on_hand_delta=on_hand, reference=reference
            )
            for (loc, item), on_hand in created.items()
            if on_hand != 0
        ]
        below = [
            (loc, item, wanted[(loc, item)], level.allocated)
            for (loc, item), level in sorted(current.items())
            if wanted[(loc, item)] < level.allocated
        ]
        await _released(below, release)
        changes: list[dict[str, int]] = []
        for (loc, item), level in current.items():
            on_hand = wanted[(loc, item)]
            if on_hand != level.on_hand:
                changes.append({"loc": loc, "item": item, "new_on_hand": on_hand})
                movements.append(
                    Movement(
                        loc,
                        item,
                        MovementReason.on_hand_set,
                        on_hand_delta=on_hand - level.on_hand,
                        reference=reference,
                    )
                )
        if changes:
            await self.conn.execute(
                SET_ON_HAND, [{"at_account": self.account_id, **change} for change in changes]
            )
        await self.record(movements)
        return CountChanges.of(movements)

    async def _create_levels(
        self, pairs: Sequence[tuple[int, int]], wanted: dict[tuple[int, int], int]
    ) -> dict[tuple[int, int], int]:
        """Insert the levels that do not exist yet with their new on-hand; return those.

        A level that another transaction creates meanwhile is skipped (ON CONFLICT DO
        NOTHING) and is not returned: the caller locks it and updates it like any other.
        """
        if not pairs:
            return {}
        rows = [
            {
                "account_id": self.account_id,
                "location_id": loc,
                "item_id": item,
                "on_hand": wanted[(loc, item)],
            }
            for loc, item in pairs
        ]
        statement = (
            upsert(self.conn, stock_levels)
            .on_conflict_do_nothing()
            .returning(stock_levels.c.location_id, stock_levels.c.item_id)
        )
        result = await self.conn.execute(statement, rows)
        return {(loc, item): wanted[(loc, item)] for loc, item in result}

    async def levels(
        self, pairs: Sequence[tuple[int, int]], *, for_update: bool = False
    ) -> dict[tuple[int, int], StockLevel]:
        """Stock levels of ``(location_id, item_id)`` pairs; missing pairs are absent."""
        statement = select(stock_levels).where(
            stock_levels.c.account_id == self.account_id,
            tuple_(stock_levels.c.location_id, stock_levels.c.item_id).in_(list(pairs)),
        )
        if for_update:
            statement = statement.order_by(
                stock_levels.c.location_id, stock_levels.c.item_id
            ).with_for_update()
        rows = await self.conn.execute(statement)
        return {(row.location_id, row.item_id): _level(row) for row in rows}

    async def record(self, movements: Sequence[Movement]) -> None:
        """Append movements to the ledger."""
        if not movements:
            return
        now = utcnow()
        rows = [
            {
                "account_id": self.account_id,
                "location_id": m.location_id,
                "item_id": m.item_id,
                "reason": m.reason.value,
                "on_hand_delta": m.on_hand_delta,
                "allocated_delta": m.allocated_delta,
                "order_id": m.order_id,
                "reference": m.reference,
                "created_at": now,
            }
            for m in movements
        ]
        await self.conn.execute(INSERT_MOVEMENTS, rows[0] if len(rows) == 1 else rows)

    async def ledger_totals(self) -> dict[tuple[int, int], tuple[int, int]]:
        """Sum the ledger per level: ``{(location, item): (on_hand, allocated)}``."""
        rows = await self.conn.execute(
            select(
                inventory_movements.c.location_id,
                inventory_movements.c.item_id,
                func.sum(inventory_movements.c.on_hand_delta),
                func.sum(inventory_movements.c.allocated_delta),
            )
            .where(inventory_movements.c.account_id == self.account_id)
            .group_by(inventory_movements.c.location_id, inventory_movements.c.item_id)
        )
        return {(loc, item): (int(oh), int(al)) for loc, item, oh, al in rows}

    async def all_levels(self) -> dict[tuple[int, int], StockLevel]:
        """Every stock level of the account."""
        rows = await self.conn.execute(
            select(stock_levels).where(stock_levels.c.account_id == self.account_id)
        )
        return {(row.location_id, row.item_id): _level(row) for row in rows}
