"""Shipping rates: OrderDynamics bodies <-> the core's rates, tiers and quotes."""

from orderyard.dialects.orderdynamics.schemas.shipping_rate import (
    ShippingQuoteOut,
    ShippingRateIn,
    ShippingRateOut,
    TierIn,
    TierOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.shipping_rates import (
    OrderQuotes,
    Quote,
    ShippingRate,
    ShippingRateSpec,
    Tier,
)


def required(name: str | None) -> str:
    """The ``BackendName`` a delete must carry."""
    if not name:
        raise InvalidRequestError("BackendName is required", field="BackendName")
    return name


def _tier(wire: TierIn) -> Tier:
    return Tier(
        price=wire.price,
        min_weight=wire.min_weight,
        max_weight=wire.max_weight,
        min_subtotal=wire.min_subtotal,
        max_subtotal=wire.max_subtotal,
    )


def spec(body: ShippingRateIn) -> ShippingRateSpec:
    """The core definition of a body."""
    return ShippingRateSpec(
        backend_name=body.backend_name,
        shipping_method=body.shipping_method,
        country_code=body.country_code,
        currency=body.currency_code,
        tiers=tuple(_tier(tier) for tier in body.tiers),
        region=body.state,
        display_name=body.display_name,
    )


def tier_out(tier: Tier) -> TierOut:
    """The wire form of a tier."""
    return TierOut(
        min_weight=tier.min_weight,
        max_weight=tier.max_weight,
        min_subtotal=tier.min_subtotal,
        max_subtotal=tier.max_subtotal,
        price=tier.price,
    )


def rate_out(rate: ShippingRate) -> ShippingRateOut:
    """The wire form of a rate."""
    defined = rate.spec
    return ShippingRateOut(
        backend_name=defined.backend_name,
        display_name=defined.display_name,
        shipping_method=defined.shipping_method,
        country_code=defined.country_code,
        state=defined.region,
        currency_code=defined.currency,
        tiers=[tier_out(tier) for tier in defined.tiers],
        created_date_time_utc=rate.created_at,
        last_updated_date_time_utc=rate.updated_at,
    )


def quote_out(found: OrderQuotes, quote: Quote) -> ShippingQuoteOut:
    """The wire form of one quote for an order."""
    defined = quote.rate.spec
    return ShippingQuoteOut(
        internal_order_id=found.order.id,
        external_order_id=found.order.order_number,
        weight=found.parcel.weight,
        sub_total=found.parcel.subtotal,
        backend_name=defined.backend_name,
        display_name=defined.display_name,
        shipping_method=defined.shipping_method,
        country_code=defined.country_code,
        state=defined.region,
        currency_code=defined.currency,
        price=quote.price,
        tier=tier_out(quote.tier),
    )
