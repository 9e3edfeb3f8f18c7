"""Shipment views for reads and lists: lines, tracking numbers and custom fields included."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select

from orderyard.domain.attribute import OwnerType, StoredAttribute
from orderyard.domain.shipment import ShipmentStatus, TrackingNumber
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.attribute import values_of
from orderyard.store.scope import TenantScoped, same_account
from orderyard.store.tables import (
    locations,
    order_lines,
    orders,
    shipment_lines,
    shipment_tracking,
    shipments,
)


@dataclass(frozen=True, slots=True)
class ShipmentLineView:
    """One order line's units in a shipment, with the line's custom fields."""

    order_line_id: int
    line_no: int
    sku: str
    quantity: int
    custom_fields: tuple[StoredAttribute, ...] = ()


@dataclass(frozen=True, slots=True)
class ShipmentView:
    """A shipment as clients see it: its order, location, lines and parcels."""

    id: int
    order_id: int
    order_number: str
    location_code: str
    status: ShipmentStatus
    created_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    lines: tuple[ShipmentLineView, ...] = ()
    tracking: tuple[TrackingNumber, ...] = ()
    custom_fields: tuple[StoredAttribute, ...] = ()


@dataclass(frozen=True, slots=True)
class ShipmentFilter:
    """Which shipments a list returns.

    Every field is read along an index leading with account_id (the order and the location
    through their own unique keys).
    """

    created_after: datetime | None = None
    created_before: datetime | None = None
    shipment_id: int | None = None
    order_id: int | None = None
    order_number: str | None = None
    status: ShipmentStatus | None = None
    location_code: str | None = None


HEAD = (
    shipments.c.id,
    shipments.c.order_id,
    orders.c.order_number,
    locations.c.code,
    shipments.c.status,
    shipments.c.created_at,
    shipments.c.shipped_at,
    shipments.c.delivered_at,
)


class ShipmentQueries(TenantScoped):
    """Read-only access to the account's shipments."""

    async def get(self, shipment_id: int) -> ShipmentView | None:
        """One shipment, or None when the account has no such shipment."""
        found = await self._views([shipments.c.id == shipment_id], None)
        return found[0] if found else None

    async def page(
        self, where: ShipmentFilter, page: PageRequest, *, newest_first: bool = False
    ) -> Page[ShipmentView]:
        """A page of shipments matching ``where``, oldest first (or newest first)."""
        conditions = self._conditions(where)
        views = await self._views(conditions, page, newest_first=newest_first)
        matching = select(shipments.c.id).where(shipments.c.account_id == self.account_id)
        total, exact = await bounded_count(
            self.conn,
            matching.where(*conditions),
            page,
            along=(shipments.c.account_id, shipments.c.id),
        )
        return Page(views, total, page, count_is_exact=exact)

    def _conditions(self, where: ShipmentFilter) -> list[ColumnElement[bool]]:
        account = self.account_id
        conditions: list[ColumnElement[bool]] = []
        if where.created_after is not None:
            conditions.append(shipments.c.created_at >= where.created_after)
        if where.created_before is not None:
            conditions.append(shipments.c.created_at < where.created_before)
        if where.shipment_id is not None:
            conditions.append(shipments.c.id == where.shipment_id)
        if where.order_id is not None:
            conditions.append(shipments.c.order_id == where.order_id)
        if where.order_number is not None:
            conditions.append(
                shipments.c.order_id.in_(
                    select(orders.c.id).where(
                        orders.c.account_id == account, orders.c.order_number == where.order_number
                    )
                )
            )
        if where.status is not None:
            conditions.append(shipments.c.status == where.status.value)
        if where.location_code is not None:
            conditions.append(
                shipments.c.location_id.in_(
                    select(locations.c.id).where(
                        locations.c.account_id == account, locations.c.code == where.location_code
                    )
                )
            )
        return conditions

    async def _views(
        self,
        conditions: Sequence[ColumnElement[bool]],
        page: PageRequest | None,
        *,
        newest_first: bool = False,
    ) -> list[ShipmentView]:
        by_id = shipments.c.id.desc() if newest_first else shipments.c.id
        statement = (
            select(*HEAD)
            .join(orders, same_account(orders, shipments) & (orders.c.id == shipments.c.order_id))
            .join(
                locations,
                same_account(locations, shipments) & (locations.c.id == shipments.c.location_id),
            )
            .where(shipments.c.account_id == self.account_id, *conditions)
            .order_by(shipments.c.account_id, by_id)
        )
        if page is not None:
            statement = statement.limit(page.per_page).offset(page.offset)
        heads = (await self.conn.execute(statement)).all()
        ids = [row.id for row in heads]
        lines = await self._lines(ids)
        tracking = await self._tracking(ids)
        fields = await values_of(self.conn, self.account_id, OwnerType.shipment, ids)
        return [
            ShipmentView(
                id=row.id,
                order_id=row.order_id,
                order_number=row.order_number,
                location_code=row.code,
                status=ShipmentStatus(row.status),
                created_at=row.created_at,
                shipped_at=row.shipped_at,
                delivered_at=row.delivered_at,
                lines=tuple(lines.get(row.id, ())),
                tracking=tuple(tracking.get(row.id, ())),
                custom_fields=tuple(fields.get(row.id, ())),
            )
            for row in heads
        ]

    async def _lines(self, shipment_ids: list[int]) -> dict[int, list[ShipmentLineView]]:
        if not shipment_ids:
            return {}
        rows = (
            await self.conn.execute(
                select(
                    shipment_lines.c.shipment_id,
                    shipment_lines.c.id,
                    shipment_lines.c.order_line_id,
                    order_lines.c.line_no,
                    order_lines.c.sku,
                    shipment_lines.c.quantity,
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
        ).all()
        fields = await values_of(
            self.conn, self.account_id, OwnerType.shipment_line, [row.id for row in rows]
        )
        result: dict[int, list[ShipmentLineView]] = {}
        for shipment_id, line_id, order_line_id, line_no, sku, quantity in rows:
            found = tuple(fields.get(line_id, ()))
            view = ShipmentLineView(order_line_id, line_no, sku, quantity, found)
            result.setdefault(shipment_id, []).append(view)
        return result

    async def _tracking(self, shipment_ids: list[int]) -> Mapping[int, list[TrackingNumber]]:
        if not shipment_ids:
            return {}
        rows = await self.conn.execute(
            select(
                shipment_tracking.c.shipment_id,
                shipment_tracking.c.number,
                shipment_tracking.c.carrier,
                shipment_tracking.c.url,
            )
            .where(
                shipment_tracking.c.account_id == self.account_id,
                shipment_tracking.c.shipment_id.in_(shipment_ids),
            )
            .order_by(shipment_tracking.c.shipment_id, shipment_tracking.c.id)
        )
        result: dict[int, list[TrackingNumber]] = {}
        for shipment_id, number, carrier, url in rows:
            result.setdefault(shipment_id, []).append(TrackingNumber(number, carrier, url))
        return result
