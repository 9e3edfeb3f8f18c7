"""Rate limits: a token bucket per account and one per key, after authentication.

Every authenticated request takes one token from its account's bucket and one from its key's
(the account's API key, or a staff member's token): both or neither, so a refused request
costs nothing. A bucket holds at most ``burst`` tokens and refills at ``rate`` tokens per
second; a request that finds either bucket empty is refused with the dialect's 429 and a
``Retry-After`` of the whole seconds until both hold a token again.

One server process keeps its buckets in memory (``MemoryBuckets``). Several processes share
them in Redis (``RedisBuckets``): one Lua script takes both tokens atomically, on the Redis
server's clock, in one round trip per request. If Redis cannot be reached the request is let
through and the failure is logged (at most once a minute): a broken limiter must not stop the
shop.

The dialects call ``rate_limit`` from their authentication dependency, once the caller is
known (``dialects/*/auth.py``); each answers ``RateLimitedError`` in its own error format.
"""

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.requests import HTTPConnection

from orderyard.http.deps import app_state
from orderyard.kit.clock import seconds

log = logging.getLogger(__name__)

RETRY_AFTER = "Retry-After"
WARN_EVERY_SECONDS = 60.0
MAX_BUCKETS = 100_000
"""Buckets one process keeps before it forgets full ones (a full bucket is the default)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Token rates (per second) and bucket sizes, for each key and for each account."""

    rate: float
    burst: int
    account_rate: float
    account_burst: int


class RateLimitedError(Exception):
    """The caller has used its tokens; ``retry_after`` whole seconds until the next one."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limit exceeded: retry after {retry_after} s")
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        """The sentence both dialects answer."""
        return f"Too many requests: retry after {self.retry_after} seconds"


class Buckets(Protocol):
    """Where the buckets live: this process, or Redis."""

    async def take(self, account: str, key: str) -> float:
        """Take a token from both buckets; 0 if taken, else the seconds until possible."""

    async def close(self) -> None:
        """Release what the buckets hold open."""


class MemoryBuckets:
    """This process's buckets: ``[tokens, when]`` per name, refilled when next read.

    Time is ``kit.clock.seconds`` (monotonic; the ``clock`` fixture's in tests). About 2.5 us
    of CPU per ``RateLimiter.check`` driven alone in a loop on this shared machine (4 us on
    ``utcnow()``, whose datetime was most of it).
    """

    def __init__(self, limits: Limits, *, clock: Callable[[], float] = seconds) -> None:
        self.limits = limits
        self._clock = clock
        self._buckets: dict[str, list[float]] = {}

    async def take(self, account: str, key: str) -> float:
        """Take one token from each bucket, or from neither."""
        now = self._clock()
        limits = self.limits
        first = self._level(account, limits.account_rate, limits.account_burst, now)
        second = self._level(key, limits.rate, limits.burst, now)
        if first[0] >= 1 and second[0] >= 1:
            first[0] -= 1
            second[0] -= 1
            return 0.0
        return max(
            (1 - first[0]) / limits.account_rate if first[0] < 1 else 0.0,
            (1 - second[0]) / limits.rate if second[0] < 1 else 0.0,
        )

    def _level(self, name: str, rate: float, burst: int, now: float) -> list[float]:
        bucket = self._buckets.get(name)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._forget_full(now)
            bucket = self._buckets[name] = [float(burst), now]
        elif now > bucket[1]:
            bucket[0] = min(float(burst), bucket[0] + (now - bucket[1]) * rate)
            bucket[1] = now
        return bucket

    def _forget_full(self, now: float) -> None:
        """Drop the buckets untouched long enough to be full again; all if none is."""
        limits = self.limits
        refill = max(limits.burst / limits.rate, limits.account_burst / limits.account_rate)
        full = [name for name, (_, when) in self._buckets.items() if now - when >= refill]
        for name in full or list(self._buckets):
            del self._buckets[name]

    async def close(self) -> None:
        """Nothing to release."""


TAKE_BOTH = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local levels = {}
local wait = 0
for i = 1, 2 do
  local rate = tonumber(ARGV[2 * i - 1]) / 1000
  local burst = tonumber(ARGV[2 * i])
  local saved = redis.call('HMGET', KEYS[i], 't', 'm')
  local tokens = burst
  if saved[1] then
    tokens = math.min(burst, tonumber(saved[1]) + math.max(0, ms - tonumber(saved[2])) * rate)
  end
  levels[i] = tokens
  if tokens < 1 then
    wait = math.max(wait, math.ceil((1 - tokens) / rate))
  end
end
if wait > 0 then
  return wait
end
for i = 1, 2 do
  local rate = tonumber(ARGV[2 * i - 1]) / 1000
  local burst = tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 't', tostring(levels[i] - 1), 'm', ms)
  redis.call('PEXPIRE', KEYS[i], math.ceil(burst / rate) + 1000)
end
return 0
"""
"""KEYS: the account's and the key's bucket; ARGV: each one's rate per second and burst.
Answers 0 when both tokens were taken, else the milliseconds until both are there. The
Redis server's clock is every process's clock; a bucket expires once it would be full."""


class RedisBuckets:
    """Buckets shared by every process that uses the same Redis and prefix.

    One ``EVALSHA`` per request (redis-py loads the script on the first ``NOSCRIPT``).
    """

    def __init__(self, limits: Limits, url: str, *, prefix: str) -> None:
        from redis.asyncio import Redis

        self.limits = limits
        self.prefix = prefix
        self._client: Any = Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._script = self._client.register_script(TAKE_BOTH)
        self._args = (limits.account_rate, limits.account_burst, limits.rate, limits.burst)
        self._warned = -math.inf

    async def take(self, account: str, key: str) -> float:
        """Take one token from each shared bucket, or from neither."""
        keys = (f"{self.prefix}rl:{account}", f"{self.prefix}rl:{key}")
        try:
            wait_ms = await self._script(keys=keys, args=self._args)
        except Exception:
            now = time.monotonic()
            if now - self._warned >= WARN_EVERY_SECONDS:
                self._warned = now
                log.warning("rate limits not enforced: Redis is unreachable", exc_info=True)
            return 0.0
        return int(wait_ms) / 1000

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()


class RateLimiter:
    """Checks a caller against its buckets; raises ``RateLimitedError`` when they are empty."""

    def __init__(self, buckets: Buckets) -> None:
        self.buckets = buckets

    async def check(self, account_id: int, key: str) -> None:
        """Take a token for ``account_id`` and ``key`` (who sends: ``api:1``, ``staff:7``).

        Raises:
            RateLimitedError: either bucket is empty; nothing was taken.
        """
        wait = await self.buckets.take(f"a:{account_id}", f"k:{key}")
        if wait > 0:
            raise RateLimitedError(max(1, math.ceil(wait)))

    async def close(self) -> None:
        """Release the buckets' connections."""
        await self.buckets.close()


def create_limiter(
    limits: Limits | None, *, redis_url: str | None, prefix: str = "orderyard:"
) -> RateLimiter | None:
    """The process's limiter: none when ``limits`` is None (turned off), in Redis if a URL."""
    if limits is None:
        return None
    if redis_url:
        return RateLimiter(RedisBuckets(limits, redis_url, prefix=prefix))
    return RateLimiter(MemoryBuckets(limits))


async def rate_limit(connection: HTTPConnection, account_id: int, key: str) -> None:
    """Spend one of the caller's tokens (no-op when limits are off).

    Raises:
        RateLimitedError: the caller is over its limit; the dialect answers 429.
    """
    limiter = app_state(connection).limiter
    if limiter is not None:
        await limiter.check(account_id, key)
