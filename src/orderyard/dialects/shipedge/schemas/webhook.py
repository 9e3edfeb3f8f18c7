"""Webhooks bodies (Orderyard's addition, in ShipEdge's conventions: snake_case, ``data``)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.domain.webhooks import EVENT_TYPES
from orderyard.http.wire import Count, Id


class WebhookIn(WireModel):
    """An endpoint to subscribe."""

    url: str = Field(max_length=2000, description="Absolute http(s) URL that receives posts.")
    event_types: list[str] = Field(
        max_length=len(EVENT_TYPES) * 2, description=", ".join(EVENT_TYPES)
    )
    dialect: Literal["shipedge", "orderdynamics"] = Field(
        default="shipedge", description="Whose field names the posted record uses."
    )


class WebhooksIn(WireModel):
    """Subscriptions to create, each on its own."""

    data: list[WebhookIn] = Field(min_length=1, max_length=100)


class WebhookOut(BaseModel):
    """A subscription; ``secret`` only in the answer that created it."""

    webhook_id: Id
    url: str
    event_types: list[str]
    dialect: str
    active: bool
    disabled_reason: str
    created_at: datetime
    secret: str | None = None


class WebhookResultOut(BaseModel):
    """The outcome of one subscription of a bulk call."""

    webhook: WebhookOut | None = None
    success: bool
    message: str | None = None
    field: str | None = None


class DeliveryOut(BaseModel):
    """One event's delivery to the subscription and its last try."""

    delivery_id: Id
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or failed (given up after 8 tries).")
    attempts: Count
    next_try_at: datetime | None
    response_code: int | None
    latency_ms: int | None
    error: str
    created_at: datetime
    delivered_at: datetime | None
