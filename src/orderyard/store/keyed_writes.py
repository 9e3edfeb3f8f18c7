"""The idempotency key of the request being run: its write claims the key, or meets it taken.

A keyed request runs without claiming its key first (``http/idempotency.py``). Its first
write that commits inserts the key's row in the write's own transaction, marked carried out:
the unit of work does it as it commits (``UnitOfWork.commit``), and the one-statement order
placement inside its statement (``order_sets``). So a key and the write it stands for commit
together or not at all, and of two requests with one key only one write can commit: the
other's insert meets the first's row (waiting for its transaction, when it is still open),
fails, and takes its whole write down with it (``KeyTakenError``); that request then answers
what the key holds. A request that commits nothing inserts its key with its answer instead
(``services.idempotency.keep_unwritten``).

The key rides in a context variable (set by ``http.idempotency`` around the request), the way
``store.transaction.watching_commits`` watches commits: the use cases need not know about keys.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from orderyard.domain.idempotency import KeyedRequest
from orderyard.domain.values import AccountId


@dataclass(slots=True)
class KeyedWrite:
    """The running request's key, and what its writes found."""

    account_id: AccountId
    request: KeyedRequest
    claim: str
    """A token of this run: the answer, kept later, is fenced by it."""
    lease_until: datetime
    """Until when a retry waits for this request's answer, once its write has committed."""
    carried_out: bool = False
    """A write of the request committed, and the key with it."""
    taken: bool = False
    """A write of the request met the key already held, and wrote nothing."""


_RUNNING: ContextVar[KeyedWrite | None] = ContextVar("orderyard_keyed_write", default=None)


@contextmanager
def carrying_out(keyed: KeyedWrite) -> Iterator[KeyedWrite]:
    """While the block runs, the first write of ``keyed``'s account that commits claims it."""
    token = _RUNNING.set(keyed)
    try:
        yield keyed
    finally:
        _RUNNING.reset(token)


def unclaimed(account_id: AccountId) -> KeyedWrite | None:
    """The running request's key, if a write of ``account_id`` must still claim it."""
    keyed = _RUNNING.get()
    if keyed is None or keyed.carried_out or keyed.account_id != account_id:
        return None
    return keyed
