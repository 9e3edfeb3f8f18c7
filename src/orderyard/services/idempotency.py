"""Idempotency keys: claim a key before its request runs, release it if the request fails.

The answer is kept after, with others (``services/answer_queue.py``). Each step here is a
unit of work of its own, short and closed before the request's own opens (the pool's gate:
never hold one unit of work while opening another). On PostgreSQL each autocommits: a new
key costs one INSERT to claim, and a share of one UPDATE to answer. While the request runs
(``carrying_out``), its write marks the key in the write's own transaction, so a key left
without an answer tells whether its request was carried out (``store/keyed_writes.py``).

Concurrency: the claim is ``INSERT ... ON CONFLICT DO NOTHING`` on ``(account, scope)``, so
of two requests with one key exactly one inserts; the other reads the row and is told the
stored answer, that the key is another request's, or that the first is still running (the
caller waits and asks again: ``claim`` is cheap to repeat).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from orderyard.domain.idempotency import (
    KEEP,
    LEASE,
    CarriedOut,
    Claim,
    Claimed,
    InProgress,
    KeyedRequest,
    Reused,
)
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store import keyed_writes
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

TRIES = 3
"""Claims tried when the row changes between the insert and the read (a purge, a takeover)."""


async def claim(uow: UnitOfWork, request: KeyedRequest, *, lease: timedelta = LEASE) -> Claim:
    """Claim the request's key, or say what holds it.

    An expired key (older than ``KEEP``) is claimed afresh, and so is an abandoned claim (no
    answer within ``lease``: its process stopped) whose request never committed its write;
    each fenced by the claim it replaces. An abandoned claim whose request did commit is
    ``CarriedOut``: running it again would do it twice. A request that was only slow, and
    whose claim a retry took over, cannot commit afterwards (``KeyTakenOverError``), so a
    short lease costs a slow request its answer, never a second run.
    """
    async with uow.for_keys() as work:
        for _ in range(TRIES):
            now = utcnow()
            token = os.urandom(16).hex()
            lease_until = now + lease
            if await work.idempotency.claim(request, token, now=now, lease_until=lease_until):
                await work.commit()
                return Claimed(token)
            row = await work.idempotency.find(request)
            if row is None:
                continue  # purged since the insert: claim again
            expired = row.created_at <= now - KEEP
            abandoned = row.answer is None and row.lease_until <= now
            if abandoned and not expired and row.carried_out:
                return CarriedOut() if row.fingerprint == request.fingerprint else Reused()
            if expired or abandoned:
                if await work.idempotency.replace(
                    request,
                    was=row.claim,
                    claim=token,
                    now=now,
                    lease_until=lease_until,
                    expired=expired,
                ):
                    await work.commit()
                    return Claimed(token)
                continue
            if row.fingerprint != request.fingerprint:
                return Reused()
            return InProgress() if row.answer is None else row.answer
    return InProgress()


async def release(uow: UnitOfWork, request: KeyedRequest, claimed: Claimed) -> bool:
    """Forget the claim of a request that failed (5xx): a retry runs it again.

    Unless its write had committed before it failed: then the claim stays, answerless and
    with its lease ended, and a retry is told it was carried out. False in that case.
    """
    async with uow.for_keys() as work:
        released = await work.idempotency.release(request, claimed.token, now=utcnow())
        await work.commit()
    return released


@contextmanager
def carrying_out(account_id: AccountId, request: KeyedRequest, claimed: Claimed) -> Iterator[None]:
    """Run the claimed request in this block: its committed write marks the key carried out."""
    with keyed_writes.carrying_out(account_id, request.scope, claimed.token):
        yield


async def purge_expired(uow: SystemUnitOfWork) -> int:
    """Delete the keys of every account older than ``KEEP``; the number deleted."""
    async with uow:
        purged = await uow.expired_keys.purge(utcnow() - KEEP)
        await uow.commit()
    return purged
