"""The gateways Orderyard ships: the built-in offline/manual one and a scriptable test one.

A payment names its gateway (``payments.gateway``). ``"test"`` is the scripted gateway;
every other name, and none, is the manual gateway: the merchant moves the money in their own
gateway's console (or it is cash, a cheque, terms) and Orderyard records it as done.
"""

import asyncio
from collections import deque
from dataclasses import dataclass, field

from orderyard.domain.gateway import Gateway, GatewayAnswer, GatewayCall, Outcome

CALL_TIMEOUT_SECONDS = 30.0
"""How long a gateway call may take before it counts as timed out (its outcome unknown)."""


@dataclass
class ManualGateway:
    """The built-in offline gateway: every capture and refund is approved as recorded."""

    name: str = "manual"

    async def capture(self, call: GatewayCall) -> GatewayAnswer:
        """Approve: the money is taken outside Orderyard."""
        return GatewayAnswer(Outcome.approved, f"manual:{call.idempotency_key}")

    async def refund(self, call: GatewayCall) -> GatewayAnswer:
        """Approve: the money is given back outside Orderyard."""
        return GatewayAnswer(Outcome.approved, f"manual:{call.idempotency_key}")


@dataclass
class ScriptedGateway:
    """A gateway whose answers a test scripts, one per call, in order.

    Unscripted calls answer ``default`` (declined, so that a payment that names ``test`` by
    mistake in production never counts as paid). ``timeout`` answers raise ``TimeoutError``
    at once, as ``asyncio.wait_for`` would after ``CALL_TIMEOUT_SECONDS``. Every call is kept
    in ``calls`` for a test to read.
    """

    name: str = "test"
    default: Outcome = Outcome.declined
    answers: deque[Outcome] = field(default_factory=deque)
    calls: list[tuple[str, GatewayCall]] = field(default_factory=list)
    delay: float = 0.0
    """Seconds every call takes (a concurrency test widens the window with it)."""

    def script(self, *outcomes: Outcome) -> None:
        """Queue the answers of the next calls."""
        self.answers.extend(outcomes)

    def reset(self) -> None:
        """Forget the script and the calls."""
        self.answers.clear()
        self.calls.clear()
        self.default = Outcome.declined
        self.delay = 0.0

    async def _answer(self, operation: str, call: GatewayCall) -> GatewayAnswer:
        self.calls.append((operation, call))
        if self.delay:
            await asyncio.sleep(self.delay)
        outcome = self.answers.popleft() if self.answers else self.default
        if outcome is Outcome.timeout:
            raise TimeoutError
        reference = f"test:{operation}:{call.idempotency_key}"
        if outcome is Outcome.approved:
            return GatewayAnswer(outcome, reference)
        return GatewayAnswer(outcome, "", f"the test gateway answered {outcome.value}")

    async def capture(self, call: GatewayCall) -> GatewayAnswer:
        """The next scripted answer."""
        return await self._answer("capture", call)

    async def refund(self, call: GatewayCall) -> GatewayAnswer:
        """The next scripted answer."""
        return await self._answer("refund", call)


MANUAL = ManualGateway()
SCRIPTED = ScriptedGateway()


def gateway_for(name: str) -> Gateway:
    """The gateway a payment names."""
    return SCRIPTED if name == SCRIPTED.name else MANUAL


async def call_gateway(gateway: Gateway, operation: str, call: GatewayCall) -> GatewayAnswer:
    """Call a gateway with a time limit; an exception or timeout is an answer, not a crash."""
    method = gateway.capture if operation == "capture" else gateway.refund
    try:
        return await asyncio.wait_for(method(call), CALL_TIMEOUT_SECONDS)
    except TimeoutError:
        return GatewayAnswer(Outcome.timeout, "", "the gateway did not answer in time")
    except Exception as error:
        return GatewayAnswer(Outcome.error, "", f"the gateway failed: {type(error).__name__}")
