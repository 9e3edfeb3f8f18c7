"""Reservations and the reserved figures of their levels.

Every write here runs with the levels locked, in (location, item) order, and ends by
recounting them: the level's ``reserved`` becomes the sum of its reservations and
``reserved_expires_at`` their earliest expiry, read by a statement that starts after the
locks are held. A transaction that changed a reservation of those levels has committed by
then (it held the same lock), so the recount sees it: on PostgreSQL a recount inside the
locking statement would read the snapshot taken before the wait and could miss it.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, tuple_, update

from orderyard.domain.preorder import HOLD_PREFIX
from orderyard.domain.reservation import Level, Reservation
from orderyard.store.repositories.base import TenantRepository, upsert
from orderyard.store.tables import reservations, stock_levels


class ReservationRepository(TenantRepository):
    """The account's reservations."""

    async def lock(self, levels: Iterable[Level]) -> None:
        """Lock the existing levels among ``levels`` in (location, item) order."""
        ordered = sorted(set(levels))
        if not ordered:
            return
        await self.conn.execute(
            select(stock_levels.c.location_id)
            .where(
                stock_levels.c.account_id == self.account_id,
                tuple_(stock_levels.c.location_id, stock_levels.c.item_id).in_(ordered),
            )
            .order_by(stock_levels.c.location_id, stock_levels.c.item_id)
            .with_for_update()
        )

    async def settle(self, levels: Iterable[Level], now: datetime) -> set[int]:
        """Lock the levels, drop their reservations expired at ``now``, recount them.

        Returns the items whose levels had units freed: their waiting orders may now be
        served.
        """
        ordered = sorted(set(levels))
        if not ordered:
            return set()
        await self.lock(ordered)
        dropped = await self.conn.execute(
            delete(reservations)
            .where(
                reservations.c.account_id == self.account_id,
                tuple_(reservations.c.location_id, reservations.c.item_id).in_(ordered),
                reservations.c.expires_at <= now,
            )
            .returning(reservations.c.item_id)
        )
        freed = {item for (item,) in dropped}
        await self.recount(ordered)
        return freed

    async def held(self, levels: Iterable[Level]) -> list[Reservation]:
        """Every reservation of the levels (settle them first to leave out expired ones)."""
        ordered = sorted(set(levels))
        if not ordered:
            return []
        rows = await self.conn.execute(
            select(
                reservations.c.location_id,
                reservations.c.item_id,
                reservations.c.reference,
                reservations.c.quantity,
                reservations.c.expires_at,
            )
            .where(
                reservations.c.account_id == self.account_id,
                tuple_(reservations.c.location_id, reservations.c.item_id).in_(ordered),
            )
            .order_by(reservations.c.location_id, reservations.c.item_id, reservations.c.reference)
        )
        return [Reservation(*row) for row in rows]

    async def put(self, wanted: Sequence[Reservation], now: datetime) -> None:
        """Create or replace each reservation (quantity and expiry); quantity 0 removes it.

        The levels must be locked; ``recount`` them afterwards.
        """
        kept = [r for r in wanted if r.quantity > 0]
        await self.remove([(r.level, r.reference) for r in wanted if r.quantity == 0])
        if not kept:
            return
        statement = upsert(self.conn, reservations)
        await self.conn.execute(
            statement.on_conflict_do_update(
                index_elements=["account_id", "item_id", "location_id", "reference"],
                set_={
                    "quantity": statement.excluded.quantity,
                    "expires_at": statement.excluded.expires_at,
                    "updated_at": statement.excluded.updated_at,
                },
            ),
            [
                {
                    "account_id": self.account_id,
                    "location_id": r.location_id,
                    "item_id": r.item_id,
                    "reference": r.reference,
                    "quantity": r.quantity,
                    "expires_at": r.expires_at,
                    "created_at": now,
                    "updated_at": now,
                }
                for r in kept
            ],
        )

    async def remove(self, keys: Sequence[tuple[Level, str | None]]) -> int:
        """Delete reservations by (level, reference), or all of a level's for reference None.

        The levels must be locked; ``recount`` them afterwards. Returns how many were deleted.
        """
        removed = 0
        for (location_id, item_id), reference in keys:
            statement = delete(reservations).where(
                reservations.c.account_id == self.account_id,
                reservations.c.location_id == location_id,
                reservations.c.item_id == item_id,
            )
            if reference is not None:
                statement = statement.where(reservations.c.reference == reference)
            else:  # a pre-order wave's hold goes only with its wave (services/preorder)
                statement = statement.where(~reservations.c.reference.startswith(HOLD_PREFIX))
            removed += (await self.conn.execute(statement)).rowcount
        return removed

    async def recount(self, levels: Iterable[Level]) -> None:
        """Set each level's reserved and earliest expiry from its reservations.

        Only with the levels locked, in a statement after the lock (module docstring).
        """
        ordered = sorted(set(levels))
        if not ordered:
            return
        of_level = (
            (reservations.c.account_id == stock_levels.c.account_id)
            & (reservations.c.location_id == stock_levels.c.location_id)
            & (reservations.c.item_id == stock_levels.c.item_id)
        )
        await self.conn.execute(
            update(stock_levels)
            .where(
                stock_levels.c.account_id == self.account_id,
                tuple_(stock_levels.c.location_id, stock_levels.c.item_id).in_(ordered),
            )
            .values(
                reserved=select(func.coalesce(func.sum(reservations.c.quantity), 0))
                .where(of_level)
                .scalar_subquery(),
                reserved_expires_at=select(func.min(reservations.c.expires_at))
                .where(of_level)
                .scalar_subquery(),
            )
        )
