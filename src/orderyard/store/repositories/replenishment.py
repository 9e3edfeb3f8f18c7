"""Replenishments and their lines (the write side)."""

from collections.abc import Sequence

from sqlalchemy import bindparam as param
from sqlalchemy import insert, select, update

from orderyard.domain.replenishment import Replenishment, ReplenishmentLine, ReplenishmentStatus
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import replenishment_lines, replenishments


class ReplenishmentRepository(TenantRepository):
    """The account's replenishments."""

    async def add(self, replenishment: Replenishment) -> int:
        """Insert the replenishment and its lines; set their ids and return its id."""
        now = utcnow()
        replenishment.created_at = now
        replenishment.id = (
            await self.conn.execute(
                insert(replenishments)
                .values(
                    account_id=self.account_id,
                    location_id=replenishment.location_id,
                    status=replenishment.status.value,
                    eta=replenishment.eta,
                    reference=replenishment.reference,
                    created_at=now,
                    updated_at=now,
                )
                .returning(replenishments.c.id)
            )
        ).scalar_one()
        await self._insert_lines(replenishment.id, replenishment.lines)
        return replenishment.id

    async def _insert_lines(
        self, replenishment_id: int, lines: Sequence[ReplenishmentLine]
    ) -> None:
        if not lines:
            return
        result = await self.conn.execute(
            insert(replenishment_lines).returning(
                replenishment_lines.c.id, sort_by_parameter_order=True
            ),
            [
                {
                    "account_id": self.account_id,
                    "replenishment_id": replenishment_id,
                    "item_id": line.item_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "received": line.received,
                }
                for line in lines
            ],
        )
        for line, line_id in zip(lines, result.scalars(), strict=True):
            line.id = line_id

    async def load(
        self, replenishment_id: int, *, for_update: bool = False
    ) -> Replenishment | None:
        """The replenishment with its lines, or None. ``for_update`` locks its row."""
        statement = select(replenishments).where(
            replenishments.c.account_id == self.account_id,
            replenishments.c.id == replenishment_id,
        )
        if for_update:
            statement = statement.with_for_update()
        row = (await self.conn.execute(statement)).one_or_none()
        if row is None:
            return None
        lines = await self.conn.execute(
            select(replenishment_lines)
            .where(
                replenishment_lines.c.account_id == self.account_id,
                replenishment_lines.c.replenishment_id == replenishment_id,
            )
            .order_by(replenishment_lines.c.id)
        )
        return Replenishment(
            id=row.id,
            location_id=row.location_id,
            status=ReplenishmentStatus(row.status),
            eta=row.eta,
            reference=row.reference,
            lines=[
                ReplenishmentLine(line.item_id, line.sku, line.quantity, line.received, line.id)
                for line in lines
            ],
            created_at=row.created_at,
        )

    async def save(self, replenishment: Replenishment) -> None:
        """Write back the header and the lines; lines without an id are inserted."""
        await self.conn.execute(
            update(replenishments)
            .where(
                replenishments.c.account_id == self.account_id,
                replenishments.c.id == replenishment.id,
            )
            .values(
                location_id=replenishment.location_id,
                status=replenishment.status.value,
                eta=replenishment.eta,
                reference=replenishment.reference,
                updated_at=utcnow(),
            )
        )
        stored = [line for line in replenishment.lines if line.id]
        if stored:
            await self.conn.execute(
                update(replenishment_lines)
                .where(
                    replenishment_lines.c.account_id == self.account_id,
                    replenishment_lines.c.id == param("line_id"),
                )
                .values(quantity=param("new_quantity"), received=param("new_received")),
                [
                    {"line_id": ln.id, "new_quantity": ln.quantity, "new_received": ln.received}
                    for ln in stored
                ],
            )
        await self._insert_lines(
            replenishment.id, [line for line in replenishment.lines if not line.id]
        )
