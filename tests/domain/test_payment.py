"""Payments in the domain: the card-number detector and the checks of a new payment."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.payment import (
    Card,
    NewPayment,
    PaymentMethod,
    check_payments,
    looks_like_card_number,
    passes_luhn,
)


def with_check_digit(body: str) -> str:
    """``body`` completed by the digit that makes it pass the Luhn check."""
    return next(body + d for d in "0123456789" if passes_luhn(body + d))


card_numbers = st.integers(12, 18).flatmap(
    lambda size: st.text("0123456789", min_size=size, max_size=size).map(with_check_digit)
)


@given(card_numbers, st.sampled_from(["", " ", "-"]), st.text("abc :", max_size=5))
def test_every_number_of_13_to_19_digits_passing_luhn_is_found(
    number: str, separator: str, around: str
) -> None:
    spaced = separator.join(number[i : i + 4] for i in range(0, len(number), 4))

    assert looks_like_card_number(f"{around}{spaced}{around}")


@given(card_numbers)
def test_a_number_with_one_digit_changed_is_not_a_card_number(number: str) -> None:
    last = str((int(number[-1]) + 1) % 10)

    assert not looks_like_card_number(number[:-1] + last)


@pytest.mark.parametrize(
    "text",
    ["", "tok_4242", "AUTH-123456", "411111111111", "41111111111111111111", "4111 1111 1111 111"],
)
def test_short_long_and_broken_runs_are_not_card_numbers(text: str) -> None:
    assert not looks_like_card_number(text)


def test_known_test_cards_are_found() -> None:
    for number in ("4111111111111111", "5555 5555 5555 4444", "3782-822463-10005"):
        assert looks_like_card_number(number), number


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
