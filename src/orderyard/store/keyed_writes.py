"""The idempotency key of the request being run, so that its write marks the key carried out.

A keyed request's claim is committed before the request runs, and its answer after; neither
is in the request's own transaction. A claim found later without an answer says only that
its process stopped (died, or lost the answer in a database crash), not whether the request's
write committed. So the request's write transaction also sets the key's ``carried_out``: the
unit of work does it as it commits (``UnitOfWork.commit``), and the one-statement order
placement does it inside its statement (``order_sets``). Then a key without an answer whose
request committed is known to be carried out, and a retry is told so instead of running it
again; and the answer itself may commit without waiting for the disk, one log flush per keyed
request instead of two (``repositories/idempotency.py``).

The key rides in a context variable (set by ``http.idempotency`` around the request), the way
``store.transaction.watching_commits`` watches commits: the use cases need not know about keys.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from orderyard.domain.values import AccountId


@dataclass(slots=True)
class KeyedWrite:
    """The claimed key of the running request, and whether a commit of it has marked the key."""

    account_id: AccountId
    scope: str
    claim: str
    carried_out: bool = False


_RUNNING: ContextVar[KeyedWrite | None] = ContextVar("orderyard_keyed_write", default=None)


@contextmanager
def carrying_out(account_id: AccountId, scope: str, claim: str) -> Iterator[KeyedWrite]:
    """While the block runs, the account's writes that commit mark the key carried out."""
    keyed = KeyedWrite(account_id, scope, claim)
    token = _RUNNING.set(keyed)
    try:
        yield keyed
    finally:
        _RUNNING.reset(token)


def unmarked(account_id: AccountId) -> KeyedWrite | None:
    """The running request's key, if a write of ``account_id`` must still mark it."""
    keyed = _RUNNING.get()
    if keyed is None or keyed.carried_out or keyed.account_id != account_id:
        return None
    return keyed
