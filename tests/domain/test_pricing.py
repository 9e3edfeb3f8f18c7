"""Site prices: the sale price applies exactly inside its half-open window."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.pricing import PriceTerms, SaleWindow, check_terms

BASE = datetime(2026, 12, 1, tzinfo=UTC)
minutes = st.integers(min_value=-10_000, max_value=10_000).map(
    lambda m: BASE + timedelta(minutes=m)
)
amounts = st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False)


@given(
    list_price=amounts,
    sale_price=amounts,
    start=st.none() | minutes,
    end=st.none() | minutes,
    moment=minutes,
)
def test_the_sale_price_applies_exactly_inside_its_window(
    list_price: Decimal,
    sale_price: Decimal,
    start: datetime | None,
    end: datetime | None,
    moment: datetime,
) -> None:
    terms = PriceTerms(list_price, "USD", sale_price, SaleWindow(start, end))

    inside = (start is None or start <= moment) and (end is None or moment < end)

    assert terms.price_at(moment) == (sale_price if inside else list_price)


@given(list_price=amounts, moment=minutes)
def test_without_a_sale_the_list_price_always_applies(
    list_price: Decimal, moment: datetime
) -> None:
    assert PriceTerms(list_price, "EUR").price_at(moment) == list_price


@given(start=minutes, end=minutes)
def test_a_window_is_accepted_exactly_when_it_ends_after_it_starts(
    start: datetime, end: datetime
) -> None:
    terms = PriceTerms(Decimal(10), "USD", Decimal(5), SaleWindow(start, end))

    if end > start:
        assert check_terms(terms) == terms
    else:
        with pytest.raises(InvalidRequestError) as refused:
            check_terms(terms)
        assert refused.value.field == "sale_ends_at"


def test_consecutive_sales_can_share_an_instant_without_overlapping() -> None:
    noon = BASE + timedelta(hours=12)
    morning = PriceTerms(Decimal(10), "USD", Decimal(8), SaleWindow(BASE, noon))
    afternoon = PriceTerms(Decimal(10), "USD", Decimal(7), SaleWindow(noon, None))

    assert (morning.price_at(noon), afternoon.price_at(noon)) == (Decimal(10), Decimal(7))


@pytest.mark.parametrize("currency", ["usd", "US", "USDX", "U1D"])
def test_a_currency_that_is_not_three_capital_letters_is_refused(currency: str) -> None:
    with pytest.raises(InvalidRequestError) as refused:
        check_terms(PriceTerms(Decimal(1), currency))

    assert refused.value.field == "currency"


def test_a_window_without_a_sale_price_is_refused() -> None:
    with pytest.raises(InvalidRequestError) as refused:
        check_terms(PriceTerms(Decimal(1), "USD", None, SaleWindow(BASE, None)))

    assert refused.value.field == "sale_price"
