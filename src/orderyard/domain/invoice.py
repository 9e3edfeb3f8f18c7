"""Invoices, credit memos and the money rules they share (rounding, shares of a line).

An invoice bills units of order lines; a credit memo gives money back for units of an
invoice. Each of their lines carries the line's price for those units plus its share of the
line's tax and discount, in the order's currency. **Rounding, once:** a line's amounts are
shares of the line's exact total (``unit_price x quantity + tax - discount``), and the share
of the first ``n`` units is rounded half up to the currency's minor unit; what one invoice
line bills is the rounded share of everything billed so far minus the rounded share of what
was billed before it. So the invoices of a line never add up to more or less than the
line's total rounded once, to the cent, whatever the way its units were split.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from orderyard.domain.customer import CustomerLink
from orderyard.domain.errors import ConflictError, InvalidRequestError
from orderyard.domain.order import OrderLine

MINOR_UNITS: dict[str, int] = {
    "BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3,
    "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0,
    "TND": 3, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}  # fmt: skip
"""ISO 4217 currencies whose minor unit is not the cent; every other has two places."""


def cent_of(currency: str) -> Decimal:
    """The smallest amount of ``currency`` (0.01, or 1 for the yen, 0.001 for the dinar)."""
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency.upper(), 2))


def rounded(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half up (away from zero) to the currency's minor unit."""
    return amount.quantize(cent_of(currency), rounding=ROUND_HALF_UP)


class InvoiceKind(StrEnum):
    """A sales invoice bills; a credit memo gives back."""

    sales = "sales"
    credit = "credit"


class InvoiceStatus(StrEnum):
    """Whether the money of an invoice (or a memo) is settled."""

    open = "open"
    """Not settled yet: awaiting a capture, an offline payment or a retry."""
    paid = "paid"
    """A sales invoice wholly captured or paid offline; a memo wholly refunded."""


class PaymentState(StrEnum):
    """Where the gateway call of an invoice (capture) or memo (refund) stands."""

    none = "none"
    """Nothing to call: no authorization to capture, or nothing to refund."""
    pending = "pending"
    """A call was claimed and is in flight (or its process died: see ``STALE_AFTER``)."""
    failed = "failed"
    settled = "settled"


@dataclass(frozen=True, slots=True)
class LineShare:
    """What ``quantity`` units of one order line come to, rounded by the rule above."""

    order_line_id: int
    quantity: int
    amount: Decimal
    tax: Decimal
    discount: Decimal


def _share(total: Decimal, units: int, of: int, currency: str) -> Decimal:
    return rounded(total * units / of, currency)


def line_total(line: OrderLine) -> Decimal:
    """A line's exact total: its price for every unit, its tax, less its discount."""
    return line.unit_price * line.quantity + line.tax - line.discount


def share_of(line: OrderLine, before: int, quantity: int, currency: str) -> LineShare:
    """What ``quantity`` more units of ``line`` come to, ``before`` units being billed already."""
    after = before + quantity

    def part(total: Decimal) -> Decimal:
        return _share(total, after, line.quantity, currency) - _share(
            total, before, line.quantity, currency
        )

    return LineShare(line.id, quantity, part(line_total(line)), part(line.tax), part(line.discount))


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """Units of one order line on an invoice or memo, and what they come to."""

    id: int
    order_line_id: int
    line_no: int
    sku: str
    quantity: int
    amount: Decimal
    tax: Decimal
    discount: Decimal


@dataclass(frozen=True, slots=True)
class Invoice:
    """A sales invoice or a credit memo, as kept."""

    id: int
    order_id: int
    order_number: str
    kind: InvoiceKind
    status: InvoiceStatus
    payment_state: PaymentState
    amount: Decimal
    currency: str
    created_at: datetime
    updated_at: datetime
    shipment_id: int | None = None
    credited_invoice_id: int | None = None
    attempts: int = 0
    failure: str = ""
    lines: tuple[InvoiceLine, ...] = ()


def pick_units(
    lines: Sequence[OrderLine], wanted: Iterable[tuple[int, int]], open_units: dict[int, int]
) -> list[tuple[OrderLine, int]]:
    """The order lines and quantities asked for, each within what is open to bill.

    ``wanted`` is ``(order line id, quantity)``; ``open_units`` what each line may still bill.

    Raises:
        InvalidRequestError: a quantity below 1, or a line asked for twice.
        NotFoundError-like ConflictError: more than is open on a line.
    """
    by_id = {line.id: line for line in lines}
    picked: list[tuple[OrderLine, int]] = []
    seen: set[int] = set()
    for index, (line_id, quantity) in enumerate(wanted):
        at = f"lines[{index}]"
        line = by_id.get(line_id)
        if line is None:
            raise InvalidRequestError(f"line {line_id} is not the order's", field=f"{at}.line_id")
        if line_id in seen:
            raise InvalidRequestError(f"line {line_id} is given twice", field=f"{at}.line_id")
        seen.add(line_id)
        if quantity < 1:
            raise InvalidRequestError("must be 1 or more", field=f"{at}.quantity")
        if quantity > open_units.get(line_id, 0):
            raise ConflictError(
                f"line {line_id} has {open_units.get(line_id, 0)} units open, not {quantity}",
                field=f"{at}.quantity",
            )
        picked.append((line, quantity))
    if not picked:
        raise InvalidRequestError("give at least one line", field="lines")
    return picked


@dataclass(frozen=True, slots=True)
class Draft:
    """An invoice or memo about to be written: its lines and total."""

    currency: str
    shares: tuple[LineShare, ...] = field(default_factory=tuple)

    @property
    def amount(self) -> Decimal:
        """The sum of its lines, exact (each line is rounded already)."""
        return sum((share.amount for share in self.shares), Decimal(0))


def draft(picked: Sequence[tuple[OrderLine, int]], billed: dict[int, int], currency: str) -> Draft:
    """Price picked units of lines of which ``billed`` units were billed already."""
    return Draft(
        currency,
        tuple(
            share_of(line, billed.get(line.id, 0), quantity, currency) for line, quantity in picked
        ),
    )


@dataclass(frozen=True, slots=True)
class InvoiceFilter:
    """What ``GET /v1/paymentprocessing/Invoices`` may narrow by (all optional)."""

    created_after: datetime | None = None
    created_before: datetime | None = None
    invoice_id: int | None = None
    order_id: int | None = None
    order_number: str | None = None
    status: InvoiceStatus | None = None
    kind: InvoiceKind | None = None
    link: CustomerLink | None = None
