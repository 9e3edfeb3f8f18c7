"""Payments of an order: how clients send them with a new order, and how they are answered.

The seed names ``Payments`` on a new order but gives no shape; these are Orderyard's
(docs/dialects/orderdynamics.md, "Payments"). A card is sent as the gateway's token with its
brand, last four digits and expiry; a full card number anywhere is refused.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal, get_args

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
    CustomFieldOut,
    any_case,
)
from orderyard.dialects.orderdynamics.wire import Number, WireIn, WireOut
from orderyard.http.wire import Integer

PaymentMethodWord = Literal["CreditCard", "GiftCard", "Wallet", "Offline", "Other"]
PAYMENT_METHOD_WORDS: tuple[str, ...] = get_args(PaymentMethodWord)
Amount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=4, allow_inf_nan=False)]


class CardIn(WireIn):
    """A card as the gateway tokenised it: never its number."""

    token: Annotated[str, Field(min_length=1, max_length=200)]
    brand: Annotated[str, Field(max_length=32)] = ""
    last_four: Annotated[str, Field(max_length=4)] = ""
    expiry_month: Annotated[Integer, Field(ge=1, le=12)] | None = None
    expiry_year: Annotated[Integer, Field(ge=2000, le=2099)] | None = None


class PaymentIn(WireIn):
    """A payment that comes with a new order: what was authorized, and how."""

    payment_method: Annotated[PaymentMethodWord, any_case(PAYMENT_METHOD_WORDS)]
    amount: Amount
    currency_code: Annotated[str, Field(pattern="^[A-Za-z]{3}$")] | None = None
    """Absent: the order's; another currency than the order's is refused."""
    reference: Annotated[str, Field(max_length=200)] = ""
    gateway: Annotated[str, Field(max_length=100)] = ""
    card: CardIn | None = None
    custom_fields: list[CustomFieldIn] = Field(
        default_factory=list,
        max_length=CUSTOM_FIELDS_MAX,
        description="Values of fields defined for OrderPayment.",
    )


class CardOut(WireOut):
    """What is kept of a card: never its token's secret, never its number."""

    brand: str
    last_four: str
    expiry_month: int | None
    expiry_year: int | None


class PaymentOut(WireOut):
    """A payment of an order."""

    payment_id: int
    payment_method: PaymentMethodWord
    amount: Number
    currency_code: str
    reference: str
    gateway: str
    card: CardOut | None
    created_date_time_utc: datetime
    custom_fields: list[CustomFieldOut]
