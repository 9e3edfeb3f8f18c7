"""Returns and their lines (the write side)."""

from sqlalchemy import bindparam as param
from sqlalchemy import delete, insert, select, update

from orderyard.domain.attribute import OwnerType
from orderyard.domain.returns import Return, ReturnLine, ReturnOutcome, ReturnStatus
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import attributes, return_lines, returns


class ReturnRepository(TenantRepository):
    """The account's returns."""

    async def add(self, ret: Return) -> int:
        """Insert the return and its lines; set their ids and return the return id."""
        now = utcnow()
        ret.created_at = now
        ret.id = (
            await self.conn.execute(
                insert(returns)
                .values(
                    account_id=self.account_id,
                    order_id=ret.order_id,
                    location_id=ret.location_id,
                    status=ret.status.value,
                    outcome=ret.outcome.value if ret.outcome else "",
                    created_at=now,
                    updated_at=now,
                )
                .returning(returns.c.id)
            )
        ).scalar_one()
        await self._insert_lines(ret)
        return ret.id

    async def replace_lines(self, ret: Return, old_line_ids: list[int]) -> None:
        """Put the return's new lines in place of the old ones, whose custom fields go too."""
        if old_line_ids:
            await self.conn.execute(
                delete(attributes).where(
                    attributes.c.account_id == self.account_id,
                    attributes.c.owner_type == OwnerType.return_line.value,
                    attributes.c.owner_id.in_(old_line_ids),
                )
            )
            await self.conn.execute(
                delete(return_lines).where(
                    return_lines.c.account_id == self.account_id,
                    return_lines.c.id.in_(old_line_ids),
                )
            )
        await self._insert_lines(ret)

    async def _insert_lines(self, ret: Return) -> None:
        result = await self.conn.execute(
            insert(return_lines).returning(return_lines.c.id, sort_by_parameter_order=True),
            [
                {
                    "account_id": self.account_id,
                    "return_id": ret.id,
                    "order_line_id": line.order_line_id,
                    "item_id": line.item_id,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "reason": line.reason,
                }
                for line in ret.lines
            ],
        )
        for line, line_id in zip(ret.lines, result.scalars(), strict=True):
            line.id = line_id

    async def order_id_of(self, return_id: int) -> int | None:
        """The order a return belongs to, or None when there is no such return."""
        return (
            await self.conn.execute(
                select(returns.c.order_id).where(
                    returns.c.account_id == self.account_id, returns.c.id == return_id
                )
            )
        ).scalar_one_or_none()

    async def load(self, return_id: int) -> Return | None:
        """The return with its lines, or None."""
        row = (
            await self.conn.execute(
                select(returns).where(
                    returns.c.account_id == self.account_id, returns.c.id == return_id
                )
            )
        ).one_or_none()
        if row is None:
            return None
        lines = await self.conn.execute(
            select(return_lines)
            .where(return_lines.c.account_id == self.account_id, return_lines.c.return_id == row.id)
            .order_by(return_lines.c.id)
        )
        return Return(
            id=row.id,
            order_id=row.order_id,
            status=ReturnStatus(row.status),
            lines=[
                ReturnLine(
                    order_line_id=line.order_line_id,
                    item_id=line.item_id,
                    sku=line.sku,
                    quantity=line.quantity,
                    reason=line.reason,
                    good=line.received_good,
                    damaged=line.received_damaged,
                    id=line.id,
                )
                for line in lines
            ],
            outcome=ReturnOutcome(row.outcome) if row.outcome else None,
            location_id=row.location_id,
            created_at=row.created_at,
        )

    async def save(self, ret: Return) -> None:
        """Write back the status, outcome, receiving location and every line's count."""
        await self.conn.execute(
            update(returns)
            .where(returns.c.account_id == self.account_id, returns.c.id == ret.id)
            .values(
                status=ret.status.value,
                outcome=ret.outcome.value if ret.outcome else "",
                location_id=ret.location_id,
                updated_at=utcnow(),
            )
        )
        await self.conn.execute(
            update(return_lines)
            .where(
                return_lines.c.account_id == self.account_id,
                return_lines.c.id == param("line_id"),
            )
            .values(received_good=param("good"), received_damaged=param("damaged")),
            [{"line_id": ln.id, "good": ln.good, "damaged": ln.damaged} for ln in ret.lines],
        )
