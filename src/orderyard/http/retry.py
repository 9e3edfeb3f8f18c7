"""A write request whose transaction the database aborted runs again, unseen by the client.

PostgreSQL rolls a transaction back whole to break a deadlock (``40P01``) or a serialization
conflict (``40001``); nothing of it was written, so running the request again from the start
is safe, and its client should get the answer, not a 500. ``RetryAborted`` wraps a dialect's
routes (inside its idempotency keys, so a retried request keeps its claim) and runs a POST,
PUT, PATCH or DELETE again, after a short random pause, when such an error leaves it:

- only before the answer has started (nothing was sent yet),
- only when no unit of work of the attempt committed (``store.transaction.watching_commits``): a
  request that committed part of its work before the aborted transaction, such as a bulk
  call committing item by item, is not repeated; its error goes out as before,
- at most ``ATTEMPTS`` times in all; the last abort goes out as the error it is.

The body the first attempt read is kept as it arrives and given again to the next, so a
streamed upload is not read whole first; a body larger than ``KEPT_BYTES`` (an image, a
bulk feed) is not kept, and its request is not repeated. The use cases that lock rows in an
order they cannot change retry themselves too (``services.retry``), which also covers the
CLI and the job worker.
"""

import asyncio
import random
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from orderyard.store.contention import gave_up_on_locks
from orderyard.store.transaction import watching_commits

ATTEMPTS: Final = 4
PAUSE_S: Final = 0.02
"""The longest first pause; each attempt may wait up to twice the one before."""
WRITE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_BYTES: Final = 1024 * 1024
"""The largest body kept for another attempt."""


class RetryAborted:
    """ASGI middleware: run a write request again after the database aborted it."""

    def __init__(self, app: ASGIApp, *, attempts: int = ATTEMPTS) -> None:
        self.app = app
        self.attempts = attempts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, again while the database aborts it and nothing is committed."""
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        body = _KeptBody(receive)
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        for attempt in range(self.attempts):
            with watching_commits() as watch:
                try:
                    await self.app(dict(scope), body.reader(), sending)
                    return
                except Exception as error:
                    last = attempt == self.attempts - 1
                    again = not (last or started or watch.committed or body.too_large)
                    if not again or not gave_up_on_locks(error):
                        raise
            await asyncio.sleep(random.uniform(0, PAUSE_S * 2**attempt))  # noqa: S311


class _KeptBody:
    """The request's messages, kept as they arrive, so that each attempt reads them all."""

    def __init__(self, receive: Receive) -> None:
        self._receive = receive
        self._kept: list[Message] = []
        self._size = 0
        self.too_large = False
        """Whether the body outgrew ``KEPT_BYTES``: no longer kept, it cannot be read again."""

    def reader(self) -> Receive:
        """A ``receive`` for one attempt: the kept messages, then the ones still to come."""
        position = 0

        async def receive() -> Message:
            nonlocal position
            if position < len(self._kept):
                position += 1
                return self._kept[position - 1]
            message = await self._receive()
            if not self.too_large:
                self._size += len(message.get("body", b""))
                if self._size > KEPT_BYTES:
                    self.too_large = True
                    self._kept.clear()
                else:
                    self._kept.append(message)
                    position += 1
            return message

        return receive
