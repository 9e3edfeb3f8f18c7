"""Shipping rates: tiers that never overlap nor go backwards, and an order's quotes."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.shipping import (
    Parcel,
    ParcelLine,
    ShippingRate,
    ShippingRateSpec,
    Tier,
    check_tiers,
    parcel_of,
    quotes,
)
from orderyard.domain.tax import Destination

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
LA = Destination("US", "CA", "90001")
D = Decimal


def shipping(
    rate_id: int, method: str, *tiers: Tier, region: str = "", currency: str = "USD"
) -> ShippingRate:
    spec = ShippingRateSpec(f"R{rate_id}", method, "US", currency, tiers, region)
    return ShippingRate(rate_id, spec, NOW, NOW)


def parcel(weight: str, subtotal: str, where: Destination = LA) -> Parcel:
    line = ParcelLine(1, 0, D(subtotal), D(0), D(weight))
    return parcel_of([line], where, "usd")


class TestTiers:
    def test_bounds_include_the_minimum_and_exclude_the_maximum(self) -> None:
        tier = Tier(D(5), min_weight=D(1), max_weight=D(10))

        assert [tier.matches(D(w), D(0)) for w in ("0.9999", "1", "9.9999", "10")] == [
            False, True, True, False,
        ]  # fmt: skip

    @pytest.mark.parametrize(
        ("tiers", "field"),
        [
            ([], "tiers"),
            ([Tier(D(1), min_weight=D(5), max_weight=D(5))], "tiers[0].max_weight"),
            ([Tier(D(1), min_subtotal=D(9), max_subtotal=D(2))], "tiers[0].max_subtotal"),
            ([Tier(D(-1))], "tiers[0].price"),
            ([Tier(D(1), max_weight=D(10)), Tier(D(2), min_weight=D(9))], "tiers[1]"),
            ([Tier(D(1), max_subtotal=D(50)), Tier(D(2), max_weight=D(1))], "tiers[1]"),
        ],
    )
    def test_overlapping_backwards_or_bad_tiers_are_refused_by_name(
        self, tiers: list[Tier], field: str
    ) -> None:
        with pytest.raises(InvalidRequestError) as refused:
            check_tiers(tiers)

        assert refused.value.field == field

    def test_tiers_touching_at_a_bound_or_apart_on_one_axis_do_not_overlap(self) -> None:
        tiers = [
            Tier(D(9), min_weight=D(10)),
            Tier(D(5), max_weight=D(10), max_subtotal=D(100)),
            Tier(D(0), max_weight=D(10), min_subtotal=D(100)),
        ]

        assert check_tiers(tiers) == (tiers[1], tiers[2], tiers[0])

    @given(
        st.lists(
            st.decimals(min_value=0, max_value=1000, places=2), min_size=1, max_size=8, unique=True
        ),
        st.decimals(min_value=0, max_value=2000, places=2),
    )
    def test_consecutive_weight_bands_quote_exactly_one_tier(
        self, cuts: list[Decimal], weight: Decimal
    ) -> None:
        bounds = sorted(cuts)
        tiers = [Tier(D(n), min_weight=low, max_weight=high)
                 for n, (low, high) in enumerate(zip([D(0), *bounds], [*bounds, None], strict=True))
                 if high is None or low < high]  # fmt: skip
        rate = shipping(1, "Pick", *check_tiers(tiers))

        assert sum(t.matches(weight, D(0)) for t in rate.spec.tiers) == 1
        assert rate.tier_for(weight, D(0)) is not None


class TestQuotes:
    def test_a_parcel_counts_units_not_cancelled_and_nets_discounts_never_below_zero(self) -> None:
        lines = [
            ParcelLine(3, 1, D(10), D(5), D("1.5")),
            ParcelLine(2, 2, D(99), D(0), D(50)),
            ParcelLine(1, 0, D(2), D(7), D(1)),
        ]

        found = parcel_of(lines, LA, "usd")

        assert (found.weight, found.subtotal, found.currency) == (D(4), D(15), "USD")

    def test_per_method_the_region_wins_then_the_cheapest_and_quotes_go_cheapest_first(
        self,
    ) -> None:
        rates = [
            shipping(1, "Pick", Tier(D(3))),
            shipping(2, "Pick", Tier(D(8)), region="CA"),
            shipping(3, "Express", Tier(D(7))),
            shipping(4, "Express", Tier(D(6))),
            shipping(5, "Drone", Tier(D(1)), region="NY"),
            shipping(6, "Boat", Tier(D(0)), currency="EUR"),
            shipping(7, "Truck", Tier(D(1), min_weight=D(100))),
        ]

        found = quotes(rates, parcel("5", "20"))

        assert [(q.rate.id, q.price) for q in found] == [(4, D(6)), (2, D(8))]

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["Pick", "Express", "Ground"]),
                st.sampled_from(["", "CA", "NY"]),
                st.decimals(min_value=0, max_value=50, places=2),
            ),
            max_size=10,
        )
    )  # fmt: skip
    def test_one_quote_per_method_each_from_a_covering_rate_in_price_order(
        self, shapes: list[tuple[str, str, Decimal]]
    ) -> None:
        rates = [shipping(n, method, Tier(price), region=region)
                 for n, (method, region, price) in enumerate(shapes, start=1)]  # fmt: skip

        found = quotes(rates, parcel("1", "1"))

        methods = [q.rate.spec.shipping_method for q in found]
        assert len(methods) == len(set(methods))
        assert set(methods) == {r.spec.shipping_method for r in rates if r.covers(LA)}
        assert [q.price for q in found] == sorted(q.price for q in found)
