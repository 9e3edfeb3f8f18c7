"""Shipping rates: tiers by weight and subtotal, and the quote for an order.

A shipping rate belongs to one shipping method and one destination (a country, optionally
one region of it) and prices in one currency. Its tiers bound the order's weight, its
subtotal, or both: a tier matches when ``min <= value < max`` on each bound (a missing
``max`` is unbounded, a missing ``min`` is 0). Tiers of one rate never overlap (a weight and
a subtotal fall in at most one tier) and never go backwards (each ``max`` is above its
``min``), so a rate quotes at most one price.

**The quote for an order**: its parcel is the weight of its units not cancelled (each SKU's
item weight) and its subtotal (each line's unit price x units not cancelled, minus the line's
discount, never below zero; a wholly cancelled line counts nothing); the rates that cover
its destination, price in its currency and have a tier for its parcel each quote that tier's
price. **Per shipping method one quote wins**: the rate naming the order's region over a
country-wide one, then the cheapest, then the lowest id. The quotes are answered cheapest
first (then by shipping method name).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from orderyard.domain.countries import country_code
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.tax import (
    DISPLAY_NAME_MAX,
    REGION_MAX,
    Destination,
    check_backend_name,
    region_key,
)
from orderyard.domain.values import MONEY_PLACES

TIERS_MAX = 100
"""Most tiers one rate has."""
AMOUNT_MAX = Decimal("9999999999.9999")
"""Largest bound or price a tier holds (14 digits, as every amount of the store)."""


@dataclass(frozen=True, slots=True)
class Tier:
    """One price of a rate, for weights and subtotals within its bounds."""

    price: Decimal
    min_weight: Decimal = Decimal(0)
    max_weight: Decimal | None = None
    min_subtotal: Decimal = Decimal(0)
    max_subtotal: Decimal | None = None

    def matches(self, weight: Decimal, subtotal: Decimal) -> bool:
        """Whether ``weight`` and ``subtotal`` fall within the tier (each ``max`` excluded)."""
        return _within(weight, self.min_weight, self.max_weight) and _within(
            subtotal, self.min_subtotal, self.max_subtotal
        )

    def overlaps(self, other: "Tier") -> bool:
        """Whether some weight and subtotal fall within both tiers."""
        return _meet(self.min_weight, self.max_weight, other.min_weight, other.max_weight) and (
            _meet(self.min_subtotal, self.max_subtotal, other.min_subtotal, other.max_subtotal)
        )


def _within(value: Decimal, low: Decimal, high: Decimal | None) -> bool:
    return low <= value and (high is None or value < high)


def _meet(
    low: Decimal, high: Decimal | None, other_low: Decimal, other_high: Decimal | None
) -> bool:
    """Whether ``[low, high)`` and ``[other_low, other_high)`` share a value."""
    return (other_high is None or low < other_high) and (high is None or other_low < high)


@dataclass(frozen=True, slots=True)
class ShippingRateSpec:
    """A shipping rate as a client defines it (checked and normalized by ``check_spec``)."""

    backend_name: str
    shipping_method: str
    country_code: str
    currency: str
    tiers: tuple[Tier, ...]
    region: str = ""
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class ShippingRate:
    """A stored shipping rate."""

    id: int
    spec: ShippingRateSpec
    created_at: datetime
    updated_at: datetime = field(compare=False)

    def covers(self, where: Destination) -> bool:
        """Whether the rate ships to ``where`` (its country, and its region if it names one)."""
        return self.spec.country_code == where.country_code and self.spec.region in (
            "",
            where.region,
        )

    def tier_for(self, weight: Decimal, subtotal: Decimal) -> Tier | None:
        """The tier of this weight and subtotal (at most one: tiers never overlap)."""
        return next((t for t in self.spec.tiers if t.matches(weight, subtotal)), None)


@dataclass(frozen=True, slots=True)
class ParcelLine:
    """What an order line weighs and costs, for a quote."""

    quantity: int
    cancelled: int
    unit_price: Decimal
    discount: Decimal
    unit_weight: Decimal

    @property
    def units(self) -> int:
        """Units that still ship."""
        return self.quantity - self.cancelled


@dataclass(frozen=True, slots=True)
class Parcel:
    """An order as shipping rates see it."""

    weight: Decimal
    subtotal: Decimal
    destination: Destination
    currency: str


def parcel_of(lines: Iterable[ParcelLine], destination: Destination, currency: str) -> Parcel:
    """The parcel of an order's lines (the module's rule for weight and subtotal)."""
    shipping = [line for line in lines if line.units > 0]
    weight = sum((line.unit_weight * line.units for line in shipping), Decimal(0))
    subtotal = sum(
        (max(Decimal(0), line.unit_price * line.units - line.discount) for line in shipping),
        Decimal(0),
    )
    return Parcel(weight, subtotal, destination, currency.strip().upper())


@dataclass(frozen=True, slots=True)
class Quote:
    """What one rate charges for a parcel: the price of its matching tier."""

    rate: ShippingRate
    tier: Tier

    @property
    def price(self) -> Decimal:
        """The price quoted."""
        return self.tier.price

    def _rank(self) -> tuple[bool, Decimal, int]:
        """Smaller wins within a shipping method."""
        return (self.rate.spec.region == "", self.price, self.rate.id)


def quotes(rates: Iterable[ShippingRate], parcel: Parcel) -> list[Quote]:
    """One quote per shipping method for ``parcel``, cheapest first (the module's rule)."""
    best: dict[str, Quote] = {}
    for rate in rates:
        if not rate.covers(parcel.destination) or rate.spec.currency != parcel.currency:
            continue
        tier = rate.tier_for(parcel.weight, parcel.subtotal)
        if tier is None:
            continue
        quote = Quote(rate, tier)
        method = rate.spec.shipping_method
        if method not in best or quote._rank() < best[method]._rank():
            best[method] = quote
    return sorted(best.values(), key=lambda q: (q.price, q.rate.spec.shipping_method, q.rate.id))


def _amount(value: Decimal, *, field: str) -> Decimal:
    if not value.is_finite() or not 0 <= value <= AMOUNT_MAX:
        raise InvalidRequestError(f"{field} must be from 0 to {AMOUNT_MAX}", field=field)
    if value != value.quantize(MONEY_PLACES):
        raise InvalidRequestError(f"{field} has more than 4 decimal places", field=field)
    return value.quantize(MONEY_PLACES)


def _bounds(low: Decimal, high: Decimal | None, *, at: str, what: str) -> None:
    _amount(low, field=f"{at}.min_{what}")
    if high is not None and _amount(high, field=f"{at}.max_{what}") <= low:
        raise InvalidRequestError(
            f"{at}.max_{what} must be greater than min_{what} (the tier goes backwards)",
            field=f"{at}.max_{what}",
        )


def check_tiers(tiers: Sequence[Tier]) -> tuple[Tier, ...]:
    """The tiers, if each is in order and no two overlap; by lower bounds.

    Raises:
        InvalidRequestError: none or too many, a bad amount, a tier that goes backwards (a
            ``max`` not above its ``min``) or one that overlaps an earlier one, named.
    """
    if not tiers:
        raise InvalidRequestError("at least one tier is required", field="tiers")
    if len(tiers) > TIERS_MAX:
        raise InvalidRequestError(f"at most {TIERS_MAX} tiers", field="tiers")
    for index, tier in enumerate(tiers):
        at = f"tiers[{index}]"
        _amount(tier.price, field=f"{at}.price")
        _bounds(tier.min_weight, tier.max_weight, at=at, what="weight")
        _bounds(tier.min_subtotal, tier.max_subtotal, at=at, what="subtotal")
        for earlier, other in enumerate(tiers[:index]):
            if tier.overlaps(other):
                raise InvalidRequestError(f"{at} overlaps tiers[{earlier}]", field=at)
    return tuple(sorted(tiers, key=lambda t: (t.min_weight, t.min_subtotal)))


def check_currency(text: str) -> str:
    """A currency code: three letters (ISO 4217's shape), upper case.

    Raises:
        InvalidRequestError: anything else.
    """
    code = text.strip().upper()
    if len(code) != 3 or not (code.isascii() and code.isalpha()):
        raise InvalidRequestError(f"{text!r} is not a 3-letter currency code", field="currency")
    return code


def check_spec(spec: ShippingRateSpec) -> ShippingRateSpec:
    """``spec`` checked and normalized (names trimmed, codes upper case, tiers ordered).

    Raises:
        InvalidRequestError: the first field that is wrong, named.
    """
    name = check_backend_name(spec.backend_name)
    method = spec.shipping_method.strip()
    if not method:
        raise InvalidRequestError("shipping_method is required", field="shipping_method")
    region = region_key(spec.region)
    if len(region) > REGION_MAX:
        raise InvalidRequestError(f"region is longer than {REGION_MAX} characters", field="region")
    display = spec.display_name.strip() or name
    if len(display) > DISPLAY_NAME_MAX:
        raise InvalidRequestError(
            f"display_name is longer than {DISPLAY_NAME_MAX} characters", field="display_name"
        )
    return ShippingRateSpec(
        backend_name=name,
        shipping_method=method,
        country_code=country_code(spec.country_code),
        currency=check_currency(spec.currency),
        tiers=check_tiers(spec.tiers),
        region=region,
        display_name=display,
    )
