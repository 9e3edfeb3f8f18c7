"""Erasing a person from orders and from the event log (a customer's Forget).

Orders keep their numbers, lines, amounts and statuses for the books; what names, reaches or
locates the person (the customer's ids and names, both addresses but their country) is
emptied in place. Event payloads are rewritten only where they hold a personal value.
"""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select, update

from orderyard.domain.customer import CustomerLink
from orderyard.store.addresses import BILLING_ADDRESS, ORDER_ADDRESS
from orderyard.store.customer_link import linked_orders
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.repositories.order_rows import CUSTOMER_COLUMNS
from orderyard.store.tables import events, orders

CHUNK: Final = 500
"""Ids per statement: well under either backend's limit on bound parameters."""
KEPT: Final = frozenset({"country_code"})
"""The address field an anonymised order keeps (``domain.customer.anonymised``)."""


def _blank_order_columns() -> dict[str, Any]:
    """Every personal column of ``orders`` and its erased value."""
    values: dict[str, Any] = dict.fromkeys(CUSTOMER_COLUMNS.values(), "")
    for mapping in (ORDER_ADDRESS, BILLING_ADDRESS):
        for field, column in mapping.columns.items():
            if field not in KEPT:
                values[column] = None if field in {"latitude", "longitude"} else ""
    return values


BLANK_ORDER: Final = _blank_order_columns()


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


class PersonalDataRepository(TenantRepository):
    """Finds and erases one person's data in the account's orders and event log."""

    async def linked_order_ids(self, link: CustomerLink) -> list[int]:
        """The ids of the orders the link names, locked, in id order."""
        statement = (
            select(orders.c.id)
            .where(orders.c.account_id == self.account_id, linked_orders(link))
            .order_by(orders.c.id)
            .with_for_update()
        )
        return list((await self.conn.execute(statement)).scalars())

    async def anonymise_orders(self, order_ids: Sequence[int], now: datetime) -> None:
        """Empty the personal columns of these orders; each counts as changed (``updated_at``)."""
        for chunk in _chunks(order_ids):
            await self.conn.execute(
                update(orders)
                .where(orders.c.account_id == self.account_id, orders.c.id.in_(chunk))
                .values(updated_at=now, version=orders.c.version + 1, **BLANK_ORDER)
            )

    async def events_about(
        self, record_type: str, record_ids: Sequence[int]
    ) -> list[tuple[int, Any]]:
        """``(event id, decoded payload)`` of every event on these records, oldest first."""
        found: list[tuple[int, Any]] = []
        for chunk in _chunks(record_ids):
            rows = await self.conn.execute(
                select(events.c.id, events.c.data)
                .where(
                    events.c.account_id == self.account_id,
                    events.c.record_type == record_type,
                    events.c.record_id.in_(chunk),
                )
                .order_by(events.c.id)
            )
            found += [(event_id, json.loads(data or "{}")) for event_id, data in rows]
        return found

    async def rewrite_event(self, event_id: int, data: Any) -> None:
        """Replace one event's payload (its kind, actor, record and time stay)."""
        await self.conn.execute(
            update(events)
            .where(events.c.account_id == self.account_id, events.c.id == event_id)
            .values(data=json.dumps(data, default=str))
        )
