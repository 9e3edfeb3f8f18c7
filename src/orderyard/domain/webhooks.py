"""Webhooks: which events an account can subscribe to, how a delivery is signed and retried.

The event log (``events``) is the outbox: every change already records its event in its own
transaction, so a webhook adds no write to any change. A subscription turns the events of its
types into deliveries (``webhook_deliveries``), which the job worker sends.
"""

import hashlib
import hmac
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from orderyard.domain.errors import InvalidRequestError

EVENT_TYPES: tuple[str, ...] = (
    "order.created",
    "order.allocated",
    "order.backordered",
    "order.held",
    "order.resumed",
    "order.cancelled",
    "order.shipped",
    "order.delivered",
    "shipment.created",
    "shipment.rejected",
    "shipment.rerouted",
    "stock.changed",
    "return.received",
    "return.committed",
    "invoice.raised",
    "invoice.paid",
    "bulk_job.finished",
)
"""Every type a subscription may name. ``invoice.*`` have no event kind yet: the invoicing
change that records ``invoice_raised`` / ``invoice_paid`` adds them to ``KIND_TYPES`` only."""

KIND_TYPES: Mapping[str, str] = {
    "order_placed": "order.created",
    "order_imported": "order.created",
    "order_cancelled": "order.cancelled",
    "order_held": "order.held",
    "order_resumed": "order.resumed",
    "shipment_created": "shipment.created",
    "shipment_rejected": "shipment.rejected",
    "shipment_rerouted": "shipment.rerouted",
    "shipment_delivered": "order.delivered",
    "on_hand_set": "stock.changed",
    "return_received": "return.received",
    "return_committed": "return.committed",
    "invoice_raised": "invoice.raised",
    "invoice_paid": "invoice.paid",
    "job_finished": "bulk_job.finished",
}
"""An event kind that always means one webhook type."""

STATUS_TYPES: Mapping[str, Mapping[str, str]] = {
    "order_updated": {"allocated": "order.allocated", "backordered": "order.backordered"},
    "shipment_shipped": {"shipped": "order.shipped"},
}
"""Kinds whose type depends on the order status the event carries (``status`` or
``order_status`` in its data): an update that left the order allocated is ``order.allocated``."""

SUBSCRIBABLE_KINDS: tuple[str, ...] = tuple(sorted({*KIND_TYPES, *STATUS_TYPES}))
"""The event kinds that can become a delivery (the fan-out reads only these)."""

DIALECTS = ("orderdynamics", "shipedge")
MAX_ATTEMPTS = 8
"""Tries of one delivery before it is given up (the first and seven retries)."""
BACKOFF_BASE = timedelta(minutes=2)
"""The pause after the first failure; each next one doubles: 2, 4, 8 ... 128 min, 4 h 14 min
over the seven pauses before jitter (each pause is drawn within 20 % of its figure)."""
JITTER = 0.2
DISABLE_AFTER_DEAD = 3
"""Deliveries given up in a row (every try failed) that disable a subscription."""
TIMEOUT_SECONDS = 10.0


class DeliveryStatus(StrEnum):
    """Where one delivery stands."""

    pending = "pending"
    delivered = "delivered"
    failed = "failed"
    """Given up after ``MAX_ATTEMPTS`` tries, or its subscription was removed."""


def event_type(kind: str, data: Mapping[str, object]) -> str | None:
    """The webhook type of an event, or None when no subscriber hears of it."""
    if kind in KIND_TYPES:
        return KIND_TYPES[kind]
    by_status = STATUS_TYPES.get(kind)
    if by_status is None:
        return None
    status = data.get("order_status", data.get("status"))
    return by_status.get(str(status))


def next_try(attempts: int, now: datetime, rng: random.Random | None = None) -> datetime | None:
    """When to try again after ``attempts`` failed tries; None when it is given up.

    Exponential backoff with jitter (within ``JITTER`` of each pause), so that the
    deliveries of an endpoint that was down do not all come back at the same second.
    """
    if attempts >= MAX_ATTEMPTS:
        return None
    pause = BACKOFF_BASE * (1 << max(0, attempts - 1))
    jitter = (rng or random).uniform(-JITTER, JITTER)
    return now + pause * (1 + jitter)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Orderyard-Signature`` of a body: HMAC-SHA256 over ``"<timestamp>." + body``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def check_url(url: str) -> str:
    """An endpoint URL: absolute http(s) with a host, at most 2000 characters."""
    parts = urlsplit(url)
    if len(url) > 2000 or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequestError(f"{url!r} is not an http(s) URL", field="url")
    return url


def check_types(types: list[str]) -> list[str]:
    """Event types of a subscription: known, at least one, without repeats."""
    if not types:
        raise InvalidRequestError("name at least one event type", field="event_types")
    for name in types:
        if name not in EVENT_TYPES:
            raise InvalidRequestError(f"unknown event type {name!r}", field="event_types")
    return sorted(set(types))


def check_dialect(dialect: str) -> str:
    """The dialect whose record shape the deliveries carry."""
    if dialect not in DIALECTS:
        raise InvalidRequestError(f"unknown dialect {dialect!r}", field="dialect")
    return dialect


@dataclass(frozen=True, slots=True)
class Subscription:
    """An account's endpoint and what it hears of."""

    id: int
    url: str
    event_types: list[str]
    dialect: str
    active: bool
    disabled_reason: str
    created_at: datetime
    secret: str = ""
    """Shown once, when the subscription is created; empty when read back."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event on its way to one subscription, and its last try."""

    id: int
    subscription_id: int
    event_id: int
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_try_at: datetime | None
    response_code: int | None
    latency_ms: int | None
    error: str
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueDelivery:
    """A delivery claimed by a worker: what to send where."""

    id: int
    account_id: int
    subscription_id: int
    url: str
    secret: str
    dialect: str
    event_id: int
    event_type: str
    attempts: int
    record_type: str
    record_id: int
    event_data: str
    event_time: datetime
    order_id: int | None


def public_event_id(event_id: int) -> str:
    """The id a receiver de-duplicates by (``evt_<n>``): in the body, a header and the log."""
    return f"evt_{event_id}"
