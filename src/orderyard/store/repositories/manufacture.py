"""Manufacture orders (the write side)."""

from sqlalchemy import insert, select, update

from orderyard.domain.manufacture import ManufactureOrder, ManufactureStatus
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import manufacture_orders


class ManufactureRepository(TenantRepository):
    """The account's manufacture orders."""

    async def add(self, order: ManufactureOrder) -> int:
        """Insert the manufacture order; set and return its id."""
        order.created_at = utcnow()
        order.id = (
            await self.conn.execute(
                insert(manufacture_orders)
                .values(
                    account_id=self.account_id,
                    location_id=order.location_id,
                    item_id=order.item_id,
                    sku=order.sku,
                    quantity=order.quantity,
                    status=order.status.value,
                    created_at=order.created_at,
                )
                .returning(manufacture_orders.c.id)
            )
        ).scalar_one()
        return order.id

    async def load(self, order_id: int, *, for_update: bool = False) -> ManufactureOrder | None:
        """The manufacture order, or None. ``for_update`` locks its row."""
        statement = select(manufacture_orders).where(
            manufacture_orders.c.account_id == self.account_id,
            manufacture_orders.c.id == order_id,
        )
        if for_update:
            statement = statement.with_for_update()
        row = (await self.conn.execute(statement)).one_or_none()
        if row is None:
            return None
        return ManufactureOrder(
            id=row.id,
            location_id=row.location_id,
            item_id=row.item_id,
            sku=row.sku,
            quantity=row.quantity,
            status=ManufactureStatus(row.status),
            created_at=row.created_at,
            completed_at=row.completed_at,
        )

    async def save(self, order: ManufactureOrder) -> None:
        """Write back the status and completion time."""
        await self.conn.execute(
            update(manufacture_orders)
            .where(
                manufacture_orders.c.account_id == self.account_id,
                manufacture_orders.c.id == order.id,
            )
            .values(status=order.status.value, completed_at=order.completed_at)
        )
