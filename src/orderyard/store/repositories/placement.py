"""Writing a new order with everything it starts with: lines, allocations, ledger and event."""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.allocation.policy import Take
from orderyard.domain.idempotency import KeyTakenError
from orderyard.domain.order import Allocation, Order
from orderyard.domain.values import AccountId, Address
from orderyard.kit.clock import utcnow
from orderyard.store import keyed_writes
from orderyard.store.driver import DriverStatement, autocommits
from orderyard.store.repositories import order_sets
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.repositories.event import EventRepository
from orderyard.store.repositories.idempotency import key_held, new_key_params
from orderyard.store.repositories.order import OrderRepository
from orderyard.store.repositories.order_rows import line_rows, order_row, raise_if_duplicate
from orderyard.store.repositories.stock import StockRepository
from orderyard.store.transaction import note_committed
from orderyard.store.types import scaled

Level = tuple[int, int]
"""A stock level: ``(location_id, item_id)``."""


@dataclass(frozen=True, slots=True)
class NewOrder:
    """An order about to be written, and the stock it was promised.

    ``allocated`` are takes already made (or to be made by ``take``), one per line and
    location, their ``demand_index`` being the index of the line in ``order.lines``; ``take``
    are the levels still to take, all or nothing each, once everything else is written.
    """

    order: Order
    address: Address
    total: Decimal
    event_kind: str
    event_data: Mapping[str, object]
    allocated: Sequence[Take] = ()
    take: Mapping[Level, int] = field(default_factory=dict)
    payment_count: int = 0
    """How many payments the caller writes with it (``orders.payment_count``)."""
    has_custom_fields: bool = False
    """Whether the caller writes custom field values with it (``orders.has_custom_fields``)."""
    placed_at: datetime = field(default_factory=utcnow)
    """Its ``created_at`` and ``updated_at``, chosen by the caller so that it can answer the
    order as written without reading it back."""

    def row(self, account_id: int) -> dict[str, Any]:
        """The ``orders`` row it is written as (and a create answers from)."""
        return order_row(
            account_id,
            self.order,
            self.address,
            total=self.total,
            now=self.placed_at,
            payment_count=self.payment_count,
            has_custom_fields=self.has_custom_fields,
        )


class PlacementRepository(TenantRepository):
    """Writes new orders.

    On PostgreSQL one statement does it (``order_sets``); elsewhere the order, stock and event
    repositories write it a table at a time.
    """

    def __init__(
        self,
        conn: AsyncConnection,
        account_id: AccountId,
        *,
        orders: OrderRepository,
        stock: StockRepository,
        events: EventRepository,
    ) -> None:
        super().__init__(conn, account_id)
        self._orders = orders
        self._stock = stock
        self._events = events

    @property
    def in_one_statement(self) -> bool:
        """Whether ``add`` is one statement, atomic without a transaction around it.

        True on PostgreSQL, whatever the number of levels the order takes.
        """
        return self.conn.dialect.name == "postgresql"

    async def add(self, new: NewOrder) -> set[Level]:
        """Write the order, set its id and its lines' ids; return the levels of ``take`` taken.

        A level missing from the result had its stock go elsewhere. When ``in_one_statement``,
        nothing was written then; otherwise the caller decides (rolls back, in practice).

        Raises:
            DuplicateError: the order number is already used in this account.
        """
        if self.in_one_statement:
            return await self._add_in_one_statement(new)
        order = new.order
        await self._orders.add_row(order, new.row(self.account_id))
        await self._orders.add_allocations(
            [
                (order.id, Allocation(0, order.lines[t.demand_index].id, *_level_of(t), t.quantity))
                for t in new.allocated
            ],
            new_order=True,
        )
        await self._stock.record([t.movement(order.id) for t in new.allocated])
        await self._events.record(new.event_kind, "order", order.id, new.event_data)
        return await self._stock.take_levels(new.take)

    async def _add_in_one_statement(self, new: NewOrder) -> set[Level]:
        order = new.order
        params = {
            **new.row(self.account_id),
            **_line_arrays(self.account_id, order),
            "take_line_nos": [order.lines[t.demand_index].line_no for t in new.allocated],
            "take_locations": [t.location_id for t in new.allocated],
            "take_items": [t.item_id for t in new.allocated],
            "take_quantities": [t.quantity for t in new.allocated],
            "actor": self._events.actor,
            "event_kind": new.event_kind,
            "event_data": json.dumps(new.event_data, default=str),
        }
        alone = autocommits(self.conn)
        keyed = keyed_writes.unclaimed(self.account_id) if alone else None
        if keyed is not None:
            params.update(
                new_key_params(keyed.request, keyed.claim, keyed.lease_until, prefix="key_")
            )
        statement = _placement_taking(sorted(new.take.items()), params, keyed=keyed is not None)
        try:
            rows = await statement.fetch(self.conn, params)
        except IntegrityError as error:
            raise_if_duplicate(error, order)
            if keyed is not None and key_held(error):
                keyed.taken = True
                raise KeyTakenError from error
            raise
        if not rows:
            return set()
        if alone:  # the order committed with its statement
            note_committed()
        if keyed is not None:  # autocommitted with the order: the key is carried out
            keyed.carried_out = True
        order.id, line_ids = rows[0]
        for line, line_id in zip(order.lines, line_ids, strict=True):
            line.id = line_id
        return set(new.take)


def _placement_taking(
    levels: Sequence[tuple[Level, int]], params: dict[str, Any], *, keyed: bool
) -> DriverStatement:
    """The placement statement for ``levels`` (none, one, several), its take set in ``params``."""
    if len(levels) > 1:
        params["locations"] = [location for (location, _), _ in levels]
        params["items"] = [item for (_, item), _ in levels]
        params["quantities"] = [quantity for _, quantity in levels]
        if keyed:
            return order_sets.PLACE_KEYED_ORDER_AT_LEVELS
        return order_sets.PLACE_ORDER_AT_LEVELS
    single = levels[0] if levels else None
    params["take_location"] = single[0][0] if single else None
    params["take_item"] = single[0][1] if single else None
    params["take_quantity"] = single[1] if single else 0
    return order_sets.PLACE_KEYED_ORDER if keyed else order_sets.PLACE_ORDER


def _level_of(take: Take) -> Level:
    return (take.location_id, take.item_id)


def _line_arrays(account_id: int, order: Order) -> dict[str, list[object]]:
    """The lines of ``order_rows`` turned into one array per column, for ``unnest``."""
    rows = line_rows(account_id, order)
    return {
        "line_nos": [r["line_no"] for r in rows],
        "line_items": [r["item_id"] for r in rows],
        "line_skus": [r["sku"] for r in rows],
        "requested_skus": [r["requested_sku"] for r in rows],
        "kit_skus": [r["kit_sku"] for r in rows],
        "line_quantities": [r["quantity"] for r in rows],
        "line_allocated": [r["allocated"] for r in rows],
        "line_backordered": [r["backordered"] for r in rows],
        "unit_prices": [scaled(r["unit_price"]) for r in rows],
        "line_external_ids": [r["external_id"] for r in rows],
        "line_taxes": [scaled(r["tax_amount"]) for r in rows],
        "line_discounts": [scaled(r["discount_amount"]) for r in rows],
    }
