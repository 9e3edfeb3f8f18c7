"""``Idempotency-Key``: a retried write answers the first answer instead of acting twice.

``IdempotencyKeys`` wraps a dialect's app (inside its ``RequestGuard``, so the body has
passed the edge's checks and an unexpected error reaches it as an exception). A POST, PUT or
PATCH that carries the header:

1. names its account by the dialect's own credentials (``account_of``, the same checks and
   key cache its routes use). Credentials that fail pass through untouched: the route
   answers its own 400/401, and nothing is kept.
2. claims the key (``services.idempotency.claim``: one ``INSERT ... ON CONFLICT DO NOTHING``
   in a unit of work of its own, closed before the request's opens). The key is scoped to
   the account, method and path; the request is fingerprinted by query and body. The claim
   and the request's units of work share one pooled connection, checked out once
   (``store/lending.py``: three checkouts were nearly half of a keyed request's extra CPU); a
   retry that must wait for the first request gives it back first.
3. runs the request, sends its answer, then keeps it (status, body, headers) for the key,
   unless it is a server error (5xx or an exception): then the claim is released and a
   retry runs again. 4xx answers are kept, as Stripe keeps them. The answer is written a few
   milliseconds later with the process's other answers (``services/answer_queue.py``); a
   retry that arrives meanwhile is answered from there in this process, and waits for the
   answer like any retry of a running request in another. The request's own commit came
   before it all the same. An answer that cannot be sent (the client went away) is kept all
   the same: that is the retry idempotency is for.

A retry with the same key and request is answered the stored response, with
``Idempotent-Replayed: true``; the same key with another request is refused with the
dialect's conflict status; a retry that comes while the first still runs waits for its
answer up to ``wait_seconds``, then is refused as in progress (the same status).

A request without the header costs one scan of its header list: no statement, no copy.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderyard.domain.idempotency import (
    CARRIED_OUT_MESSAGE,
    IN_PROGRESS_MESSAGE,
    KEY_MESSAGE,
    REUSED_MESSAGE,
    CarriedOut,
    Claim,
    Claimed,
    InProgress,
    KeyedRequest,
    Reused,
    StoredAnswer,
    fingerprint,
    stored,
    valid_key,
)
from orderyard.domain.values import AccountId
from orderyard.http.deps import AppState, UnitOfWork, app_state, write_uow
from orderyard.http.guard import Refusal
from orderyard.services import idempotency
from orderyard.services.answer_queue import AnswerQueue

log = logging.getLogger(__name__)

HEADER = b"idempotency-key"
NAME = "Idempotency-Key"
REPLAYED = (b"idempotent-replayed", b"true")
KEYED_METHODS = frozenset({"POST", "PUT", "PATCH"})
WAIT_SECONDS = 10.0
"""How long a retry waits for the first request with its key to answer."""
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.2

_REFUSALS: dict[type[Claim], str] = {
    Reused: REUSED_MESSAGE,
    InProgress: IN_PROGRESS_MESSAGE,
    CarriedOut: CARRIED_OUT_MESSAGE,
}
"""What each key that cannot run the request says, with the dialect's conflict status."""

AccountOf = Callable[[HTTPConnection], Awaitable[AccountId | None]]
"""The request's account by the dialect's credentials, or None when they fail."""


class IdempotencyKeys:
    """ASGI middleware: claim, run once, store and replay keyed write requests."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        account_of: AccountOf,
        refuse: Refusal,
        conflict_status: int,
        wait_seconds: float = WAIT_SECONDS,
    ) -> None:
        self.app = app
        self.account_of = account_of
        self.refuse = refuse
        self.conflict_status = conflict_status
        self.wait_seconds = wait_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request once per key; untouched when it carries none."""
        if scope["type"] != "http" or scope["method"] not in KEYED_METHODS:
            await self.app(scope, receive, send)
            return
        raw = next((v for k, v in scope["headers"] if k == HEADER), None)
        if raw is None:
            await self.app(scope, receive, send)
            return
        key = raw.decode("latin-1")
        if not valid_key(key):
            await self.refuse(400, NAME, f"{NAME}: {KEY_MESSAGE}")(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        account = await self.account_of(connection)
        if account is None:
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        request = KeyedRequest(
            key, scope["method"], scope["path"], fingerprint(scope["query_string"], body)
        )
        uow = _uow(connection, account)
        state = app_state(connection)
        async with AsyncExitStack() as loan:
            await loan.enter_async_context(uow.sharing_one_connection())
            claim = await _claim_once(state, uow, request)
            if isinstance(claim, InProgress):
                await loan.aclose()  # a retry waiting for the first request's answer holds none
                claim = await self._claim(state, uow, request)
            if isinstance(claim, Claimed):
                keyed = _Keyed(uow, request, claim, state.answers)
                await self._run(scope, _replay(body, receive), send, keyed)
                return
        await self._refuse_or_replay(claim, scope, receive, send)

    async def _refuse_or_replay(
        self, claim: Claim, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Answer a key this request could not claim: its stored answer, or why not."""
        if isinstance(claim, StoredAnswer):
            await _send_answer(send, claim, replayed=True)
            return
        message = _REFUSALS[type(claim)]
        refusal = self.refuse(self.conflict_status, NAME, f"{NAME}: {message}")
        await refusal(scope, receive, send)

    async def _claim(self, state: AppState, uow: UnitOfWork, request: KeyedRequest) -> Claim:
        """Claim the key, waiting (bounded) while the first request with it runs."""
        deadline = time.monotonic() + self.wait_seconds
        pause = FIRST_PAUSE_S
        while True:
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)
            claim = await _claim_once(state, uow, request)
            if not isinstance(claim, InProgress) or time.monotonic() >= deadline:
                return claim

    async def _run(self, scope: Scope, receive: Receive, send: Send, keyed: "_Keyed") -> None:
        """Run the request and send its answer; then keep the answer (or release the key)."""
        start: Message | None = None
        chunks: list[bytes] = []
        answer: StoredAnswer | None = None

        async def keeping_send(message: Message) -> None:
            nonlocal start, answer
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            answer = _answer(start, body)  # before sending: kept even if the client is gone
            await send(start)  # as the route sent it: only a replay rebuilds it
            await send({"type": "http.response.body", "body": body, "more_body": False})

        try:
            with idempotency.carrying_out(keyed.uow.account_id, keyed.request, keyed.claim):
                await self.app(scope, receive, keeping_send)
        finally:  # an answer the client went away from is kept all the same
            await keyed.settle(answer)


async def _claim_once(state: AppState, uow: UnitOfWork, request: KeyedRequest) -> Claim:
    """Claim the key, or say what holds it.

    A request "still running" may be one of this process's whose answer waits to be kept
    (``services/answer_queue.py``): then a retry is answered from there at once.
    """
    claim = await idempotency.claim(uow, request, lease=state.key_lease)
    if isinstance(claim, InProgress):
        return state.answers.waiting(uow.account_id, request) or claim
    return claim


class _Keyed:
    """The claimed key of the request being run."""

    def __init__(
        self, uow: UnitOfWork, request: KeyedRequest, claim: Claimed, answers: AnswerQueue
    ) -> None:
        self.uow = uow
        self.request = request
        self.claim = claim
        self.answers = answers

    async def settle(self, answer: StoredAnswer | None) -> None:
        """Keep the answer for the key, or release the key when there is none to keep.

        The answer is written a few milliseconds later, with others (``AnswerQueue``).

        Outside ``carrying_out``: the release's unit of work is the key's, not the request's.
        """
        if answer is None or not stored(answer.status):
            await self.release()
            return
        await self.answers.keep(self.uow.account_id, self.request, self.claim.token, answer)

    async def release(self) -> None:
        """Forget the claim, so that a retry runs the request again (unless it was carried out)."""
        try:
            await idempotency.release(self.uow, self.request, self.claim)
        except Exception:  # a retry waits out the claim's lease, then runs again or is told
            log.exception("could not release idempotency key %r", self.request.key)


def _uow(connection: HTTPConnection, account: AccountId) -> UnitOfWork:
    return write_uow(connection, account, actor=f"api:{account}")


def _answer(start: Message, body: bytes) -> StoredAnswer:
    headers = tuple(
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in start.get("headers", [])
    )
    return StoredAnswer(int(start["status"]), body, headers)


async def _send_answer(send: Send, answer: StoredAnswer, *, replayed: bool) -> None:
    headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in answer.headers]
    if replayed:
        headers.append(REPLAYED)
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replaying_receive() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replaying_receive
