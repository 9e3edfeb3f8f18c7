"""Payments of an order: how it is paid, what was authorized, and the card only as a token.

A payment is what the client's storefront or gateway did before the order reached us: a card
authorization, a gift card, an offline promise. Its amount is the authorization, recorded as
the payment's first transaction (``TransactionKind.authorization``); captures, refunds and
offline payments join that ledger with invoices. A card is kept as the gateway's token, its
brand, last four digits and expiry, never as a number: a field that looks like a full card
number is refused, and the refusal does not repeat it.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from orderyard.domain.card_numbers import looks_like_card_number
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import InvalidRequestError

PAYMENTS_MAX = 20
"""Most payments one order may carry (split tenders rarely need more than three)."""


class PaymentMethod(StrEnum):
    """How an order is paid (the core's words)."""

    card = "card"
    gift_card = "gift_card"
    wallet = "wallet"
    """A wallet or redirect provider (PayPal, Apple Pay...): a reference, no card."""
    offline = "offline"
    """Paid outside any gateway: cash, cheque, bank transfer, terms."""
    other = "other"


class TransactionKind(StrEnum):
    """What one entry of an order's payment ledger records."""

    authorization = "authorization"
    """The payment's amount, held at the gateway when the order came (``payment_id``)."""
    capture = "capture"
    """Money taken from an authorization for a sales invoice (``payment_id``, ``invoice_id``)."""
    invoice = "invoice"
    """A sales invoice raised (``invoice_id``): what the order bills."""
    credit = "credit"
    """A credit memo issued (``invoice_id`` is the memo's): what the order gives back."""
    refund = "refund"
    """Money given back through a gateway for a memo (``payment_id``, ``invoice_id``)."""
    offline_accepted = "offline_accepted"
    """Money received outside any gateway (``payment_id`` of its offline payment)."""
    offline_applied = "offline_applied"
    """Offline money put against a sales invoice (``payment_id``, ``invoice_id``)."""


def refuse_card_number(text: str, *, field: str) -> None:
    """Refuse a field that carries a card number, without repeating the number.

    Raises:
        InvalidRequestError: naming ``field``.
    """
    if looks_like_card_number(text):
        raise InvalidRequestError(
            "looks like a card number: send the gateway's token, never the number", field=field
        )


@dataclass(frozen=True, slots=True)
class Card:
    """A payment card as the gateway tokenised it."""

    token: str
    brand: str = ""
    last_four: str = ""
    expiry_month: int | None = None
    expiry_year: int | None = None

    def check(self, *, field: str) -> None:
        """Refuse what no card is (or what a card number is).

        Raises:
            InvalidRequestError: naming ``{field}.token`` and the like.
        """
        if not self.token.strip():
            raise InvalidRequestError("a card is kept only as its token", field=f"{field}.token")
        refuse_card_number(self.token, field=f"{field}.token")
        refuse_card_number(self.brand, field=f"{field}.brand")
        if self.last_four and not re.fullmatch(r"\d{4}", self.last_four):
            raise InvalidRequestError("must be 4 digits", field=f"{field}.last_four")
        if (self.expiry_month is None) != (self.expiry_year is None):
            raise InvalidRequestError(
                "give the expiry's month and year, or neither", field=f"{field}.expiry_month"
            )


@dataclass(frozen=True, slots=True)
class NewPayment:
    """A payment that comes with a new order."""

    method: PaymentMethod
    amount: Decimal
    """What was authorized, in the order's currency."""
    currency: str
    reference: str = ""
    """The gateway's id of the authorization (or the cheque number, the transfer's id...)."""
    gateway: str = ""
    card: Card | None = None
    custom_fields: tuple[FieldValue, ...] = ()


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment of an order, as kept."""

    id: int
    order_id: int
    method: PaymentMethod
    amount: Decimal
    currency: str
    reference: str
    gateway: str
    card: Card | None
    created_at: datetime


def check_payments(payments: Sequence[NewPayment], *, currency: str) -> None:
    """Refuse payments an order cannot carry: nothing is written when one is wrong.

    Raises:
        InvalidRequestError: naming the payment's field (``payments[1].amount``).
    """
    if len(payments) > PAYMENTS_MAX:
        raise InvalidRequestError(
            f"an order carries at most {PAYMENTS_MAX} payments", field="payments"
        )
    for index, payment in enumerate(payments):
        at = f"payments[{index}]"
        if payment.amount <= 0:
            raise InvalidRequestError("must be more than 0", field=f"{at}.amount")
        if payment.currency != currency:
            raise InvalidRequestError(
                f"must be the order's currency ({currency})", field=f"{at}.currency"
            )
        refuse_card_number(payment.reference, field=f"{at}.reference")
        refuse_card_number(payment.gateway, field=f"{at}.gateway")
        if payment.card is not None:
            if payment.method is not PaymentMethod.card:
                raise InvalidRequestError(
                    f"a {payment.method.value} payment has no card", field=f"{at}.card"
                )
            payment.card.check(field=f"{at}.card")
