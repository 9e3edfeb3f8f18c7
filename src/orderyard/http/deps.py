"""Per-request units of work, built from the engines the app was created with.

Dialects reach the store only through these factories (import-linter's indirect rule), so a
route can never open a transaction of its own or reach another account's data.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from orderyard.domain.idempotency import LEASE
from orderyard.domain.values import AccountId
from orderyard.services.account import KeyCache
from orderyard.services.answer_queue import AnswerQueue
from orderyard.services.media import Files
from orderyard.store.engine import Engines
from orderyard.store.uow import ReadUnitOfWork, SystemUnitOfWork, UnitOfWork

if TYPE_CHECKING:
    from orderyard.http.ratelimit import RateLimiter

__all__ = ["ReadUnitOfWork", "SystemUnitOfWork", "UnitOfWork"]


@dataclass(frozen=True, slots=True)
class AppState:
    """What every request may need: the engines and the process-level knobs."""

    engines: Engines
    max_per_page: int
    keys: KeyCache
    files: Files
    answers: AnswerQueue
    """Idempotency keys' answers waiting to be kept (``services/answer_queue.py``)."""
    emails_enabled: bool = False
    """Whether SMTP is configured (e-mails are sent, and may be resent)."""
    limiter: "RateLimiter | None" = None
    """The rate limiter (``http/ratelimit.py``); None when limits are off."""
    key_lease: timedelta = LEASE
    """How long a retry waits for the answer of a keyed request that wrote
    (``http/idempotency.py``)."""


def app_state(connection: HTTPConnection) -> AppState:
    """The state stored on the root app by ``create_app``."""
    state: AppState = connection.app.state.orderyard
    return state


def system_uow(connection: HTTPConnection) -> SystemUnitOfWork:
    """A tenant-less unit of work for key checks."""
    return SystemUnitOfWork(app_state(connection).engines.read)


def write_uow(connection: HTTPConnection, account_id: AccountId, *, actor: str) -> UnitOfWork:
    """A write unit of work scoped to an authenticated account."""
    return UnitOfWork(app_state(connection).engines.write, account_id, actor=actor)


def read_uow(connection: HTTPConnection, account_id: AccountId) -> ReadUnitOfWork:
    """A read-only unit of work scoped to an authenticated account.

    On the primary; a service whose read may be a little stale turns it to the read replica
    with ``tolerating_lag()`` (the choice is the service's, never the dialect's).
    """
    engines = app_state(connection).engines
    return ReadUnitOfWork(engines.read, account_id, replica=engines.replica)
