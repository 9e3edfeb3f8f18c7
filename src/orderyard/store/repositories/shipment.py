"""Shipments and their lines (the write side)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from orderyard.domain.shipment import (
    OPEN,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    TrackingNumber,
)
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.scope import same_account
from orderyard.store.tables import order_lines, shipment_lines, shipment_tracking, shipments

OPEN_VALUES = sorted(s.value for s in OPEN)


def _shipment(row: Row[Any], lines: list[ShipmentLine]) -> Shipment:
    m = row._mapping
    return Shipment(
        id=m["id"],
        order_id=m["order_id"],
        location_id=m["location_id"],
        status=ShipmentStatus(m["status"]),
        lines=lines,
        carrier=m["carrier"],
        tracking_number=m["tracking_number"],
        created_at=m["created_at"],
        shipped_at=m["shipped_at"],
        delivered_at=m["delivered_at"],
    )


class ShipmentRepository(TenantRepository):
    """The account's shipments."""

    async def add(self, shipment: Shipment) -> int:
        """Insert the shipment and its lines; set their ids and return the shipment id.

        A shipment without lines yet is the new half of a split (``move_lines`` fills it).
        """
        shipment.created_at = utcnow()
        shipment.id = (
            await self.conn.execute(
                insert(shipments)
                .values(
                    account_id=self.account_id,
                    order_id=shipment.order_id,
                    location_id=shipment.location_id,
                    status=shipment.status.value,
                    carrier=shipment.carrier,
                    tracking_number=shipment.tracking_number,
                    created_at=shipment.created_at,
                )
                .returning(shipments.c.id)
            )
        ).scalar_one()
        if not shipment.lines:
            return shipment.id
        result = await self.conn.execute(
            insert(shipment_lines).returning(shipment_lines.c.id, sort_by_parameter_order=True),
            [
                {
                    "account_id": self.account_id,
                    "shipment_id": shipment.id,
                    "order_line_id": line.order_line_id,
                    "quantity": line.quantity,
                }
                for line in shipment.lines
            ],
        )
        for line, line_id in zip(shipment.lines, result.scalars(), strict=True):
            line.id = line_id
        return shipment.id

    async def order_id_of(self, shipment_id: int) -> int | None:
        """The order a shipment belongs to, or None when there is no such shipment."""
        return (
            await self.conn.execute(
                select(shipments.c.order_id).where(
                    shipments.c.account_id == self.account_id, shipments.c.id == shipment_id
                )
            )
        ).scalar_one_or_none()

    async def get(self, shipment_id: int) -> Shipment | None:
        """The shipment with its lines (by order line number), or None."""
        row = (
            await self.conn.execute(
                select(shipments).where(
                    shipments.c.account_id == self.account_id, shipments.c.id == shipment_id
                )
            )
        ).one_or_none()
        if row is None:
            return None
        return _shipment(row, (await self._lines([shipment_id])).get(shipment_id, []))

    async def of_order(self, order_id: int) -> list[Shipment]:
        """Every shipment of an order, oldest first."""
        rows = (
            await self.conn.execute(
                select(shipments)
                .where(shipments.c.account_id == self.account_id, shipments.c.order_id == order_id)
                .order_by(shipments.c.id)
            )
        ).all()
        lines = await self._lines([row.id for row in rows]) if rows else {}
        return [_shipment(row, lines.get(row.id, [])) for row in rows]

    async def _lines(self, shipment_ids: list[int]) -> dict[int, list[ShipmentLine]]:
        rows = await self.conn.execute(
            select(
                shipment_lines.c.shipment_id,
                shipment_lines.c.id,
                shipment_lines.c.order_line_id,
                shipment_lines.c.quantity,
                order_lines.c.line_no,
                order_lines.c.item_id,
                order_lines.c.sku,
            )
            .join(
                order_lines,
                same_account(order_lines, shipment_lines)
                & (order_lines.c.id == shipment_lines.c.order_line_id),
            )
            .where(
                shipment_lines.c.account_id == self.account_id,
                shipment_lines.c.shipment_id.in_(shipment_ids),
            )
            .order_by(shipment_lines.c.shipment_id, order_lines.c.line_no)
        )
        result: dict[int, list[ShipmentLine]] = {}
        for r in rows:
            result.setdefault(r.shipment_id, []).append(
                ShipmentLine(r.order_line_id, r.line_no, r.item_id, r.sku, r.quantity, r.id)
            )
        return result

    async def claimed(self, order_id: int) -> dict[tuple[int, int], int]:
        """Units that open shipments of the order claim: ``{(order_line_id, location_id): n}``."""
        rows = await self.conn.execute(
            select(
                shipment_lines.c.order_line_id,
                shipments.c.location_id,
                func.sum(shipment_lines.c.quantity),
            )
            .join(shipments, shipments.c.id == shipment_lines.c.shipment_id)
            .where(
                shipments.c.account_id == self.account_id,
                shipment_lines.c.account_id == self.account_id,
                shipments.c.order_id == order_id,
                shipments.c.status.in_(OPEN_VALUES),
            )
            .group_by(shipment_lines.c.order_line_id, shipments.c.location_id)
        )
        return {(line_id, location_id): int(n) for line_id, location_id, n in rows}

    async def save(self, shipment: Shipment) -> None:
        """Write back the location, status, first tracking number and its times."""
        await self.conn.execute(
            update(shipments)
            .where(shipments.c.account_id == self.account_id, shipments.c.id == shipment.id)
            .values(
                location_id=shipment.location_id,
                status=shipment.status.value,
                carrier=shipment.carrier,
                tracking_number=shipment.tracking_number,
                shipped_at=shipment.shipped_at,
                delivered_at=shipment.delivered_at,
            )
        )

    async def move_lines(self, line_ids: Sequence[int], shipment_id: int) -> None:
        """Move shipment lines (by their own ids) into another shipment of the same order."""
        await self.conn.execute(
            update(shipment_lines)
            .where(
                shipment_lines.c.account_id == self.account_id,
                shipment_lines.c.id.in_(line_ids),
            )
            .values(shipment_id=shipment_id)
        )

    async def close_open(self, order_id: int, status: ShipmentStatus) -> list[int]:
        """Move every open shipment of the order to ``status``; return their ids."""
        rows = await self.conn.execute(
            update(shipments)
            .where(
                shipments.c.account_id == self.account_id,
                shipments.c.order_id == order_id,
                shipments.c.status.in_(OPEN_VALUES),
            )
            .values(status=status.value)
            .returning(shipments.c.id)
        )
        return sorted(rows.scalars())

    async def tracking_of(self, shipment_id: int) -> list[TrackingNumber]:
        """The shipment's tracking numbers, oldest first."""
        rows = await self.conn.execute(
            select(shipment_tracking.c.number, shipment_tracking.c.carrier, shipment_tracking.c.url)
            .where(
                shipment_tracking.c.account_id == self.account_id,
                shipment_tracking.c.shipment_id == shipment_id,
            )
            .order_by(shipment_tracking.c.id)
        )
        return [TrackingNumber(number, carrier, url) for number, carrier, url in rows]

    async def add_tracking(self, shipment_id: int, tracking: TrackingNumber) -> None:
        """Append a tracking number to the shipment."""
        await self.conn.execute(
            insert(shipment_tracking).values(
                account_id=self.account_id,
                shipment_id=shipment_id,
                number=tracking.number,
                carrier=tracking.carrier,
                url=tracking.url,
                created_at=utcnow(),
            )
        )

    async def remove_tracking(self, shipment_id: int, number: str) -> bool:
        """Delete one tracking number of the shipment; False when it had no such number."""
        result = await self.conn.execute(
            delete(shipment_tracking).where(
                shipment_tracking.c.account_id == self.account_id,
                shipment_tracking.c.shipment_id == shipment_id,
                shipment_tracking.c.number == number,
            )
        )
        return result.rowcount == 1
