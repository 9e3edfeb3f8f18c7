"""Sending webhooks: fan the event log out to subscriptions, then post what is due.

One pass (``deliver_due``) runs in the job worker's loop: a short transaction queues the new
events' deliveries, another leases the due ones; each is posted outside any transaction and its
outcome recorded in a third. A worker killed while posting leaves its leased deliveries to be
sent again when the lease ends: every event arrives at least once, and the receiver
de-duplicates by the event id it carries (``Orderyard-Event-Id`` and the body's ``id``).
"""

import asyncio
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from orderyard.domain.webhooks import (
    DISABLE_AFTER_DEAD,
    MAX_ATTEMPTS,
    TIMEOUT_SECONDS,
    DueDelivery,
    next_try,
    public_event_id,
    signature,
)
from orderyard.kit.clock import utcnow
from orderyard.kit.http_post import MAX_IDLE, HttpError, Poster
from orderyard.store.engine import Engines
from orderyard.store.repositories.webhook_queue import WebhookQueue
from orderyard.store.uow import SystemUnitOfWork

log = logging.getLogger(__name__)

Render = Callable[[DueDelivery, Mapping[str, Any]], dict[str, Any]]
"""A dialect's shape of an event's record: (the delivery, the event's data) -> JSON object."""

LEASE = timedelta(seconds=60)
"""How long a claimed delivery is a worker's: beyond the post's timeout."""
SHORTEST_LEASE = timedelta(seconds=TIMEOUT_SECONDS + 5)
"""A post may take its whole timeout, and its outcome must be recorded before the lease ends,
or a live worker's delivery would be posted again by another."""
BATCH = 500
"""Deliveries claimed and posted together in one pass (posted concurrently)."""


def lease_like_jobs(job_lease: timedelta) -> timedelta:
    """The deliveries' lease of a worker whose jobs are leased for ``job_lease``.

    One setting (``ORDERYARD_JOB_LEASE_SECONDS``) says how soon a dead worker's work is taken
    over: several nodes behind a balancer shorten it so that a node killed mid-delivery has
    its deliveries sent by the others within seconds, not a minute. Never below
    ``SHORTEST_LEASE``; the default (60 s) keeps ``LEASE``.
    """
    return max(job_lease, SHORTEST_LEASE)


@dataclass(slots=True)
class WebhookSender:
    """What a worker needs to post webhooks: a record shape per dialect and an HTTP client.

    The client is kept between passes (its connections stay open to the endpoints), and
    closed by ``aclose`` when the worker stops.
    """

    renderers: Mapping[str, Render]
    timeout: float = TIMEOUT_SECONDS
    lease: timedelta = LEASE
    batch: int = BATCH
    client: Poster | None = field(default=None)

    def http(self) -> Poster:
        """The client, opened on first use."""
        if self.client is None:
            self.client = Poster(timeout=self.timeout)
        return self.client

    async def aclose(self) -> None:
        """Close the client's connections."""
        if self.client is not None:
            await self.client.aclose()
            self.client = None


@dataclass(frozen=True, slots=True)
class _Outcome:
    due: DueDelivery
    code: int | None
    latency_ms: int
    error: str


def body_of(due: DueDelivery, render: Render) -> bytes:
    """The JSON body posted for one delivery: id, type, time, and the record."""
    data = json.loads(due.event_data or "{}")
    document = {
        "id": public_event_id(due.event_id),
        "type": due.event_type,
        "created_at": due.event_time.isoformat().replace("+00:00", "Z"),
        "account_id": due.account_id,
        "attempt": due.attempts,
        "data": render(due, data),
    }
    return json.dumps(document, separators=(",", ":"), default=str).encode()


def headers_of(due: DueDelivery, body: bytes) -> dict[str, str]:
    """The signed headers of one post (the timestamp is the time of this try)."""
    timestamp = int(utcnow().timestamp())
    return {
        "Content-Type": "application/json",
        "User-Agent": "Orderyard-Webhooks/1",
        "Orderyard-Event-Id": public_event_id(due.event_id),
        "Orderyard-Event-Type": due.event_type,
        "Orderyard-Signature": signature(due.secret, timestamp, body),
    }


async def deliver_due(engines: Engines, sender: WebhookSender) -> int:
    """Queue new events' deliveries, then post every due one; how many were posted.

    Three short transactions whatever the batch: fan out and claim, then (after the posts,
    made concurrently outside any transaction) record every outcome.
    """
    async with SystemUnitOfWork(engines.write) as system:
        await system.webhook_queue.fan_out(utcnow())
        claimed = await system.webhook_queue.claim(utcnow(), lease=sender.lease, limit=sender.batch)
        await system.commit()
    if not claimed:
        return 0
    client = sender.http()
    lanes = asyncio.Semaphore(MAX_IDLE)  # as many posts at once as connections kept open

    async def post(due: DueDelivery) -> _Outcome:
        async with lanes:
            return await _post(sender, client, due)

    outcomes = await asyncio.gather(*(post(due) for due in claimed))
    await _record(engines, outcomes)
    return len(claimed)


async def _post(sender: WebhookSender, client: Poster, due: DueDelivery) -> _Outcome:
    body = body_of(due, sender.renderers[due.dialect])
    started = time.monotonic()
    code: int | None = None
    error = ""
    try:
        code = await client.post(due.url, body, headers_of(due, body))
        if not 200 <= code < 300:
            error = f"answered {code}"
    except HttpError as failure:
        error = str(failure)[:500]
    return _Outcome(due, code, int((time.monotonic() - started) * 1000), error)


async def _record(engines: Engines, outcomes: list[_Outcome]) -> None:
    async with SystemUnitOfWork(engines.write) as system:
        queue = system.webhook_queue
        now = utcnow()
        accepted = [o for o in outcomes if not o.error]
        if accepted:
            await queue.delivered([(o.due, o.code or 200, o.latency_ms) for o in accepted], now=now)
        for outcome in outcomes:
            if outcome.error:
                await _failed(queue, outcome, now)
        await system.commit()


async def _failed(queue: WebhookQueue, outcome: _Outcome, now: datetime) -> None:
    due = outcome.due
    given_up = await queue.failed(
        due,
        code=outcome.code,
        latency_ms=outcome.latency_ms,
        error=outcome.error,
        next_try_at=next_try(due.attempts, now),
    )
    if given_up >= DISABLE_AFTER_DEAD:
        reason = (
            f"disabled: {given_up} deliveries in a row failed {MAX_ATTEMPTS} tries"
            f" (last: {outcome.error})"
        )
        await queue.disable(due.subscription_id, reason)
        log.warning("webhook %s %s", due.subscription_id, reason)
