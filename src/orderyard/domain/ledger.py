"""What an order's ledger of money adds up to: every figure is a sum of its entries.

``payment_transactions`` is append-only; these figures are never stored, so they cannot
drift from it. The invariants kept by the services (and checked by property tests):
invoiced never passes the value of what shipped; captured <= authorized; captured + offline
applied <= invoiced; refunded <= credited <= captured + offline applied, so that what was
credited and not refunded plus what was refunded never passes what was paid; and no figure
below is ever negative.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from orderyard.domain.payment import TransactionKind

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Transaction:
    """One entry of an order's ledger."""

    id: int
    order_id: int
    kind: TransactionKind
    amount: Decimal
    currency: str
    reference: str
    created_at: datetime
    payment_id: int | None = None
    invoice_id: int | None = None


@dataclass(frozen=True, slots=True)
class AvailableAmounts:
    """An order's money figures, each the sum of one kind of its ledger's entries."""

    currency: str
    authorized: Decimal = ZERO
    captured: Decimal = ZERO
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    refunded: Decimal = ZERO
    offline_accepted: Decimal = ZERO
    offline_applied: Decimal = ZERO

    @property
    def capturable(self) -> Decimal:
        """What the authorizations still hold."""
        return self.authorized - self.captured

    @property
    def paid(self) -> Decimal:
        """What the customer paid towards invoices: captured plus offline applied."""
        return self.captured + self.offline_applied

    @property
    def refundable(self) -> Decimal:
        """What was paid and not given back yet."""
        return self.paid - self.refunded

    @property
    def creditable(self) -> Decimal:
        """What a new credit memo may give back: paid and not credited yet."""
        return self.paid - self.credited

    @property
    def unapplied_offline(self) -> Decimal:
        """Offline money received and not put against an invoice yet."""
        return self.offline_accepted - self.offline_applied

    @property
    def due(self) -> Decimal:
        """What invoices bill and nothing paid yet."""
        return self.invoiced - self.paid


_FIGURE = {
    TransactionKind.authorization: "authorized",
    TransactionKind.capture: "captured",
    TransactionKind.invoice: "invoiced",
    TransactionKind.credit: "credited",
    TransactionKind.refund: "refunded",
    TransactionKind.offline_accepted: "offline_accepted",
    TransactionKind.offline_applied: "offline_applied",
}


def amounts_of(currency: str, ledger: Iterable[Transaction]) -> AvailableAmounts:
    """Add an order's ledger up, kind by kind."""
    sums = dict.fromkeys(_FIGURE.values(), ZERO)
    for entry in ledger:
        sums[_FIGURE[entry.kind]] += entry.amount
    return AvailableAmounts(currency, **sums)
