"""``Idempotency-Key``: a retried write answers the first answer instead of acting twice.

``IdempotencyKeys`` wraps a dialect's app (inside its ``RequestGuard``, so the body has
passed the edge's checks and an unexpected error reaches it as an exception). A POST, PUT or
PATCH that carries the header:

1. names its account by the dialect's own credentials (``account_of``, the same checks and
   key cache its routes use). Credentials that fail pass through untouched: the route
   answers its own 400/401, and nothing is kept.
2. runs at once, without claiming its key first. The key is scoped to the account, method
   and path; the request is fingerprinted by query and body. Its first write that commits
   inserts the key in the write's own transaction (``services.idempotency.carrying_out``):
   of two requests with one key only one write can commit, the other fails on the key and
   commits nothing. Its units of work share one pooled connection, checked out once
   (``store/lending.py``).
3. answers. After a write, the answer is sent and kept for the key a few milliseconds later
   with the process's other answers (``services/answer_queue.py``); a retry that arrives
   meanwhile is answered from there in this process, and waits for it in another. A request
   that wrote nothing keeps its answer (4xx, or a 2xx that changed nothing) with its key
   before sending it, unless the key is held already: then, as when its write met the key,
   it answers what the key holds instead of its own (a retry's refusal, such as a cancel of
   the order its first run cancelled, gives way to the first answer). A server error (5xx or
   an exception) keeps nothing, and a retry runs again, unless a write had committed: then
   the retry is told the request was carried out and its answer lost.

What a key holds is answered with ``Idempotent-Replayed: true`` when it is the first answer;
the same key with another request is refused with the dialect's conflict status; a retry
whose first request has written but not yet answered waits for the answer up to
``wait_seconds``, then is refused as in progress (the same status). Why no claim before the
request: it was one more statement with its own commit for every keyed request, and the
ceiling of a keyed create beside a plain one stayed under 0.80 with it (docs/decisions.md,
"Where the key is claimed"). What it costs: a retry runs the request's reads before it
meets the key, and two concurrent requests with one key both run up to their write. Every
effect of a request is in its database transaction, so either way it happens once.

A request without the header costs one scan of its header list: no statement, no copy.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderyard.domain.idempotency import (
    CARRIED_OUT_MESSAGE,
    IN_PROGRESS_MESSAGE,
    KEY_MESSAGE,
    REUSED_MESSAGE,
    CarriedOut,
    Held,
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
from orderyard.store.keyed_writes import KeyedWrite

log = logging.getLogger(__name__)

HEADER = b"idempotency-key"
NAME = "Idempotency-Key"
REPLAYED = (b"idempotent-replayed", b"true")
KEYED_METHODS = frozenset({"POST", "PUT", "PATCH"})
WAIT_SECONDS = 10.0
"""How long a retry waits for the first request with its key to answer."""
RUNS = 3
"""Runs of a request whose key is forgotten as it meets it (a day old, or purged meanwhile)."""
FIRST_PAUSE_S = 0.01
LONGEST_PAUSE_S = 0.2

_REFUSALS: dict[type[Held], str] = {
    Reused: REUSED_MESSAGE,
    InProgress: IN_PROGRESS_MESSAGE,
    CarriedOut: CARRIED_OUT_MESSAGE,
}
"""What each key that cannot run the request says, with the dialect's conflict status."""

AccountOf = Callable[[HTTPConnection], Awaitable[AccountId | None]]
"""The request's account by the dialect's credentials, or None when they fail."""


class IdempotencyKeys:
    """ASGI middleware: run keyed write requests so that each writes once; keep, replay."""

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
        held = state.answers.waiting(account, request)
        for _ in range(RUNS):
            if held is None:
                held = await self._serve(scope, body, receive, send, uow, state, request)
                if held is None:
                    return
            held = await self._wait(state, uow, request, held)
            if held is not None:
                break
        await self._refuse_or_replay(held or InProgress(), scope, receive, send)

    async def _refuse_or_replay(
        self, held: Held, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Answer what the key holds instead of the request: its first answer, or why not."""
        if isinstance(held, StoredAnswer):
            await _send_answer(send, held, replayed=True)
            return
        message = _REFUSALS[type(held)]
        refusal = self.refuse(self.conflict_status, NAME, f"{NAME}: {message}")
        await refusal(scope, receive, send)

    async def _serve(
        self,
        scope: Scope,
        body: bytes,
        receive: Receive,
        send: Send,
        uow: UnitOfWork,
        state: AppState,
        request: KeyedRequest,
    ) -> Held | None:
        """Run the request and send its answer (None), or say what holds its key instead.

        Its units of work, and the key's, share one connection, given back before the answer
        is sent.
        """
        for _ in range(RUNS):
            async with uow.sharing_one_connection():
                with idempotency.carrying_out(
                    uow.account_id, request, lease=state.key_lease
                ) as keyed:
                    answer = await self._run(scope, _replay(body, receive), uow, keyed)
                if keyed.taken:  # its write met the key: it wrote nothing
                    found = await idempotency.held(uow, request)
                    if found is None:
                        continue  # forgotten (a day old): run afresh
                    return found
                found = await _keep(state, uow, keyed, answer)
                if found is not None:
                    return found
            if answer is not None:
                await _send_answer(send, answer, replayed=False)
            return None
        return InProgress()

    async def _run(
        self, scope: Scope, receive: Receive, uow: UnitOfWork, keyed: KeyedWrite
    ) -> StoredAnswer | None:
        """Run the request; its answer, held back until the key says it may be sent."""
        start: Message | None = None
        chunks: list[bytes] = []
        answer: StoredAnswer | None = None

        async def holding_send(message: Message) -> None:
            nonlocal start, answer
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    answer = _answer(start, b"".join(chunks))

        try:
            await self.app(scope, receive, holding_send)
        except Exception:
            if keyed.taken:  # its write met the key (``KeyTakenError``): answered by the key
                return None
            if keyed.carried_out:
                await _lost(uow, keyed)
            raise  # the guard answers 500: nothing of the app's answer was sent
        return answer

    async def _wait(
        self, state: AppState, uow: UnitOfWork, request: KeyedRequest, held: Held
    ) -> Held | None:
        """Wait (bounded) while the key's first request has written but not answered.

        None when the key is gone meanwhile (then the request runs). Without a connection
        held: a retry waiting costs the pool nothing.
        """
        deadline = time.monotonic() + self.wait_seconds
        pause = FIRST_PAUSE_S
        while isinstance(held, InProgress) and time.monotonic() < deadline:
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)
            found = state.answers.waiting(uow.account_id, request)
            if found is None:
                found = await idempotency.held(uow, request)
            if found is None:
                return None
            held = found
        return held


async def _keep(
    state: AppState, uow: UnitOfWork, keyed: KeyedWrite, answer: StoredAnswer | None
) -> Held | None:
    """Keep the answer for the key; what the key holds instead when that is to be answered.

    After a write, the answer waits to be kept with others (``AnswerQueue``): kept before it
    is sent, so that it is kept even if the client has gone. Without one, it is kept with its
    key now, unless the key is held already. A server error keeps nothing.
    """
    if answer is None or not stored(answer.status):
        if keyed.carried_out:
            await _lost(uow, keyed)
        return None
    if keyed.carried_out:
        await state.answers.keep(uow.account_id, keyed.request, keyed.claim, answer)
        return None
    return await idempotency.keep_unwritten(uow, keyed, answer)


async def _lost(uow: UnitOfWork, keyed: KeyedWrite) -> None:
    """A request that wrote failed after: its retry is told it was carried out, at once."""
    try:
        await idempotency.answer_lost(uow, keyed)
    except Exception:  # the retry waits out the lease, then is told the same
        log.exception("could not end the wait for idempotency key %r", keyed.request.key)


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
