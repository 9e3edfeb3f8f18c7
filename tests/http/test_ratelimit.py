"""Rate limits: token buckets per account and per key, 429 with Retry-After in each dialect."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from orderyard.app import SHIPEDGE_ROOT, create_app
from orderyard.http.ratelimit import Limits, MemoryBuckets, RateLimiter, RedisBuckets
from orderyard.kit.clock import TestClock
from orderyard.services.account import NewAccount
from orderyard.settings import DatabaseSettings, RateLimitSettings, Settings
from tests.dialects.shipedge.conftest import order_body
from tests.factories import Factory
from tests.http.servers import serving

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOMY = {"account_rate": 1000.0, "account_burst": 1000}
"""An account limit that a test of the key's limit never reaches."""


class Servers:
    """Makes in-process servers with the limits a test chooses, all closed at its end."""

    def __init__(self, db_url: str, account: NewAccount) -> None:
        self.db_url = db_url
        self.account = account
        self.opened: list[tuple[httpx.AsyncClient, Any]] = []

    async def __call__(self, **limits: Any) -> httpx.AsyncClient:
        """The whole server, rate limits on, authenticated for both dialects."""
        chosen = RateLimitSettings(enabled=True, **{"rate": 1.0, "burst": 3, **ROOMY, **limits})
        app = create_app(Settings(database=DatabaseSettings(url=self.db_url), rate_limit=chosen))
        headers = {
            "AccountID": str(self.account.account_id),
            "Key": self.account.key,
            "Ocp-Apim-Subscription-Key": self.account.key,
        }
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", headers=headers
        )
        self.opened.append((http, app))
        return http

    async def close(self) -> None:
        """Close every client and its app's engines."""
        for http, app in self.opened:
            await http.aclose()
            await app.state.orderyard.engines.dispose()


@pytest.fixture
async def servers(db_url: str, account: NewAccount) -> AsyncIterator[Servers]:
    made = Servers(db_url, account)
    yield made
    await made.close()


@pytest.fixture
async def server(servers: Servers) -> httpx.AsyncClient:
    """A server whose key may send 3 requests at once, then one a second."""
    return await servers()


async def test_a_burst_above_the_keys_limit_is_answered_429_in_shipedge_envelope(
    server: httpx.AsyncClient, clock: TestClock
) -> None:
    answers = [(await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code for _ in range(3)]
    refused = await server.get(f"{SHIPEDGE_ROOT}/orders")

    assert answers == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.json() == {
        "response": {
            "success": False,
            "message": "Too many requests: retry after 1 seconds",
            "errors": [],
        }
    }
    clock.advance(timedelta(seconds=1))
    assert (await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code == 200


async def test_orderdynamics_answers_a_problem_with_retry_after(
    server: httpx.AsyncClient, clock: TestClock
) -> None:
    for _ in range(3):
        assert (await server.get("/v1/inventorylocations")).status_code == 200

    refused = await server.get("/v1/inventorylocations")

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["Content-Type"] == "application/problem+json"
    body = refused.json()
    assert body == {
        "type": "https://tools.ietf.org/html/rfc6585#section-4",
        "title": "Too Many Requests",
        "status": 429,
        "detail": "Too many requests: retry after 1 seconds",
        "traceId": refused.headers["X-Trace-Id"],
    }


async def test_both_dialects_spend_the_same_keys_tokens(
    server: httpx.AsyncClient, clock: TestClock
) -> None:
    assert (await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code == 200
    assert (await server.get("/v1/inventorylocations")).status_code == 200
    assert (await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code == 200

    assert (await server.get("/v1/inventorylocations")).status_code == 429


async def test_retry_after_is_the_whole_seconds_until_the_next_token(
    servers: Servers, clock: TestClock
) -> None:
    server = await servers(rate=0.25, burst=1)  # one token every 4 s
    assert (await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code == 200

    first = await server.get(f"{SHIPEDGE_ROOT}/orders")
    clock.advance(timedelta(seconds=2.5))
    later = await server.get(f"{SHIPEDGE_ROOT}/orders")
    clock.advance(timedelta(seconds=1.5))
    again = await server.get(f"{SHIPEDGE_ROOT}/orders")

    assert (first.status_code, first.headers["Retry-After"]) == (429, "4")
    assert (later.status_code, later.headers["Retry-After"]) == (429, "2")
    assert again.status_code == 200


async def test_traffic_at_the_sustained_rate_is_never_refused(
    servers: Servers, clock: TestClock
) -> None:
    server = await servers(rate=10.0, burst=2)
    statuses = set()
    for _ in range(60):
        statuses.add((await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code)
        clock.advance(timedelta(milliseconds=100))

    assert statuses == {200}


async def test_a_refused_order_creation_writes_nothing(
    servers: Servers, make: Factory, clock: TestClock
) -> None:
    server = await servers(burst=1)
    await make.location("DC-1")
    await make.item("PROD-001")
    await make.stock("DC-1", "PROD-001", 10)
    placed = await server.post(f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body("A-1")]})

    refused = await server.post(f"{SHIPEDGE_ROOT}/orders", json={"data": [order_body("A-2")]})

    assert placed.status_code == 200
    assert refused.status_code == 429
    clock.advance(timedelta(seconds=1))
    listed = (await server.get(f"{SHIPEDGE_ROOT}/orders")).json()["data"]
    assert [order["order_number"] for order in listed] == ["A-1"]


async def test_an_unauthenticated_request_takes_no_token(
    servers: Servers, clock: TestClock
) -> None:
    server = await servers(burst=1)
    wrong = {"Key": "not-a-key"}
    refused = [(await server.get(f"{SHIPEDGE_ROOT}/orders", headers=wrong)) for _ in range(3)]

    assert [r.status_code for r in refused] == [401, 401, 401]
    assert (await server.get(f"{SHIPEDGE_ROOT}/orders")).status_code == 200


async def test_limits_turned_off_never_refuse(db_url: str, account: NewAccount) -> None:
    limits = RateLimitSettings(enabled=False, rate=1.0, burst=1)
    app = create_app(Settings(database=DatabaseSettings(url=db_url), rate_limit=limits))
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t", headers=headers
    ) as http:
        statuses = {(await http.get(f"{SHIPEDGE_ROOT}/orders")).status_code for _ in range(5)}
    await app.state.orderyard.engines.dispose()

    assert app.state.orderyard.limiter is None
    assert statuses == {200}


def test_the_defaults_are_documented_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ORDERYARD_RATE_LIMIT__ENABLED", raising=False)

    assert Settings().rate_limit == RateLimitSettings(
        enabled=True, rate=50.0, burst=100, account_rate=100.0, account_burst=200
    )
    assert Settings().redis.url is None


LIMITS = Limits(rate=1.0, burst=2, account_rate=1.0, account_burst=3)


async def test_memory_buckets_share_the_accounts_bucket_between_its_keys(clock: TestClock) -> None:
    limiter = RateLimiter(MemoryBuckets(LIMITS))

    taken = [await limiter.buckets.take("a:1", key) for key in ("k:x", "k:y", "k:x")]
    refused = await limiter.buckets.take("a:1", "k:y")

    assert taken == [0.0, 0.0, 0.0]
    assert refused == 1.0


async def test_memory_buckets_take_from_neither_when_one_is_empty(clock: TestClock) -> None:
    buckets = MemoryBuckets(LIMITS)
    assert [await buckets.take("a:1", "k:x") for _ in range(3)] == [0.0, 0.0, 1.0]

    # The key's refusal took nothing from the account: another key still has its 1 token.
    assert await buckets.take("a:1", "k:y") == 0.0
    assert await buckets.take("a:1", "k:z") == 1.0


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this test alone; its keys are deleted at the end."""
    prefix = f"orderyard-test-{uuid.uuid4().hex}:"
    yield prefix
    client = Redis.from_url(REDIS_URL)
    keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_redis_buckets_take_both_tokens_or_neither(redis_prefix: str) -> None:
    buckets = RedisBuckets(Limits(0.001, 2, 0.001, 3), REDIS_URL, prefix=redis_prefix)
    try:
        first = [await buckets.take("a:1", "k:x") for _ in range(3)]
        other_key = await buckets.take("a:1", "k:y")
        exhausted = await buckets.take("a:1", "k:z")
    finally:
        await buckets.close()

    assert first[:2] == [0.0, 0.0]
    assert first[2] > 900  # the key's bucket: one token per 1000 s
    assert other_key == 0.0  # the refusal took none of the account's tokens
    assert exhausted > 900


async def test_an_unreachable_redis_lets_requests_through(redis_prefix: str) -> None:
    buckets = RedisBuckets(LIMITS, "redis://127.0.0.1:1/0", prefix=redis_prefix)
    try:
        waits = [await buckets.take("a:1", "k:x") for _ in range(5)]
    finally:
        await buckets.close()

    assert waits == [0.0] * 5


async def test_two_processes_sharing_redis_refuse_a_burst_above_the_limit(
    db_url: str, account: NewAccount, redis_prefix: str, tmp_path: Path
) -> None:
    settings = {
        "ORDERYARD_REDIS__URL": REDIS_URL,
        "ORDERYARD_REDIS__PREFIX": redis_prefix,
        "ORDERYARD_RATE_LIMIT__RATE": "0.01",  # no refill worth a token during the test
        "ORDERYARD_RATE_LIMIT__BURST": "10",
        "ORDERYARD_RATE_LIMIT__ACCOUNT_RATE": "0.01",
        "ORDERYARD_RATE_LIMIT__ACCOUNT_BURST": "100",
    }
    headers = {"AccountID": str(account.account_id), "Key": account.key}
    with (
        serving(tmp_path, db_url, settings) as one,
        serving(tmp_path, db_url, settings) as two,
    ):
        async with httpx.AsyncClient(headers=headers, timeout=10) as http:
            origins = [one.origin, two.origin] * 7
            answers = [await http.get(f"{o}{SHIPEDGE_ROOT}/orders") for o in origins]
            burst = await asyncio.gather(
                *(http.get(f"{o}{SHIPEDGE_ROOT}/orders") for o in (one.origin, two.origin))
            )

    statuses = [answer.status_code for answer in answers]
    assert statuses == [200] * 10 + [429] * 4
    assert [answer.status_code for answer in burst] == [429, 429]
    for refused in [*answers[10:], *burst]:
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["response"]["message"].startswith("Too many requests")


@pytest.mark.parametrize("path", [f"{SHIPEDGE_ROOT}/orders", "/v1/orders/Search"])
async def test_a_request_with_an_idempotency_key_spends_one_token(
    server: httpx.AsyncClient, clock: TestClock, path: str
) -> None:
    answers = [
        await server.post(path, json={}, headers={"Idempotency-Key": f"k-{n}"}) for n in range(4)
    ]

    assert [a.status_code == 429 for a in answers] == [False, False, False, True]
