"""Clients placing ShipEdge orders through a balancer, each request with an Idempotency-Key.

A client sends one order at a time and sends it again, same key and same body, until it is
answered: after a transport error, a 502/503/504 (the node died with the request), or the
key's "in progress" answer (a retry that reached another node after the key's first request
had written and before it had answered, or whose first request a node wrote and then died).
What every key was answered is kept, to be checked against the database.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx

from orderyard.app import SHIPEDGE_ROOT
from orderyard.domain.idempotency import CARRIED_OUT_MESSAGE, IN_PROGRESS_MESSAGE
from orderyard.services.account import NewAccount
from tests.dialects.shipedge.conftest import order_body

RETRIED_STATUSES = frozenset({502, 503, 504})
"""What a balancer answers when a node failed the request, or when none is up."""
PAUSE = 0.05
"""Between two tries of one request."""


@dataclass(frozen=True)
class Answer:
    """How one key was answered in the end."""

    number: str
    """The order number its body carried (one per key)."""
    status: int
    order_id: int | None
    """The placed order's id, from a 200's body."""
    carried_out: bool
    """Answered that its request was carried out and the answer lost (its node died)."""


def answer_of(number: str, response: httpx.Response) -> Answer:
    """What a final response says about the key's order."""
    order_id = None
    if response.status_code == 200:
        [result] = response.json()["data"]
        order_id = int(result["order_id"]) if result.get("success") else None
    return Answer(number, response.status_code, order_id, CARRIED_OUT_MESSAGE in response.text)


@dataclass
class KeyedLoad:
    """Clients placing one-line orders of ``sku`` through ``origin`` until ``stop``."""

    origin: str
    account: NewAccount
    sku: str
    answers: dict[str, Answer] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)
    """Keys (with their order numbers) still "in progress" when the load stopped."""
    failures: list[tuple[float, str]] = field(default_factory=list)
    """(monotonic time, what) of every transport error and 502/503/504."""
    in_progress_answers: int = 0
    stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def client(self, index: int) -> None:
        """Place orders ``C<index>-0``, ``C<index>-1``... one at a time until stopped."""
        async with httpx.AsyncClient(timeout=30) as http:
            sent = 0
            while not self.stopping.is_set():
                await self.send(http, f"C{index}-{sent}", patient=False)
                sent += 1

    async def send(
        self,
        http: httpx.AsyncClient,
        number: str,
        *,
        patient: bool,
        held_until: asyncio.Event | None = None,
    ) -> None:
        """Send order ``number`` until answered (or, unless ``patient``, held once stopping).

        ``held_until``: the first try sends half its body, and the rest once the event is set:
        a request certainly in flight on its node meanwhile.
        """
        key = f"key-{number}"
        body = json.dumps({"data": [order_body(number, (self.sku, 1))]}).encode()
        first: bytes | AsyncIterator[bytes] = (
            body if held_until is None else halves(body, held_until)
        )
        while True:
            response = await self._post(http, key, first)
            first = body
            if response is None:
                await asyncio.sleep(PAUSE)
            elif IN_PROGRESS_MESSAGE.split(":")[0] in response.text:
                self.in_progress_answers += 1
                if self.stopping.is_set() and not patient:
                    self.held[key] = number
                    return
                await asyncio.sleep(PAUSE)
            else:
                self.answers[key] = answer_of(number, response)
                self.held.pop(key, None)
                return

    async def until(self, answered: int, *, timeout: float = 60.0) -> None:
        """Wait until ``answered`` keys were answered."""
        deadline = time.monotonic() + timeout
        while len(self.answers) < answered:
            assert time.monotonic() < deadline, f"the load stalled at {len(self.answers)}"
            await asyncio.sleep(0.01)

    def failures_after(self, moment: float) -> list[str]:
        """The failures seen after ``moment`` (monotonic)."""
        return [what for at, what in self.failures if at > moment]

    async def _post(
        self, http: httpx.AsyncClient, key: str, body: bytes | AsyncIterator[bytes]
    ) -> httpx.Response | None:
        """One try; None (and the failure noted) if it must be tried again as it is."""
        headers = {
            "AccountID": str(self.account.account_id),
            "Key": self.account.key,
            "Content-Type": "application/json",
            "Idempotency-Key": key,
        }
        try:
            response = await http.post(
                f"{self.origin}{SHIPEDGE_ROOT}/orders", content=body, headers=headers
            )
        except httpx.TransportError as error:
            self.failures.append((time.monotonic(), type(error).__name__))
            return None
        if response.status_code in RETRIED_STATUSES:
            self.failures.append((time.monotonic(), str(response.status_code)))
            return None
        return response


async def halves(body: bytes, held_until: asyncio.Event) -> AsyncIterator[bytes]:
    """``body`` in two chunks, the second once ``held_until`` is set."""
    yield body[: len(body) // 2]
    await held_until.wait()
    yield body[len(body) // 2 :]
