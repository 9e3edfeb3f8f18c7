"""Answers of keyed requests waiting to be kept: written together, a few milliseconds late.

The answer of a keyed request that wrote (its key came with its write) is kept after it is
sent (``http/idempotency.py``). Kept one by one, it was one statement per request, about as
much of this process's CPU as a claim statement was. Kept here, the answers of the requests
that end within ``delay`` of each other are written in one statement per account
(``KeptAnswers.keep``): 3 to 5 answers a statement at one connection, more under load.
Python CPU per keyed create against a plain one (``python -m bench.cpu --keyed-ab``):
0.81-0.83 before, 0.85 after (docs/decisions.md, "Answers kept in batches").

What waiting costs, and why it is safe:
- a retry of a request whose answer still waits here: in this process it is answered from
  here (``waiting``); in another it finds the key written without an answer, and waits for
  it (``http/idempotency.py`` polls), ``delay`` at most longer;
- a process killed before writing loses the answers waiting: their keys stay without an
  answer, as when it died a moment before keeping a single answer (a retry is told the
  request was carried out, once the lease is over). The single answer committed
  asynchronously already, so a database crash could lose the last ~0.6 s of answers the
  same way; ``delay`` is well inside that.
- a process stopping cleanly writes what waits (``drain``, at the end of the lifespan).
"""

import asyncio
import contextvars
import logging
from collections.abc import Callable

from orderyard.domain.idempotency import Held, KeyedRequest, Reused, StoredAnswer
from orderyard.domain.values import AccountId
from orderyard.store.repositories.idempotency import ClaimedAnswer
from orderyard.store.uow import AnswerUnitOfWork

log = logging.getLogger(__name__)

DELAY_S = 0.02
"""How long an answer waits for others before they are written together."""


class AnswerQueue:
    """The answers of this process's keyed requests not yet kept, and the task that keeps them.

    It batches while its app runs (``start`` and ``drain``, by the app's lifespan). An app
    driven without a lifespan (a test's ASGI client) would leave the writer's statement in
    flight when its event loop ends, so until started, and once drained, each answer is
    written as it comes, in the request's own task.
    """

    def __init__(self, unit: Callable[[], AnswerUnitOfWork], *, delay: float = DELAY_S) -> None:
        self._unit = unit
        self._delay = delay
        self._waiting: dict[tuple[AccountId, str], tuple[str, ClaimedAnswer]] = {}
        self._writer: asyncio.Task[None] | None = None
        self._writing = False
        self._running = False

    def start(self) -> None:
        """From now on, answers wait to be written together (the app has started)."""
        self._running = True

    async def keep(
        self, account_id: AccountId, request: KeyedRequest, claim: str, answer: StoredAnswer
    ) -> None:
        """Keep ``answer`` for the key ``claim`` holds: written within ``delay``.

        At once, in this task, when the queue is not running.
        """
        kept = ClaimedAnswer(account_id, request.scope, claim, answer)
        if not self._running:
            await self._write([kept])
            return
        self._waiting[(account_id, kept.scope)] = (request.fingerprint, kept)
        if self._writer is None:
            # A context of its own: the request's (its lent connection, its key) is not the
            # writer's, and the writer outlives the request.
            self._writer = asyncio.create_task(self._write_soon(), context=contextvars.Context())

    def waiting(self, account_id: AccountId, request: KeyedRequest) -> Held | None:
        """What a retry of a request whose answer waits here is told; None: nothing waits."""
        found = self._waiting.get((account_id, request.scope))
        if found is None:
            return None
        fingerprint, kept = found
        return kept.answer if fingerprint == request.fingerprint else Reused()

    async def drain(self) -> None:
        """Write every answer waiting, and the next ones as they come (the app is stopping)."""
        self._running = False
        writer = self._writer
        if writer is not None and not self._writing:
            writer.cancel()  # only its wait: a write under way is let finish
        if writer is not None:
            await asyncio.gather(writer, return_exceptions=True)
        await self._write_all()

    async def _write_soon(self) -> None:
        try:
            await asyncio.sleep(self._delay)
            self._writing = True
            await self._write_all()
        finally:
            self._writing = False
            self._writer = None

    async def _write_all(self) -> None:
        """Write the waiting answers, and those that came while they were written."""
        while self._waiting:
            batch = [kept for _, kept in self._waiting.values()]
            await self._write(batch)
            for kept in batch:
                key = (kept.account_id, kept.scope)
                if self._waiting.get(key, (None, None))[1] is kept:
                    del self._waiting[key]

    async def _write(self, batch: list[ClaimedAnswer]) -> None:
        try:
            async with self._unit() as work:
                await work.answers.keep(batch)
                await work.commit()
        except Exception:  # their keys stay answerless: as a process that died here
            log.exception("could not keep the answers of %d idempotency keys", len(batch))
