"""The card-number rule: every card a scheme issues is found, the codes an OMS carries are not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.card_numbers import (
    GS1_LENGTHS,
    ISSUERS,
    has_gs1_check_digit,
    is_card_number,
    looks_like_card_number,
    passes_luhn,
)


def with_check_digit(body: str) -> str:
    """``body`` completed by the digit that makes it pass the Luhn check."""
    return next(body + d for d in "0123456789" if passes_luhn(body + d))


def with_gs1_check_digit(body: str) -> str:
    """``body`` completed by its GS1 check digit, as a barcode is."""
    return next(body + d for d in "0123456789" if has_gs1_check_digit(body + d))


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """A number a scheme issues: one of its prefixes and lengths, completed to pass Luhn."""
    issuer = draw(st.sampled_from(ISSUERS))
    low, high = draw(st.sampled_from(issuer.prefixes))
    prefix = str(draw(st.integers(int(low), int(high)))).zfill(len(low))
    size = draw(st.sampled_from(issuer.lengths)) - len(prefix) - 1
    return with_check_digit(prefix + draw(st.text("0123456789", min_size=size, max_size=size)))


@given(card_numbers(), st.sampled_from(["", " ", "-"]), st.text("abc :", max_size=5))
def test_every_number_a_scheme_issues_is_found_unless_it_is_also_a_barcode(
    number: str, separator: str, around: str
) -> None:
    spaced = separator.join(number[i : i + 4] for i in range(0, len(number), 4))
    barcode = len(number) in GS1_LENGTHS and has_gs1_check_digit(number)

    assert looks_like_card_number(f"{around}{spaced}{around}") is not barcode


@given(card_numbers())
def test_a_card_number_with_one_digit_changed_is_not_one(number: str) -> None:
    last = str((int(number[-1]) + 1) % 10)

    assert not looks_like_card_number(number[:-1] + last)


@given(
    st.sampled_from([12, 13, 14, 18]).flatmap(
        lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1)
    )
)
def test_no_gs1_code_is_a_card_number(body: str) -> None:
    """UPC-A (12), EAN-13, GTIN-14 and SSCC-18: a product's, a case's and a pallet's codes."""
    assert not is_card_number(with_gs1_check_digit(body))


@given(st.text("0123456789", min_size=13, max_size=18).filter(lambda d: d[0] in "0179"))
def test_no_number_with_a_prefix_no_scheme_issues_is_a_card_number(body: str) -> None:
    """Tracking numbers of 15 or 16 digits and the like, whatever their check digit."""
    assert not is_card_number(with_check_digit(body))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tok_4242",
        "AUTH-123456",
        "411111111111",
        "41111111111111111111",
        "4111 1111 1111 111",
        "5901234123457",  # GS1's example EAN-13 (a Maestro prefix), which passes Luhn
        "4006381334013",  # a German EAN-13 (a Visa prefix) that passes Luhn
        "123456789012347",  # a 15-digit tracking number that passes Luhn
        "4111  1111 1111 1111",  # two spaces: not as a card is written
    ],
)
def test_short_long_broken_and_everyday_runs_are_not_card_numbers(text: str) -> None:
    assert not looks_like_card_number(text)


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111111",  # Visa
        "4222222222222",  # Visa, 13 digits
        "5555 5555 5555 4444",  # Mastercard
        "2223003122003222",  # Mastercard 2-series
        "3782-822463-10005",  # American Express
        "30569309025904",  # Diners Club, 14 digits
        "6011111111111117",  # Discover
        "3530111333300000",  # JCB
        "6200000000000005",  # UnionPay
        "6759649826438453",  # Maestro
        "2200000000000004",  # Mir
    ],
)
def test_the_schemes_test_cards_are_found(number: str) -> None:
    assert looks_like_card_number(number)
