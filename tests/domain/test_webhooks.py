"""Webhook rules: event types of recorded kinds, backoff, signatures, subscription checks."""

import hashlib
import hmac
import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.webhooks import (
    EVENT_TYPES,
    KIND_TYPES,
    MAX_ATTEMPTS,
    STATUS_TYPES,
    check_types,
    check_url,
    event_type,
    next_try,
    signature,
)

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("order_placed", {"status": "allocated"}, "order.created"),
        ("order_updated", {"status": "allocated"}, "order.allocated"),
        ("order_updated", {"status": "backordered"}, "order.backordered"),
        ("order_updated", {"status": "pending"}, None),
        ("shipment_shipped", {"order_status": "shipped"}, "order.shipped"),
        ("shipment_shipped", {"order_status": "partially_shipped"}, None),
        ("job_finished", {"status": "completed"}, "bulk_job.finished"),
        ("item_created", {}, None),
    ],
)
def test_an_event_kind_becomes_its_webhook_type(
    kind: str, data: dict[str, str], expected: str | None
) -> None:
    assert event_type(kind, data) == expected


def test_every_type_a_kind_can_become_is_one_a_subscription_can_name() -> None:
    produced = set(KIND_TYPES.values()) | {t for m in STATUS_TYPES.values() for t in m.values()}
    assert produced <= set(EVENT_TYPES)


@given(st.integers(min_value=0, max_value=2**32))
def test_eight_tries_span_about_four_hours_whatever_the_jitter(seed: int) -> None:
    rng = random.Random(seed)
    at, pauses = NOW, []
    for attempts in range(1, MAX_ATTEMPTS + 1):
        following = next_try(attempts, at, rng)
        if following is None:
            break
        pauses.append(following - at)
        at = following

    assert len(pauses) == MAX_ATTEMPTS - 1
    assert all(later > earlier for earlier, later in pairwise(pauses))
    assert (
        timedelta(hours=3, minutes=20) <= sum(pauses, timedelta()) <= timedelta(hours=5, minutes=5)
    )


@given(st.text(min_size=1, max_size=50), st.integers(0, 2**40), st.binary(max_size=500))
def test_the_signature_is_hmac_sha256_of_the_timestamp_dot_body(
    secret: str, timestamp: int, body: bytes
) -> None:
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)

    assert signature(secret, timestamp, body) == f"t={timestamp},v1={expected.hexdigest()}"


@pytest.mark.parametrize("url", ["ftp://x.example/", "hooks", "http://", "https:///path", ""])
def test_a_url_that_is_not_absolute_http_is_refused_naming_it(url: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        check_url(url)
    assert refused.value.field == "url"


def test_types_are_checked_deduplicated_and_sorted() -> None:
    assert check_types(["order.shipped", "order.created", "order.shipped"]) == [
        "order.created",
        "order.shipped",
    ]
    with pytest.raises(InvalidRequestError, match=r"unknown event type 'order\.lost'"):
        check_types(["order.created", "order.lost"])
