"""Site pricing: what one SKU costs on one sales channel, with an optional sale.

A price has a list price and, optionally, a sale price that applies inside a window. The
window is half-open, ``[starts_at, ends_at)``: a sale that ends at noon no longer applies at
noon, so consecutive sales can share an instant without overlapping. An open start means
"already started", an open end "until further notice".
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from orderyard.domain.errors import InvalidRequestError

CURRENCY = re.compile(r"[A-Z]{3}")
"""ISO 4217 alphabetic code: three upper-case letters."""


@dataclass(frozen=True, slots=True)
class SaleWindow:
    """When a sale price applies: ``[starts_at, ends_at)``, either end open when None."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def contains(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside the window (start included, end excluded)."""
        started = self.starts_at is None or self.starts_at <= moment
        return started and (self.ends_at is None or moment < self.ends_at)


@dataclass(frozen=True, slots=True)
class PriceTerms:
    """A SKU's price on one channel as a client sets it."""

    list_price: Decimal
    currency: str
    sale_price: Decimal | None = None
    sale: SaleWindow = SaleWindow()

    def price_at(self, moment: datetime) -> Decimal:
        """The price a buyer pays at ``moment``: the sale price inside its window, else list."""
        if self.sale_price is not None and self.sale.contains(moment):
            return self.sale_price
        return self.list_price


@dataclass(frozen=True, slots=True)
class SitePrice:
    """A stored site price: the terms of one SKU on one channel."""

    item_id: int
    sku: str
    channel: str
    terms: PriceTerms
    updated_at: datetime


def check_terms(terms: PriceTerms) -> PriceTerms:
    """Refuse terms that cannot be applied.

    Raises:
        InvalidRequestError: an unknown currency form, a sale window without a sale price, or
            a window that ends at or before it starts; each names its field.
    """
    if not CURRENCY.fullmatch(terms.currency):
        raise InvalidRequestError(
            f"currency {terms.currency!r} is not a three-letter ISO 4217 code", field="currency"
        )
    window = terms.sale
    if terms.sale_price is None and (window.starts_at or window.ends_at):
        raise InvalidRequestError("a sale window needs a sale price", field="sale_price")
    if window.starts_at and window.ends_at and window.ends_at <= window.starts_at:
        raise InvalidRequestError("the sale must end after it starts", field="sale_ends_at")
    return terms
