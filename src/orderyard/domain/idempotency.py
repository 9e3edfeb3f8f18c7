"""Idempotency keys: what a keyed write request is, and what its key already holds.

A client that sends ``Idempotency-Key`` on a POST, PUT or PATCH may send the same request
again (a timeout, a dropped connection) and get the first answer instead of a second
effect. A key belongs to one account and one method and path (``KeyedRequest.scope``); the
request it stands for is fingerprinted by its query and body, so the same key with another
request is refused rather than answered with something that does not describe it.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import timedelta

from orderyard.domain.errors import ConflictError

KEEP = timedelta(hours=24)
"""How long an answer is kept: a retry within it is answered, after it the key is new."""
LEASE = timedelta(minutes=5)
"""How long the answer of a request that committed its write may take to be kept: a retry
meanwhile waits for it; after it, the process that ran the request is assumed gone, and a
retry is told that the request was carried out and its answer lost (``CarriedOut``)."""
MAX_KEY_LENGTH = 255
"""Stripe's limit: a UUID (36) with room for a client's own prefix."""
KEY_MESSAGE = f"must be 1 to {MAX_KEY_LENGTH} visible ASCII characters"
REUSED_MESSAGE = "this Idempotency-Key was used with another request (method, path, query or body)"
IN_PROGRESS_MESSAGE = (
    "a request with this Idempotency-Key is still in progress: retry after it has finished"
)
TAKEN_MESSAGE = (
    "another request with this Idempotency-Key was carried out first: this one was not (the"
    " first one's answer stands)"
)
CARRIED_OUT_MESSAGE = (
    "the request with this Idempotency-Key was carried out, but its answer was lost (the"
    " server stopped before keeping it): read the result instead of sending it again"
)


_VALID_KEY = re.compile(f"[!-~]{{1,{MAX_KEY_LENGTH}}}")


def valid_key(key: str) -> bool:
    """Whether ``key`` can be a key: visible ASCII, no spaces, at most 255 characters."""
    return _VALID_KEY.fullmatch(key) is not None


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """A write request carrying a key, as the store keeps it."""

    key: str
    method: str
    path: str
    fingerprint: str
    """sha256 of the query string and the body: what "the same request" means."""
    scope: str = field(init=False)
    """sha256 of method, path and key: unique within the account (a fixed-size index).
    Computed once: a keyed request reads it five times."""

    def __post_init__(self) -> None:
        text = "\n".join((self.method, self.path, self.key))
        scope = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        object.__setattr__(self, "scope", scope)


def fingerprint(query: bytes, body: bytes) -> str:
    """The request's fingerprint: its query string and body, byte for byte."""
    digest = hashlib.sha256(query)
    digest.update(b"\n")
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The response a key answers with: status, body and headers as first sent."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Reused:
    """The key holds another request's answer, or its write."""


@dataclass(frozen=True, slots=True)
class InProgress:
    """The key's first request committed its write, and its answer is not kept yet."""


@dataclass(frozen=True, slots=True)
class CarriedOut:
    """The key's first request committed its write, then its process stopped unanswered."""


Held = StoredAnswer | Reused | InProgress | CarriedOut
"""What a key already holds, which a request meeting it answers instead of its own."""


def stored(status: int) -> bool:
    """Whether an answer is kept for the key: everything but a server error.

    A 4xx is the answer to that request and would be again (Stripe keeps them too); a 5xx
    says nothing was done, so a retry must run again.
    """
    return status < 500


class KeyTakenError(ConflictError):
    """The request's write met its key already held: another request with it wrote first.

    Nothing of this write commits (``store/keyed_writes.py``); the request answers what the
    key holds instead of this error (``http/idempotency.py``).
    """

    def __init__(self) -> None:
        super().__init__(TAKEN_MESSAGE, field="Idempotency-Key")
