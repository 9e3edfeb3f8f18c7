"""Webhook subscriptions and their deliveries, from the core to OrderDynamics' wire shape."""

from orderyard.dialects.orderdynamics.schemas.webhook import DeliveryOut, WebhookOut
from orderyard.domain.webhooks import Delivery, Subscription, public_event_id


def webhook_out(sub: Subscription) -> WebhookOut:
    """A subscription in the dialect's words."""
    return WebhookOut(
        webhook_id=sub.id,
        url=sub.url,
        event_types=sub.event_types,
        dialect=sub.dialect,
        active=sub.active,
        disabled_reason=sub.disabled_reason,
        created_date_time_utc=sub.created_at,
        secret=sub.secret or None,
    )


def delivery_out(delivery: Delivery) -> DeliveryOut:
    """One delivery of the log in the dialect's words."""
    return DeliveryOut(
        delivery_id=delivery.id,
        event_id=public_event_id(delivery.event_id),
        event_type=delivery.event_type,
        status=delivery.status.value,
        attempts=delivery.attempts,
        next_try_date_time_utc=delivery.next_try_at,
        response_code=delivery.response_code,
        latency_ms=delivery.latency_ms,
        error=delivery.error,
        created_date_time_utc=delivery.created_at,
        delivered_date_time_utc=delivery.delivered_at,
    )
