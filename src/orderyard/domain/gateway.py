"""The payment gateway: the interface Orderyard captures and refunds through.

A gateway is called outside any database transaction (services/payment, docs/decisions.md
"Gateway calls outside transactions"): a call can take seconds, and a transaction held open
that long would hold the order's lock and a pooled connection. Every call carries an
idempotency key that names the invoice or memo and the attempt, so a gateway that dedupes
(every real one does) never takes money twice for one retry.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


class Outcome(StrEnum):
    """How a gateway answered."""

    approved = "approved"
    declined = "declined"
    error = "error"
    timeout = "timeout"


@dataclass(frozen=True, slots=True)
class GatewayCall:
    """One capture or refund asked of a gateway."""

    reference: str
    """The authorization's (capture) or the capture's (refund) id at the gateway."""
    amount: Decimal
    currency: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class GatewayAnswer:
    """What the gateway said: its outcome, its id of the operation, and why it failed."""

    outcome: Outcome
    reference: str = ""
    message: str = ""

    @property
    def approved(self) -> bool:
        """Whether the money moved."""
        return self.outcome is Outcome.approved


class Gateway(Protocol):
    """A payment gateway: captures authorizations and refunds captures."""

    name: str

    async def capture(self, call: GatewayCall) -> GatewayAnswer:
        """Take ``call.amount`` from the authorization ``call.reference``."""
        ...

    async def refund(self, call: GatewayCall) -> GatewayAnswer:
        """Give ``call.amount`` back against the capture ``call.reference``."""
        ...
