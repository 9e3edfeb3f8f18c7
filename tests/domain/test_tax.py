"""The tax rule: the rate in force for an address, and the per-line rounded tax."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.tax import (
    Destination,
    TaxLine,
    TaxRate,
    TaxRateSpec,
    check_spec,
    in_force,
    line_tax,
    order_tax,
)
from orderyard.domain.values import Address

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
TORONTO = Destination("CA", "ON", "M5V3L9")


def rate(
    rate_id: int,
    percent: str = "13",
    *,
    country: str = "CA",
    region: str = "",
    prefix: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> TaxRate:
    spec = TaxRateSpec(f"R{rate_id}", Decimal(percent), country, region, prefix, since, until)
    return TaxRate(rate_id, spec, NOW, NOW)


money = st.decimals(min_value=0, max_value=Decimal("99999.9999"), places=4)
percent = st.decimals(min_value=0, max_value=100, places=4)
lines = st.lists(
    st.builds(TaxLine, money, st.integers(min_value=1, max_value=1000), money), max_size=20
)


class TestLineTax:
    def test_the_net_amount_is_taxed_and_rounded_half_up_to_the_cent(self) -> None:
        line = TaxLine(Decimal("10.50"), 2, Decimal(1))

        assert line_tax(line, Decimal(13)) == Decimal("2.60")
        assert line_tax(TaxLine(Decimal("0.25"), 1), Decimal(10)) == Decimal("0.03")
        assert line_tax(TaxLine(Decimal("0.15"), 1), Decimal(10)) == Decimal("0.02")

    def test_a_discount_above_the_amount_taxes_nothing(self) -> None:
        assert line_tax(TaxLine(Decimal(5), 1, Decimal(9)), Decimal(20)) == Decimal("0.00")

    @given(lines, percent)
    def test_an_orders_tax_is_the_sum_of_its_rounded_line_taxes(
        self, order: list[TaxLine], rate_percent: Decimal
    ) -> None:
        total = order_tax(order, rate_percent)

        assert total == sum((line_tax(line, rate_percent) for line in order), Decimal(0))
        assert total == total.quantize(Decimal("0.01"))

    @given(st.builds(TaxLine, money, st.integers(min_value=1, max_value=1000), money), percent)
    def test_a_line_tax_is_never_negative_and_within_half_a_cent_of_exact(
        self, line: TaxLine, rate_percent: Decimal
    ) -> None:
        tax = line_tax(line, rate_percent)

        assert tax >= 0
        assert abs(tax - line.net * rate_percent / 100) <= Decimal("0.005")

    @given(st.builds(TaxLine, money, st.integers(min_value=1, max_value=1000), money), percent)
    def test_a_higher_rate_never_taxes_less(self, line: TaxLine, rate_percent: Decimal) -> None:
        assert line_tax(line, min(Decimal(100), rate_percent + 1)) >= line_tax(line, rate_percent)


class TestInForce:
    def test_the_longest_postal_prefix_wins_then_a_region_over_the_country(self) -> None:
        rates = [
            rate(1, "5", region=""),
            rate(2, "13", region="ON"),
            rate(3, "14", region="ON", prefix="M5"),
            rate(4, "15", prefix="M5V"),
            rate(5, "99", prefix="M5X"),
            rate(6, "98", country="US"),
        ]

        assert in_force(rates, TORONTO, NOW) == rates[3]
        assert in_force(rates[:3], TORONTO, NOW) == rates[2]
        assert in_force(rates[:2], TORONTO, NOW) == rates[1]
        assert in_force(rates[:1], Destination("CA", "QC", "H2X"), NOW) == rates[0]
        assert in_force(rates[4:], TORONTO, NOW) is None

    def test_ties_go_to_the_latest_start_then_the_lowest_id(self) -> None:
        older = rate(1, region="ON", since=NOW - timedelta(days=300))
        newer = rate(2, region="ON", since=NOW - timedelta(days=3))
        undated = rate(3, region="ON")
        twin = rate(4, region="ON")

        assert in_force([older, newer, undated], TORONTO, NOW) == newer
        assert in_force([undated, older], TORONTO, NOW) == older
        assert in_force([twin, undated], TORONTO, NOW) == undated

    def test_a_window_includes_its_start_and_excludes_its_end(self) -> None:
        window = rate(1, since=NOW, until=NOW + timedelta(days=1))

        assert in_force([window], TORONTO, NOW) == window
        assert in_force([window], TORONTO, NOW + timedelta(days=1)) is None
        assert in_force([window], TORONTO, NOW - timedelta(microseconds=1)) is None

    def test_an_address_is_compared_in_upper_case_without_spaces_or_hyphens(self) -> None:
        where = Destination.of(Address(region=" on ", postal_code="m5v 3l9", country_code="ca"))

        assert where == TORONTO

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["", "ON", "QC"]),
                st.sampled_from(["", "M", "M5", "M5V", "H2"]),
                st.sampled_from([None, NOW - timedelta(days=9), NOW - timedelta(days=1), NOW]),
            ),
            max_size=12,
        )
    )
    def test_the_winner_applies_and_no_applying_rate_is_more_specific(
        self, shapes: list[tuple[str, str, datetime | None]]
    ) -> None:
        rates = [
            rate(n, region=region, prefix=prefix, since=since)
            for n, (region, prefix, since) in enumerate(shapes, start=1)
        ]

        winner = in_force(rates, TORONTO, NOW)

        applying = [r for r in rates if r.applies_to(TORONTO, NOW)]
        assert (winner is None) == (not applying)
        if winner is not None:
            assert winner.applies_to(TORONTO, NOW)
            best = max((len(r.spec.postal_prefix), r.spec.region != "") for r in applying)
            assert (len(winner.spec.postal_prefix), winner.spec.region != "") == best


class TestCheckSpec:
    def test_fields_are_normalized_and_the_display_name_defaults(self) -> None:
        checked = check_spec(TaxRateSpec(" ON-HST ", Decimal(13), "ca", " on", "m5v-3"))

        assert checked == TaxRateSpec(
            "ON-HST", Decimal("13.0000"), "CA", "ON", "M5V3", display_name="ON-HST"
        )

    @pytest.mark.parametrize(
        ("spec", "field"),
        [
            (TaxRateSpec("A", Decimal("100.0001"), "CA"), "rate"),
            (TaxRateSpec("A", Decimal(-1), "CA"), "rate"),
            (TaxRateSpec("A", Decimal("NaN"), "CA"), "rate"),
            (TaxRateSpec("A", Decimal("1.00001"), "CA"), "rate"),
            (TaxRateSpec("A", Decimal(1), "XK"), "country_code"),
            (TaxRateSpec(" ", Decimal(1), "CA"), "backend_name"),
            (TaxRateSpec("A", Decimal(1), "CA", postal_prefix="M_%"), "postal_prefix"),
            (TaxRateSpec("A", Decimal(1), "CA", valid_from=NOW, valid_to=NOW), "valid_to"),
        ],
    )
    def test_a_bad_field_is_refused_by_name(self, spec: TaxRateSpec, field: str) -> None:
        with pytest.raises(InvalidRequestError) as refused:
            check_spec(spec)

        assert refused.value.field == field
