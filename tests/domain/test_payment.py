"""Payments in the domain: the checks of a new payment."""

from decimal import Decimal

import pytest

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.payment import (
    Card,
    NewPayment,
    PaymentMethod,
    check_payments,
)


def payment(**more: object) -> NewPayment:
    values: dict[str, object] = {
        "method": PaymentMethod.card,
        "amount": Decimal(10),
        "currency": "CAD",
        **more,
    }
    return NewPayment(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("wrong", "field"),
    [
        (payment(amount=Decimal(0)), "payments[0].amount"),
        (payment(currency="USD"), "payments[0].currency"),
        (payment(reference="4111111111111111"), "payments[0].reference"),
        (payment(method=PaymentMethod.offline, card=Card("tok")), "payments[0].card"),
        (payment(card=Card("")), "payments[0].card.token"),
        (payment(card=Card("tok", last_four="111")), "payments[0].card.last_four"),
        (payment(card=Card("tok", expiry_year=2030)), "payments[0].card.expiry_month"),
    ],
)
def test_a_wrong_payment_is_refused_naming_its_field(wrong: NewPayment, field: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        check_payments([wrong], currency="CAD")

    assert refused.value.field == field
    assert "4111" not in str(refused.value)


def test_more_than_twenty_payments_are_refused() -> None:
    with pytest.raises(InvalidRequestError, match="at most 20"):
        check_payments([payment()] * 21, currency="CAD")


def test_a_tokenised_card_in_the_orders_currency_passes() -> None:
    card = Card("tok_1", "Visa", "4242", 12, 2030)

    check_payments([payment(card=card), payment(method=PaymentMethod.offline)], currency="CAD")
