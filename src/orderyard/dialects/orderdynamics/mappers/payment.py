"""Payments between the wire and the core: one table for the method words, field by field."""

from collections.abc import Mapping, Sequence
from typing import Final

from orderyard.dialects.orderdynamics.mappers.custom_field import text_of
from orderyard.dialects.orderdynamics.schemas.custom_field import CustomFieldOut
from orderyard.dialects.orderdynamics.schemas.payment import (
    CardIn,
    CardOut,
    PaymentIn,
    PaymentMethodWord,
    PaymentOut,
)
from orderyard.domain.attribute import StoredAttribute
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.payment import Card, NewPayment, Payment, PaymentMethod

METHODS: Final[dict[PaymentMethodWord, PaymentMethod]] = {
    "CreditCard": PaymentMethod.card,
    "GiftCard": PaymentMethod.gift_card,
    "Wallet": PaymentMethod.wallet,
    "Offline": PaymentMethod.offline,
    "Other": PaymentMethod.other,
}
METHOD_WORDS: Final[dict[PaymentMethod, PaymentMethodWord]] = {v: k for k, v in METHODS.items()}


def _card_in(wire: CardIn | None) -> Card | None:
    if wire is None:
        return None
    return Card(
        token=wire.token,
        brand=wire.brand,
        last_four=wire.last_four,
        expiry_month=wire.expiry_month,
        expiry_year=wire.expiry_year,
    )


def payments_in(wires: Sequence[PaymentIn], order_currency: str) -> tuple[NewPayment, ...]:
    """The core's payments of a create body; a payment without currency takes the order's."""
    return tuple(
        NewPayment(
            method=METHODS[wire.payment_method],
            amount=wire.amount,
            currency=(wire.currency_code or order_currency).upper(),
            reference=wire.reference,
            gateway=wire.gateway,
            card=_card_in(wire.card),
            custom_fields=tuple(FieldValue(f.name, text_of(f.value)) for f in wire.custom_fields),
        )
        for wire in wires
    )


def payments_out(
    payments: Sequence[Payment], fields: Mapping[int, Sequence[StoredAttribute]]
) -> list[PaymentOut]:
    """The wire form of an order's payments, each with its custom fields.

    A card's token is not answered: it is the gateway's key to charge the card.
    """
    return [
        PaymentOut(
            payment_id=payment.id,
            payment_method=METHOD_WORDS[payment.method],
            amount=payment.amount,
            currency_code=payment.currency,
            reference=payment.reference,
            gateway=payment.gateway,
            card=None
            if payment.card is None
            else CardOut(
                brand=payment.card.brand,
                last_four=payment.card.last_four,
                expiry_month=payment.card.expiry_month,
                expiry_year=payment.card.expiry_year,
            ),
            created_date_time_utc=payment.created_at,
            custom_fields=[
                CustomFieldOut(name=v.name, value=v.value) for v in fields.get(payment.id, [])
            ],
        )
        for payment in payments
    ]
