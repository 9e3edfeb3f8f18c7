"""Orders, their lines and their allocations (the write side)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam as param
from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from orderyard.domain.allocation.geo import Coordinates
from orderyard.domain.attribute import ORDER_OWNER_TYPES
from orderyard.domain.order import (
    Allocation,
    HoldState,
    Order,
    OrderHeader,
    OrderLine,
    OrderStatus,
)
from orderyard.domain.values import Address, AddressPatch
from orderyard.kit.clock import utcnow
from orderyard.store.addresses import BILLING_ADDRESS, ORDER_ADDRESS
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen
from orderyard.store.repositories.base import TenantRepository, dialect_insert
from orderyard.store.repositories.order_rows import (
    backordered,
    line_from_row,
    line_rows,
    order_row,
    raise_if_duplicate,
    read_customer,
)
from orderyard.store.tables import (
    OPEN_WAVE,
    Id,
    accounts,
    allocations,
    channels,
    custom_fields,
    order_lines,
    orders,
    preorder_waves,
    shipping_methods,
    tax_rates,
)

LOOKUP_COLUMNS = {
    "id": orders.c.id,
    "order_number": orders.c.order_number,
    "reference": orders.c.reference,
}


@dataclass(frozen=True, slots=True)
class WaitingLine:
    """An order line of an active order that waits for stock (its backorder)."""

    order_id: int
    line_id: int
    item_id: int
    quantity: int


INSERT_ORDER = insert(orders).returning(orders.c.id)
INSERT_LINE = insert(order_lines).returning(order_lines.c.id)
INSERT_LINES = insert(order_lines).returning(order_lines.c.id, sort_by_parameter_order=True)
INSERT_ALLOCATIONS = insert(allocations)
LOAD_ORDERS = (
    select(orders)
    .where(
        orders.c.account_id == param("account_id", type_=Id),
        orders.c.id.in_(param("order_ids", expanding=True)),
    )
    .order_by(orders.c.id)
)
LOCK_ORDERS = LOAD_ORDERS.with_for_update()
LOAD_LINES = (
    select(order_lines)
    .where(
        order_lines.c.account_id == param("account_id", type_=Id),
        order_lines.c.order_id.in_(param("order_ids", expanding=True)),
    )
    .order_by(order_lines.c.order_id, order_lines.c.line_no)
)
SAVE_STATUS = (
    update(orders)
    .where(orders.c.account_id == param("at_account"), orders.c.id == param("at_order"))
    .values(status=param("new_status"), updated_at=param("now"), version=orders.c.version + 1)
)
SAVE_LINE = (
    update(order_lines)
    .where(order_lines.c.account_id == param("at_account"), order_lines.c.id == param("line_id"))
    .values(
        allocated=param("new_allocated"),
        shipped=param("new_shipped"),
        cancelled=param("new_cancelled"),
        returned=param("new_returned"),
        backordered=param("new_backordered"),
        preordered=param("new_preordered"),
    )
)
"""Placing orders and allocating backorders run these on every call, so they are built once
(bench/README.md)."""


@cache
def _placement_context(channel_by_id: bool) -> DriverStatement:
    account = unseen(param("account_id", type_=Id))
    method = (
        select(shipping_methods.c.id)
        .where(shipping_methods.c.account_id == account, shipping_methods.c.name == param("method"))
        .scalar_subquery()
    )
    channel_match = (
        channels.c.id == param("channel") if channel_by_id else channels.c.name == param("channel")
    )
    channel = select(channels.c.id).where(channels.c.account_id == account, channel_match)
    channel_name = select(channels.c.name).where(channels.c.account_id == account, channel_match)
    required = select(func.count()).where(
        custom_fields.c.account_id == account,
        or_(*(custom_fields.c.owner_type == kind.value for kind in ORDER_OWNER_TYPES)),
        custom_fields.c.required,
    )
    # Not EXISTS: PostgreSQL drops an EXISTS' ORDER BY and LIMIT, and then, not knowing the
    # (hidden) account, scans the table for a first row. Ordered as the partial index is, the
    # first wave costs one index lookup, and a seq scan would have to sort every wave.
    open_wave = (
        select(preorder_waves.c.id)
        .where(preorder_waves.c.account_id == account, OPEN_WAVE)
        .order_by(preorder_waves.c.item_id, preorder_waves.c.release_at, preorder_waves.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return DriverStatement(
        select(
            accounts.c.allocation_strategy,
            method,
            channel.scalar_subquery(),
            accounts.c.ships_on_allocation,
            channel_name.scalar_subquery(),
            required.scalar_subquery(),
            exists().where(tax_rates.c.account_id == account),
            open_wave.is_not(None),
        ).where(accounts.c.id == account)
    )


@cache
def _add_to_allocations(dialect: str) -> Any:
    statement = dialect_insert(dialect, allocations)
    return statement.on_conflict_do_update(
        index_elements=["account_id", "order_line_id", "location_id"],
        set_={"quantity": allocations.c.quantity + statement.excluded.quantity},
    )


class OrderRepository(TenantRepository):
    """The account's orders."""

    async def placement_context(
        self, *, shipping_method: str | None, channel_name: str | None, channel_id: int | None
    ) -> "PlacementContext":
        """The account's allocation strategy and the ids of the named method and channel."""
        by_id = channel_id is not None
        params = {
            "account_id": self.account_id,
            "method": shipping_method,
            "channel": channel_id if by_id else channel_name,
        }
        [row] = await _placement_context(by_id).fetch(self.conn, params)
        return PlacementContext(
            row[0], row[1], row[2], bool(row[3]), row[4] or "", row[5], bool(row[6]), bool(row[7])
        )

    async def add(
        self, order: Order, address: Address, *, total: Decimal, has_custom_fields: bool = False
    ) -> int:
        """Insert the order and its lines; set their ids and return the order's.

        Raises:
            DuplicateError: the order number is already used in this account.
        """
        row = order_row(
            self.account_id,
            order,
            address,
            total=total,
            now=utcnow(),
            has_custom_fields=has_custom_fields,
        )
        return await self.add_row(order, row)

    async def add_row(self, order: Order, values: dict[str, Any]) -> int:
        """Insert the order as ``values`` (an ``order_row``) and its lines; set their ids.

        Raises:
            DuplicateError: the order number is already used in this account.
        """
        try:
            order.id = (await self.conn.execute(INSERT_ORDER, values)).scalar_one()
        except IntegrityError as error:
            raise_if_duplicate(error, order)
            raise
        await self._insert_lines(order)
        return order.id

    async def _insert_lines(self, order: Order) -> None:
        rows = line_rows(self.account_id, order)
        if len(rows) == 1:
            result = await self.conn.execute(INSERT_LINE, rows[0])
        else:
            result = await self.conn.execute(INSERT_LINES, rows)
        for line, line_id in zip(order.lines, result.scalars(), strict=True):
            line.id = line_id

    async def find_id(self, field: str, value: str | int) -> int | None:
        """The id of the order whose ``field`` (id, order_number, reference) equals value."""
        column = LOOKUP_COLUMNS[field]
        return (
            await self.conn.execute(
                select(orders.c.id)
                .where(orders.c.account_id == self.account_id, column == value)
                .order_by(orders.c.id)
                .limit(1)
            )
        ).scalar_one_or_none()

    async def load(self, order_id: int, *, for_update: bool = False) -> Order | None:
        """The order with its lines, or None. ``for_update`` locks the order row."""
        found = await self.load_many([order_id], for_update=for_update)
        return found[0] if found else None

    async def load_many(self, order_ids: Sequence[int], *, for_update: bool = False) -> list[Order]:
        """The orders with their lines, in id order; unknown ids are left out.

        ``for_update`` locks the order rows, in id order (two statements for any number).
        """
        params = {"account_id": self.account_id, "order_ids": list(order_ids)}
        statement = LOCK_ORDERS if for_update else LOAD_ORDERS
        rows = (await self.conn.execute(statement, params)).all()
        if not rows:
            return []
        lines: dict[int, list[OrderLine]] = {}
        for line in await self.conn.execute(LOAD_LINES, params):
            lines.setdefault(line.order_id, []).append(line_from_row(line))
        return [
            Order(
                id=row.id,
                header=OrderHeader(
                    order_number=row.order_number,
                    reference=row.reference,
                    channel_id=row.channel_id,
                    shipping_method_id=row.shipping_method_id,
                    order_type=row.order_type,
                    notes=row.notes,
                    currency=row.currency,
                    customer=read_customer(row._mapping),
                    billing_address=BILLING_ADDRESS.read(row._mapping),
                    ordered_at=row.ordered_at,
                ),
                status=OrderStatus(row.status),
                hold=HoldState(row.hold),
                hold_reason=row.hold_reason,
                sub_status=row.sub_status,
                lines=lines.get(row.id, []),
            )
            for row in rows
        ]

    async def replace_lines(self, order: Order) -> None:
        """Delete the order's lines and insert ``order.lines`` in their place."""
        await self.conn.execute(
            delete(order_lines).where(
                order_lines.c.account_id == self.account_id, order_lines.c.order_id == order.id
            )
        )
        await self._insert_lines(order)

    async def save(self, order: Order, *, address: AddressPatch | None = None) -> None:
        """Write back the order's state, the address fields given, and line quantities."""
        await self.save_header(order, address=address)
        await self.save_lines(order.lines, hold=order.hold)

    async def save_header(self, order: Order, *, address: AddressPatch | None = None) -> None:
        """Write back the order's own fields (not its lines) and the address fields given."""
        values: dict[str, Any] = {
            "status": order.status.value,
            "hold": order.hold.value,
            "hold_reason": order.hold_reason,
            "sub_status": order.sub_status,
            "reference": order.header.reference,
            "shipping_method_id": order.header.shipping_method_id,
            "channel_id": order.header.channel_id,
            "notes": order.header.notes,
            "updated_at": utcnow(),
            "version": orders.c.version + 1,
        }
        if address is not None:
            values |= {c: v for c, v in ORDER_ADDRESS.values(address).items() if v is not None}
        await self.conn.execute(
            update(orders)
            .where(orders.c.account_id == self.account_id, orders.c.id == order.id)
            .values(values)
        )

    async def save_lines(self, lines: Sequence[OrderLine], *, hold: HoldState) -> None:
        """Write back line quantities (and the backorder they imply)."""
        if not lines:
            return
        await self.conn.execute(SAVE_LINE, [self._line_state(line, hold) for line in lines])

    async def save_progress(self, changed: Sequence[Order]) -> None:
        """Write back the status and line quantities of several orders, in two statements."""
        if not changed:
            return
        now = utcnow()
        await self.conn.execute(
            SAVE_STATUS,
            [
                {
                    "at_account": self.account_id,
                    "at_order": o.id,
                    "new_status": o.status.value,
                    "now": now,
                }
                for o in changed
            ],
        )
        await self.conn.execute(
            SAVE_LINE,
            [self._line_state(line, order.hold) for order in changed for line in order.lines],
        )

    def _line_state(self, line: OrderLine, hold: HoldState) -> dict[str, int]:
        """The parameters of ``SAVE_LINE`` for one line."""
        return {
            "at_account": self.account_id,
            "line_id": line.id,
            "new_allocated": line.allocated,
            "new_shipped": line.shipped,
            "new_cancelled": line.cancelled,
            "new_returned": line.returned,
            "new_backordered": backordered(line, hold),
            "new_preordered": line.preordered,
        }

    async def waiting_lines(self, item_ids: Iterable[int], *, limit: int) -> list[WaitingLine]:
        """Backordered lines of active orders for these items, oldest order first."""
        rows = await self.conn.execute(
            select(
                order_lines.c.order_id,
                order_lines.c.id,
                order_lines.c.item_id,
                order_lines.c.backordered,
            )
            .where(
                order_lines.c.account_id == self.account_id,
                order_lines.c.item_id.in_(set(item_ids)),
                order_lines.c.backordered > 0,
            )
            .order_by(order_lines.c.order_id, order_lines.c.line_no)
            .limit(limit)
        )
        return [WaitingLine(*row) for row in rows]

    async def add_allocations(
        self, rows: Sequence[tuple[int, Allocation]], *, new_order: bool = False
    ) -> None:
        """Record allocated units per (order, line, location), adding to what is there.

        ``rows`` pairs order ids with allocations. ``new_order``: the orders have no
        allocations yet and each (line, location) comes once, so a plain INSERT does.
        """
        if not rows:
            return
        params = [
            {
                "account_id": self.account_id,
                "order_id": order_id,
                "order_line_id": a.order_line_id,
                "location_id": a.location_id,
                "item_id": a.item_id,
                "quantity": a.quantity,
            }
            for order_id, a in rows
        ]
        statement = INSERT_ALLOCATIONS if new_order else _add_to_allocations(self.conn.dialect.name)
        await self.conn.execute(statement, params[0] if len(params) == 1 else params)

    async def allocations_of(self, order_id: int) -> list[Allocation]:
        """The order's open allocations, by line then location."""
        rows = await self.conn.execute(
            select(
                allocations.c.id,
                allocations.c.order_line_id,
                allocations.c.location_id,
                allocations.c.item_id,
                allocations.c.quantity,
            )
            .where(
                allocations.c.account_id == self.account_id,
                allocations.c.order_id == order_id,
                allocations.c.quantity > 0,
            )
            .order_by(allocations.c.order_line_id, allocations.c.location_id)
        )
        return [Allocation(*row) for row in rows]

    async def allocations_at(self, location_id: int, item_id: int) -> list[tuple[int, Allocation]]:
        """The open allocations of one stock level as ``(order_id, allocation)``, newest first.

        Newest order first, then newest line: the order in which lost stock is taken back.
        """
        rows = await self.conn.execute(
            select(
                allocations.c.order_id,
                allocations.c.id,
                allocations.c.order_line_id,
                allocations.c.location_id,
                allocations.c.item_id,
                allocations.c.quantity,
            )
            .where(
                allocations.c.account_id == self.account_id,
                allocations.c.location_id == location_id,
                allocations.c.item_id == item_id,
                allocations.c.quantity > 0,
            )
            .order_by(allocations.c.order_id.desc(), allocations.c.order_line_id.desc())
        )
        return [(order_id, Allocation(*rest)) for order_id, *rest in rows]

    async def reduce_allocation(self, allocation_id: int, quantity: int) -> None:
        """Take ``quantity`` off one allocation (shipped or released)."""
        await self.conn.execute(
            update(allocations)
            .where(allocations.c.account_id == self.account_id, allocations.c.id == allocation_id)
            .values(quantity=allocations.c.quantity - quantity)
        )

    async def clear_allocations(self, order_id: int) -> None:
        """Forget every allocation of the order (after releasing their stock)."""
        await self.conn.execute(
            delete(allocations).where(
                allocations.c.account_id == self.account_id, allocations.c.order_id == order_id
            )
        )

    async def destinations(self, order_ids: Iterable[int]) -> dict[int, Coordinates]:
        """The shipping coordinates of these orders, for those stored with both."""
        rows = await self.conn.execute(
            select(orders.c.id, orders.c.latitude, orders.c.longitude).where(
                orders.c.account_id == self.account_id,
                orders.c.id.in_(set(order_ids)),
                orders.c.latitude.is_not(None),
                orders.c.longitude.is_not(None),
            )
        )
        return {order_id: Coordinates(float(lat), float(lon)) for order_id, lat, lon in rows}


@dataclass(frozen=True, slots=True)
class PlacementContext:
    """What placing an order needs to know about the account, read in one statement."""

    strategy: str
    shipping_method_id: int | None
    channel_id: int | None
    ships_on_allocation: bool = False
    """Create the order's shipments in the placement's transaction (an account setting)."""
    channel_name: str = ""
    """The channel's name, however the client named it (by id or by name)."""
    required_fields: int = 0
    """How many custom fields of an order, its lines or its payments are required: nearly
    always 0, and then a new order's values need no check of what is missing."""
    has_tax_rates: bool = False
    """Whether the account defines any tax rate: only then does an order whose lines carry
    no tax pay the one lookup of the rates in force for its address."""
    has_open_waves: bool = False
    """Whether the account has an open pre-order wave: only then is a new order placed in a
    transaction that may sequence its lines (``services/preorder/sequencing.py``)."""
