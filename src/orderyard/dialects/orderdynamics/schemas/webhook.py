"""Webhooks API bodies (Orderyard's addition, in the dialect's conventions)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.domain.webhooks import EVENT_TYPES
from orderyard.http.wire import Count, Id

EventType = Annotated[str, Field(max_length=40, description=", ".join(EVENT_TYPES))]


class WebhookIn(WireIn):
    """An endpoint to subscribe."""

    url: str = Field(max_length=2000, description="Absolute http(s) URL that receives posts.")
    event_types: list[EventType] = Field(max_length=len(EVENT_TYPES) * 2)
    dialect: Literal["orderdynamics", "shipedge"] = Field(
        default="orderdynamics", description="Whose field names the posted record uses."
    )


class WebhookOut(WireOut):
    """A subscription; `Secret` only in the answer that created it."""

    webhook_id: Id
    url: str
    event_types: list[str]
    dialect: str
    active: bool
    disabled_reason: str
    created_date_time_utc: datetime
    secret: str | None = Field(
        default=None, description="The signing secret: in the create answer only; keep it."
    )


class DeliveryOut(WireOut):
    """One event's delivery to the subscription and its last try."""

    delivery_id: Id
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or failed (given up after 8 tries).")
    attempts: Count
    next_try_date_time_utc: datetime | None
    response_code: int | None
    latency_ms: int | None
    error: str
    created_date_time_utc: datetime
    delivered_date_time_utc: datetime | None
