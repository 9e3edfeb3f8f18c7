"""The webhook queue across accounts: fan the event log out, claim due deliveries, record tries.

The event log is the outbox: ``WebhookQueue.fan_out`` turns the events written since its last
pass into one delivery row per matching subscription. On PostgreSQL it reads by writing
transaction (``events.xid``) up to the oldest transaction still running, so an event that
commits late with a lower id is read on a later pass, never skipped; ``(subscription_id,
event_id)`` is unique, so a pass that reads an event twice queues it once. A consequence: a
delivery waits for the longest writing transaction running on the server when its event
committed (a bulk job's operation, about half a second; read-only transactions do not count).
"""

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, case, func, literal_column, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import aliased

from orderyard.domain.webhooks import (
    SUBSCRIBABLE_KINDS,
    DeliveryStatus,
    DueDelivery,
    event_type,
)
from orderyard.store.repositories.base import upsert
from orderyard.store.tables import (
    events,
    returns,
    shipments,
    webhook_cursor,
    webhook_deliveries,
    webhook_subscriptions,
)

subs, deliveries = webhook_subscriptions, webhook_deliveries


class WebhookQueue:
    """The deliveries of every account: fan events out, claim the due ones, record a try."""

    def __init__(self, conn: AsyncConnection) -> None:
        self.conn = conn

    async def fan_out(self, now: datetime) -> int:
        """Queue a delivery per subscription for every event written since the last pass.

        Call in a transaction of its own; the cursor row is locked for its length, so two
        workers' passes take turns. Returns the number of deliveries queued.
        """
        position = await self._cursor()
        if position is None:
            return 0  # another worker is fanning out now
        upto = await self._settled()
        if upto <= position:
            return 0
        found = await self._events_between(position, upto)
        listening = await self._listening({row.account_id for row in found})
        rows = []
        for event in found:
            kind_type = event_type(event.kind, json.loads(event.data or "{}"))
            for sub in listening.get(event.account_id, ()):
                if kind_type is None:
                    break
                if kind_type in sub.event_types and event.created_at >= sub.created_at:
                    rows.append(_queued(event, sub.id, kind_type, now))
        if rows:
            statement = upsert(self.conn, deliveries).on_conflict_do_nothing(
                index_elements=["subscription_id", "event_id"]
            )
            await self.conn.execute(statement, rows)
        await self.conn.execute(
            update(webhook_cursor).where(webhook_cursor.c.id == 1).values(position=upto)
        )
        return len(rows)

    async def _cursor(self) -> int | None:
        """The cursor, locked for this pass; None when another worker's pass holds it."""
        row = (
            await self.conn.execute(
                select(webhook_cursor.c.position)
                .where(webhook_cursor.c.id == 1)
                .with_for_update(skip_locked=True)
            )
        ).first()
        if row is not None:
            return int(row.position)
        statement = upsert(self.conn, webhook_cursor).on_conflict_do_nothing(index_elements=["id"])
        inserted = await self.conn.execute(statement.values(id=1, position=0))
        return 0 if inserted.rowcount == 1 else None

    def _postgres(self) -> bool:
        return self.conn.dialect.name == "postgresql"

    async def _settled(self) -> int:
        """Where the next pass may read up to (excluded): no transaction below it still runs."""
        if self._postgres():
            xmin = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
            return int((await self.conn.execute(text(f"SELECT {xmin}"))).scalar_one())
        found = (await self.conn.execute(select(func.max(events.c.id)))).scalar_one()
        return int(found or 0) + 1

    async def _events_between(self, start: int, end: int) -> Sequence[Any]:
        key = events.c.xid if self._postgres() else events.c.id
        order_of = case(
            (events.c.record_type == "order", events.c.record_id),
            else_=func.coalesce(shipments.c.order_id, returns.c.order_id),
        )
        listening = select(subs.c.account_id).where(subs.c.active)
        statement = (
            select(
                events.c.id,
                events.c.account_id,
                events.c.kind,
                events.c.data,
                events.c.created_at,
                order_of.label("order_id"),
            )
            .outerjoin(
                shipments,
                and_(events.c.record_type == "shipment", shipments.c.id == events.c.record_id),
            )
            .outerjoin(
                returns, and_(events.c.record_type == "return", returns.c.id == events.c.record_id)
            )
            .where(
                key >= start,
                key < end,
                events.c.kind.in_(SUBSCRIBABLE_KINDS),
                events.c.account_id.in_(listening),
            )
            .order_by(events.c.id)
        )
        return list(await self.conn.execute(statement))

    async def _listening(self, accounts: set[int]) -> dict[int, list[Any]]:
        if not accounts:
            return {}
        rows = await self.conn.execute(
            select(subs.c.id, subs.c.account_id, subs.c.event_types, subs.c.created_at).where(
                subs.c.active, subs.c.account_id.in_(accounts)
            )
        )
        found: dict[int, list[Any]] = {}
        for row in rows:
            found.setdefault(row.account_id, []).append(
                _Listening(row.id, row.event_types.split(), row.created_at)
            )
        return found

    async def claim(self, now: datetime, *, lease: timedelta, limit: int) -> list[DueDelivery]:
        """Lease up to ``limit`` due deliveries, each the oldest still to send of its order.

        A claimed delivery counts a try and is due again when its lease ends: a worker that
        dies while sending loses nothing, the delivery is sent again (at least once).
        """
        earlier = aliased(deliveries)
        held_back = (
            select(literal_column("1"))
            .where(
                earlier.c.subscription_id == deliveries.c.subscription_id,
                earlier.c.order_id == deliveries.c.order_id,
                earlier.c.status == DeliveryStatus.pending.value,
                earlier.c.event_id < deliveries.c.event_id,
            )
            .exists()
        )
        due = (
            select(deliveries.c.id)
            .join(subs, subs.c.id == deliveries.c.subscription_id)
            .where(
                deliveries.c.status == DeliveryStatus.pending.value,
                deliveries.c.next_try_at <= now,
                subs.c.active,
                ~held_back,
            )
            .order_by(deliveries.c.next_try_at, deliveries.c.id)
            .limit(limit)
            .with_for_update(of=deliveries, skip_locked=True)
        )
        ids = [row.id for row in await self.conn.execute(due)]
        if ids:  # locked above (PostgreSQL), or the database is (SQLite's write transaction)
            await self.conn.execute(
                update(deliveries)
                .where(deliveries.c.id.in_(ids))
                .values(attempts=deliveries.c.attempts + 1, next_try_at=now + lease)
            )
        return await self._due(ids)

    async def _due(self, ids: list[int]) -> list[DueDelivery]:
        if not ids:
            return []
        rows = await self.conn.execute(
            select(
                deliveries.c.id,
                deliveries.c.account_id,
                deliveries.c.subscription_id,
                deliveries.c.event_id,
                deliveries.c.event_type,
                deliveries.c.attempts,
                deliveries.c.order_id,
                subs.c.url,
                subs.c.secret,
                subs.c.dialect,
                events.c.record_type,
                events.c.record_id,
                events.c.data,
                events.c.created_at,
            )
            .join(subs, subs.c.id == deliveries.c.subscription_id)
            .join(events, events.c.id == deliveries.c.event_id)
            .where(deliveries.c.id.in_(ids))
            .order_by(deliveries.c.id)
        )
        return [
            DueDelivery(
                id=row.id,
                account_id=row.account_id,
                subscription_id=row.subscription_id,
                url=row.url,
                secret=row.secret,
                dialect=row.dialect,
                event_id=row.event_id,
                event_type=row.event_type,
                attempts=row.attempts,
                record_type=row.record_type,
                record_id=row.record_id,
                event_data=row.data,
                event_time=row.created_at,
                order_id=row.order_id,
            )
            for row in rows
        ]

    async def delivered(
        self, accepted: Sequence[tuple[DueDelivery, int, int]], *, now: datetime
    ) -> None:
        """Close the deliveries the endpoints accepted: ``(due, code, latency_ms)`` each.

        Their subscriptions' failures in a row reset. Two statements for the whole batch.
        """
        await self.conn.execute(
            update(deliveries)
            .where(
                deliveries.c.id == bindparam("at_id"),
                deliveries.c.attempts == bindparam("at_attempts"),
            )
            .values(
                status=DeliveryStatus.delivered.value,
                next_try_at=None,
                response_code=bindparam("code"),
                latency_ms=bindparam("latency"),
                error="",
                delivered_at=now,
            ),
            [
                {"at_id": due.id, "at_attempts": due.attempts, "code": code, "latency": latency}
                for due, code, latency in accepted
            ],
        )
        await self.conn.execute(
            update(subs)
            .where(
                subs.c.id.in_({due.subscription_id for due, _, _ in accepted}),
                subs.c.failed_in_row > 0,
            )
            .values(failed_in_row=0)
        )

    async def failed(
        self,
        due: DueDelivery,
        *,
        code: int | None,
        latency_ms: int,
        error: str,
        next_try_at: datetime | None,
    ) -> int:
        """Record a failed try: due again at ``next_try_at``, or given up when None.

        Returns how many deliveries in a row the subscription has given up (0 while this
        one is still to try again).
        """
        status = DeliveryStatus.pending if next_try_at else DeliveryStatus.failed
        await self._close(
            due,
            status=status,
            next_try_at=next_try_at,
            response_code=code,
            latency_ms=latency_ms,
            error=error[:500],
            delivered_at=None,
        )
        if next_try_at is not None:
            return 0
        row = await self.conn.execute(
            update(subs)
            .where(subs.c.id == due.subscription_id)
            .values(failed_in_row=subs.c.failed_in_row + 1)
            .returning(subs.c.failed_in_row)
        )
        return int(row.scalar_one_or_none() or 0)

    async def disable(self, subscription_id: int, reason: str) -> None:
        """Stop sending to a subscription, saying why."""
        await self.conn.execute(
            update(subs)
            .where(subs.c.id == subscription_id)
            .values(active=False, disabled_reason=reason[:500])
        )

    async def _close(self, due: DueDelivery, **values: Any) -> None:
        await self.conn.execute(
            update(deliveries)
            .where(deliveries.c.id == due.id, deliveries.c.attempts == due.attempts)
            .values(status=values.pop("status").value, **values)
        )


class _Listening:
    __slots__ = ("created_at", "event_types", "id")

    def __init__(self, sub_id: int, types: list[str], created_at: datetime) -> None:
        self.id, self.event_types, self.created_at = sub_id, types, created_at


def _queued(event: Any, subscription_id: int, kind_type: str, now: datetime) -> dict[str, Any]:
    return {
        "account_id": event.account_id,
        "subscription_id": subscription_id,
        "event_id": event.id,
        "event_type": kind_type,
        "order_id": event.order_id,
        "status": DeliveryStatus.pending.value,
        "attempts": 0,
        "next_try_at": now,
        "error": "",
        "created_at": now,
    }
