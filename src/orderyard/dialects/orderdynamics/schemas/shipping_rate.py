"""Shipping Rates API bodies: rates with their tiers, and an order's quotes."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.tax import (
    BackendName,
    CountryCode,
    DisplayName,
    State,
)
from orderyard.dialects.orderdynamics.wire import Number, WireIn, WireOut
from orderyard.domain.shipping import TIERS_MAX

Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4, allow_inf_nan=False)]


class TierIn(WireIn):
    """One price of a rate: it applies when `Min <= value < Max` on each bound given."""

    min_weight: Amount = Field(default=Decimal(0), description="In the items' Weight unit.")
    max_weight: Amount | None = Field(default=None, description="Excluded; absent: no bound.")
    min_subtotal: Amount = Field(default=Decimal(0), description="In the rate's currency.")
    max_subtotal: Amount | None = Field(default=None, description="Excluded; absent: no bound.")
    price: Amount


class ShippingRateIn(WireIn):
    """A shipping rate to create, or to put in place of the one of its BackendName."""

    backend_name: BackendName
    display_name: DisplayName = ""
    shipping_method: str = Field(
        min_length=1, max_length=200, description="A shipping method of the account's registry."
    )
    country_code: CountryCode
    state: State = ""
    currency_code: str = Field(max_length=64, description="3 letters (ISO 4217), any case.")
    tiers: list[TierIn] = Field(
        min_length=1, max_length=TIERS_MAX, description="Never overlapping; each Max above its Min."
    )


class TierOut(WireOut):
    """One price of a rate."""

    min_weight: Number
    max_weight: Number | None
    min_subtotal: Number
    max_subtotal: Number | None
    price: Number


class ShippingRateOut(WireOut):
    """A shipping rate as Orderyard answers it; tiers by their lower bounds."""

    backend_name: str
    display_name: str
    shipping_method: str
    country_code: str
    state: str
    currency_code: str
    tiers: list[TierOut]
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime


class ShippingQuoteOut(WireOut):
    """What one shipping method costs for an order: the price of its rate's matching tier."""

    internal_order_id: int
    external_order_id: str
    weight: Number = Field(description="The order's units not cancelled, by item Weight.")
    sub_total: Number = Field(description="Its lines' price of those units, less discounts.")
    backend_name: str
    display_name: str
    shipping_method: str
    country_code: str
    state: str
    currency_code: str
    price: Number
    tier: TierOut
