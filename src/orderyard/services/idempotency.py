"""Idempotency keys: run a keyed request, tell what its key holds, keep an answer, purge.

A keyed request runs at once, without claiming its key first. Its first write that commits
claims the key in the write's own transaction (``carrying_out``; ``store/keyed_writes.py``),
so of two requests with one key only one can write: the other's write fails on the key and
commits nothing. That request, and one that wrote nothing and whose answer meets the key
already held (``keep_unwritten``), answer what the key holds instead (``held``): the first
one's answer, that the key is another request's, that the first one's answer is not kept yet
(the caller waits and asks again: ``held`` is one cheap read), or that it was carried out and
its answer lost.

Each step here is a unit of work of its own, short, and never open while the request's own
is (the pool's gate: never hold one unit of work while opening another).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from orderyard.domain.idempotency import (
    KEEP,
    LEASE,
    CarriedOut,
    Held,
    InProgress,
    KeyedRequest,
    Reused,
    StoredAnswer,
)
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store import keyed_writes
from orderyard.store.keyed_writes import KeyedWrite
from orderyard.store.uow import SystemUnitOfWork, UnitOfWork

TRIES = 3
"""Answers tried when the key changes between the insert and the read (a purge, a forget)."""


@contextmanager
def carrying_out(
    account_id: AccountId, request: KeyedRequest, *, lease: timedelta = LEASE
) -> Iterator[KeyedWrite]:
    """Run the request in this block: its first committed write claims the key.

    The ``KeyedWrite`` yielded says afterwards whether a write claimed it (``carried_out``)
    or met it held and wrote nothing (``taken``).
    """
    keyed = KeyedWrite(account_id, request, os.urandom(16).hex(), utcnow() + lease)
    with keyed_writes.carrying_out(keyed):
        yield keyed


async def held(uow: UnitOfWork, request: KeyedRequest) -> Held | None:
    """What the request's key holds, which the request answers instead of its own.

    None when nothing holds it any more: the key is not there (its request's write rolled
    back after all, or the purge came), or it is a day old and is forgotten now; the request
    runs again then. A key left claimed but unanswered by a version that claimed keys before
    running their requests is forgotten likewise: that request never committed its write.
    """
    async with uow.for_keys() as work:
        row = await work.idempotency.find(request)
        if row is None:
            return None
        now = utcnow()
        expired = row.created_at <= now - KEEP
        if expired or (row.answer is None and not row.carried_out):
            await work.idempotency.forget(request, row.claim)
            await work.commit()
            return None
        if row.fingerprint != request.fingerprint:
            return Reused()
        if row.answer is not None:
            return row.answer
        return InProgress() if row.lease_until > now else CarriedOut()


async def keep_unwritten(uow: UnitOfWork, keyed: KeyedWrite, answer: StoredAnswer) -> Held | None:
    """Keep the answer of a request that wrote nothing; None when kept.

    When the key is held already (another request with it wrote, or answered, first), that
    is what the request answers instead of its own: a retry's refusal (a cancel of an order
    its first run cancelled) gives way to the first answer.
    """
    for _ in range(TRIES):
        async with uow.for_keys() as work:
            kept = await work.idempotency.add_answered(
                keyed.request, keyed.claim, answer, now=utcnow()
            )
            await work.commit()
        if kept:
            return None
        found = await held(uow, keyed.request)
        if found is not None:
            return found
    return InProgress()


async def answer_lost(uow: UnitOfWork, keyed: KeyedWrite) -> None:
    """The request committed its write and then failed: its retry is told so at once."""
    async with uow.for_keys() as work:
        await work.idempotency.end_lease(keyed.request, keyed.claim, now=utcnow())
        await work.commit()


async def purge_expired(uow: SystemUnitOfWork) -> int:
    """Delete the keys of every account older than ``KEEP``; the number deleted."""
    async with uow:
        purged = await uow.expired_keys.purge(utcnow() - KEEP)
        await uow.commit()
    return purged
