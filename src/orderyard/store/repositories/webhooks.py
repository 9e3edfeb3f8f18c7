"""An account's webhook subscriptions and their delivery logs (the queue: ``webhook_queue``)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from orderyard.domain.values import Page, PageRequest
from orderyard.domain.webhooks import (
    Delivery,
    DeliveryStatus,
    Subscription,
)
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import (
    webhook_deliveries,
    webhook_subscriptions,
)

subs, deliveries = webhook_subscriptions, webhook_deliveries
PUBLIC_COLUMNS = [c for c in subs.c if c.name not in ("secret", "failed_in_row")]


def _subscription(row: Any, secret: str = "") -> Subscription:
    return Subscription(
        id=row.id,
        url=row.url,
        event_types=row.event_types.split(),
        dialect=row.dialect,
        active=row.active,
        disabled_reason=row.disabled_reason,
        created_at=row.created_at,
        secret=secret,
    )


def _delivery(row: Any) -> Delivery:
    return Delivery(
        id=row.id,
        subscription_id=row.subscription_id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_try_at=row.next_try_at,
        response_code=row.response_code,
        latency_ms=row.latency_ms,
        error=row.error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
    )


class WebhookRepository(TenantRepository):
    """One account's subscriptions and their delivery logs."""

    async def add(
        self, url: str, types: Sequence[str], *, secret: str, dialect: str, now: datetime
    ) -> Subscription:
        """A new, active subscription (its secret is in the answer, once)."""
        row = (
            await self.conn.execute(
                subs.insert()
                .values(
                    account_id=self.account_id,
                    url=url,
                    event_types=" ".join(types),
                    secret=secret,
                    dialect=dialect,
                    active=True,
                    created_at=now,
                )
                .returning(*PUBLIC_COLUMNS)
            )
        ).one()
        return _subscription(row, secret)

    async def get(self, subscription_id: int) -> Subscription | None:
        """The account's subscription, or None (another account's too)."""
        row = (
            await self.conn.execute(
                select(*PUBLIC_COLUMNS).where(
                    subs.c.account_id == self.account_id, subs.c.id == subscription_id
                )
            )
        ).first()
        return None if row is None else _subscription(row)

    async def page(self, page: PageRequest) -> Page[Subscription]:
        """The account's subscriptions, oldest first."""
        where = subs.c.account_id == self.account_id
        rows = await self.conn.execute(
            select(*PUBLIC_COLUMNS)
            .where(where)
            .order_by(subs.c.id)
            .limit(page.per_page)
            .offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, select(subs.c.id).where(where), page)
        return Page([_subscription(row) for row in rows], total, page, count_is_exact=exact)

    async def remove(self, subscription_id: int) -> None:
        """Delete a subscription and its delivery log (whatever was still to send)."""
        mine = (deliveries.c.account_id == self.account_id,)
        await self.conn.execute(
            deliveries.delete().where(*mine, deliveries.c.subscription_id == subscription_id)
        )
        await self.conn.execute(
            subs.delete().where(subs.c.account_id == self.account_id, subs.c.id == subscription_id)
        )

    async def deliveries(
        self, subscription_id: int, page: PageRequest, *, status: DeliveryStatus | None = None
    ) -> Page[Delivery]:
        """A page of one subscription's delivery log, newest first."""
        where = [
            deliveries.c.account_id == self.account_id,
            deliveries.c.subscription_id == subscription_id,
        ]
        if status is not None:
            where.append(deliveries.c.status == status.value)
        rows = await self.conn.execute(
            select(deliveries)
            .where(*where)
            .order_by(deliveries.c.id.desc())
            .limit(page.per_page)
            .offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, select(deliveries.c.id).where(*where), page)
        return Page([_delivery(row) for row in rows], total, page, count_is_exact=exact)
