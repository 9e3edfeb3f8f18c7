"""Stock levels and the ledger of movements.

Stock moves only through atomic UPDATEs whose WHERE clause re-checks the quantity, taken in
(location, item) order, so that concurrent transactions never oversell (STYLE.md §2.6). Every
change appends a movement in the same transaction.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy import bindparam as bindparam_

from orderyard.domain.inventory import (
    BelowAllocatedError,
    CountChanges,
    Movement,
    MovementReason,
    StockLevel,
)
from orderyard.kit.clock import utcnow
from orderyard.store.repositories import stock_sets
from orderyard.store.repositories.base import upsert
from orderyard.store.repositories.stock_takes import StockTakes
from orderyard.store.stock_figures import AVAILABLE, raised_bypassed, settled_bypassed
from orderyard.store.tables import inventory_movements, stock_levels

CHUNK = 1000
Shortfalls = Mapping[tuple[int, int], int]
"""``{(location_id, item_id): units}``: how far a count falls below what is allocated there."""
ReleaseShortfalls = Callable[[Shortfalls], Awaitable[None]]
SET_TOGETHER_CHUNK = 10_000
"""Counts per set-based round on PostgreSQL: the progress bar moves ten times a 100,000-row
feed, and each round's arrays stay small (three statements per round either way)."""
INSERT_MOVEMENTS = insert(inventory_movements)
"""Every order placement runs these, so they are built once (bench/README.md)."""


SET_ON_HAND = (
    update(stock_levels)
    .where(
        stock_levels.c.account_id == bindparam_("at_account"),
        stock_levels.c.location_id == bindparam_("loc"),
        stock_levels.c.item_id == bindparam_("item"),
    )
    .values(
        on_hand=bindparam_("new_on_hand"),
        bypassed=settled_bypassed(stock_levels.c.allocated, bindparam_("new_on_hand")),
    )
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
        bypassed=m["bypassed"],
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


class StockRepository(StockTakes):
    """The account's stock levels and movements (taking stock: ``StockTakes``)."""

    def _at(self, location_id: int, item_id: int) -> ColumnElement[bool]:
        return and_(
            stock_levels.c.account_id == self.account_id,
            stock_levels.c.location_id == location_id,
            stock_levels.c.item_id == item_id,
        )

    async def release(
        self, location_id: int, item_id: int, quantity: int, *, lost: bool = False
    ) -> None:
        """Give back ``quantity`` allocated units.

        A promise withdrawn (a cancel, a reroute) shrinks the level's shortfall first
        (``stock_figures.settled_bypassed``): fewer units wait for the next receipt. ``lost``:
        the units go because on-hand stock was lost (a count below what on-hand backs); the
        shortfall stays, and the count that follows lowers on-hand by as much.
        """
        allocated = stock_levels.c.allocated - quantity
        values: dict[str, Any] = {"allocated": allocated}
        if not lost:
            values["bypassed"] = settled_bypassed(allocated, stock_levels.c.on_hand)
        await self.conn.execute(
            update(stock_levels).where(self._at(location_id, item_id)).values(values)
        )

    async def allocate_held(
        self, location_id: int, item_id: int, quantity: int, *, held: int | None
    ) -> bool:
        """Allocate ``quantity`` units that a hold of ``held`` reserved units waited for.

        The hold's own units do not count against it: the units are taken if the level's
        available (``stock_figures.AVAILABLE``) plus ``held`` covers them. ``held`` None
        allocates without that condition (a pre-order release that bypasses the inventory
        requirement): ``allocated`` may then pass ``on_hand``, and what it passes it by is
        the level's shortfall (``bypassed``, ``stock_figures.raised_bypassed``) until
        receipts pay it off. Returns whether the units were allocated.
        """
        allocated = stock_levels.c.allocated + quantity
        statement = update(stock_levels).where(self._at(location_id, item_id))
        if held is None:
            statement = statement.values(
                allocated=allocated, bypassed=raised_bypassed(allocated, stock_levels.c.on_hand)
            )
        else:
            statement = statement.values(allocated=allocated).where(AVAILABLE + held >= quantity)
        return (await self.conn.execute(statement)).rowcount == 1

    async def ship_out(self, location_id: int, item_id: int, quantity: int) -> bool:
        """Allocated units leave: on-hand and allocated both drop (the shortfall stays).

        Returns False, changing nothing, when fewer than ``quantity`` units are on hand
        (units a bypass release allocated ahead of their stock).
        """
        result = await self.conn.execute(
            update(stock_levels)
            .where(self._at(location_id, item_id), stock_levels.c.on_hand >= quantity)
            .values(
                on_hand=stock_levels.c.on_hand - quantity,
                allocated=stock_levels.c.allocated - quantity,
            )
        )
        return result.rowcount == 1

    async def add_on_hand(self, location_id: int, item_id: int, quantity: int) -> None:
        """Raise (or, with a negative quantity, lower) on-hand, creating the level if needed.

        A rise pays off the level's shortfall first (``stock_figures.settled_bypassed``).
        """
        statement = upsert(self.conn, stock_levels).values(
            account_id=self.account_id, location_id=location_id, item_id=item_id, on_hand=quantity
        )
        on_hand = stock_levels.c.on_hand + statement.excluded.on_hand
        await self.conn.execute(
            statement.on_conflict_do_update(
                index_elements=["account_id", "item_id", "location_id"],
                set_={
                    "on_hand": on_hand,
                    "bypassed": settled_bypassed(stock_levels.c.allocated, on_hand),
                },
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

        A count below what on-hand backs at its level (``allocated - bypassed``: stock was
        lost) calls ``release`` with the chunk's shortfalls once their levels are locked and
        before any is set: it must lower each level's allocated by its shortfall, leaving the
        level's ``bypassed`` as it is (the check constraint ``allocated <= on_hand +
        bypassed`` holds at every statement). A count above on-hand pays off the level's
        ``bypassed`` first (``stock_figures.settled_bypassed``).

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
            (loc, item, wanted[(loc, item)], level.allocated - level.bypassed)
            for (loc, item), level in sorted(current.items())
            if wanted[(loc, item)] < level.allocated - level.bypassed
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
