"""Tax rates: which one is in force for an address, and the tax of an order's lines.

A rate applies to a country (ISO 3166-1 alpha-2), optionally narrowed to one region (the
address's state or province) and to postal codes starting with a prefix, optionally within
a validity window. For an address at a moment, **the most specific rate in force wins**:

1. the longest postal-code prefix (no prefix counts as length 0);
2. then a rate naming the region over one for the whole country;
3. then (a tie: the same country, region and prefix length) the window that started last
   (a rate without a start counts as the earliest), so a newer rate supersedes an older one
   without deleting it;
4. then the lowest id (the rate defined first).

The tax of a line is its net amount (unit price x quantity - discount, never below zero)
times the rate, **rounded half up to the cent per line**; an order's tax is the sum of its
lines' rounded taxes. Rounding per line is what an invoice that shows each line's tax adds
up to; rounding the sum instead could differ from it by a cent per line.
"""

import decimal
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from orderyard.domain.countries import country_code
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import MONEY_PLACES, Address

NAME_MAX = 64
"""Longest backend name of a tax rate (and of a shipping rate)."""
DISPLAY_NAME_MAX = 200
REGION_MAX = 100
"""As long as an address's region (``orders.state``)."""
POSTAL_PREFIX_MAX = 32
"""As long as an address's postal code (``orders.zip``)."""
RATE_MAX = Decimal(100)
"""A rate is a percentage: 0 to 100."""
CENT = Decimal("0.01")
EARLIEST = datetime.min.replace(tzinfo=UTC)
"""Where a window without a start is placed among those that have one."""
_EXACT = decimal.Context(prec=60, rounding=ROUND_HALF_UP)
"""Room for a 14-digit amount times a rate with no rounding before the cent."""


def region_key(text: str) -> str:
    """A region as rates and addresses are compared: trimmed, upper case (``on`` = ``ON``)."""
    return text.strip().upper()


def postal_key(text: str) -> str:
    """A postal code as rates and addresses are compared: its letters and digits, upper case.

    ``L4K 1L6``, ``l4k-1l6`` and ``L4K1L6`` are one code, so a prefix ``L4K`` matches each.
    """
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an order goes, as rates are matched against it (keys already normalized)."""

    country_code: str
    region: str = ""
    postal_code: str = ""

    @classmethod
    def of(cls, address: Address) -> "Destination":
        """The destination of a postal address (its country code trimmed, upper case)."""
        return cls(
            address.country_code.strip().upper(),
            region_key(address.region),
            postal_key(address.postal_code),
        )


@dataclass(frozen=True, slots=True)
class TaxRateSpec:
    """A tax rate as a client defines it (checked and normalized by ``check_spec``)."""

    backend_name: str
    rate: Decimal
    country_code: str
    region: str = ""
    postal_prefix: str = ""
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class TaxRate:
    """A stored tax rate."""

    id: int
    spec: TaxRateSpec
    created_at: datetime
    updated_at: datetime = field(compare=False)

    def applies_to(self, where: Destination, at: datetime) -> bool:
        """Whether the rate covers ``where`` and is in force at ``at`` (start in, end out)."""
        spec = self.spec
        return (
            spec.country_code == where.country_code
            and spec.region in ("", where.region)
            and where.postal_code.startswith(spec.postal_prefix)
            and (spec.valid_from is None or spec.valid_from <= at)
            and (spec.valid_to is None or at < spec.valid_to)
        )

    def precedence(self) -> tuple[int, bool, datetime, int]:
        """Greater wins among rates that apply (the module's rules, in order)."""
        spec = self.spec
        started = spec.valid_from or EARLIEST
        return (len(spec.postal_prefix), spec.region != "", started, -self.id)


def most_specific_first(rates: Iterable[TaxRate]) -> list[TaxRate]:
    """``rates`` in the order of precedence, the winner first."""
    return sorted(rates, key=TaxRate.precedence, reverse=True)


def in_force(rates: Iterable[TaxRate], where: Destination, at: datetime) -> TaxRate | None:
    """The rate that applies to ``where`` at ``at``: the most specific one (module doc)."""
    applying = most_specific_first(rate for rate in rates if rate.applies_to(where, at))
    return applying[0] if applying else None


@dataclass(frozen=True, slots=True)
class TaxLine:
    """What the tax of one order line is computed from."""

    unit_price: Decimal
    quantity: int
    discount: Decimal = Decimal(0)

    @property
    def net(self) -> Decimal:
        """Unit price x quantity - discount, never below zero (a discount cannot be taxed back)."""
        gross = _EXACT.multiply(self.unit_price, self.quantity)
        return max(Decimal(0), _EXACT.subtract(gross, self.discount))


def line_tax(line: TaxLine, rate: Decimal, cent: Decimal = CENT) -> Decimal:
    """The tax of one line at ``rate`` percent: net x rate / 100, half up to the cent.

    ``cent`` is the minor unit of the order's currency (``domain.invoice.cent_of``: 1 for
    the yen, 0.001 for the dinar); the cent by default.
    """
    exact = _EXACT.divide(_EXACT.multiply(line.net, rate), RATE_MAX)
    return exact.quantize(cent, rounding=ROUND_HALF_UP, context=_EXACT)


def order_tax(lines: Iterable[TaxLine], rate: Decimal) -> Decimal:
    """The tax of an order's lines at ``rate``: the sum of each line's rounded tax."""
    return sum((line_tax(line, rate) for line in lines), Decimal("0.00"))


def _text(value: str, *, field: str, most: int, required: bool = False) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidRequestError(f"{field} is required", field=field)
    if len(text) > most:
        raise InvalidRequestError(f"{field} is longer than {most} characters", field=field)
    return text


def check_backend_name(name: str) -> str:
    """A rate's backend name: 1-64 characters once trimmed.

    Raises:
        InvalidRequestError: it is empty or too long.
    """
    return _text(name, field="backend_name", most=NAME_MAX, required=True)


def check_rate(rate: Decimal) -> Decimal:
    """A percentage from 0 to 100 with at most four decimal places.

    Raises:
        InvalidRequestError: it is not a finite number in that range, or more precise.
    """
    if not rate.is_finite() or not 0 <= rate <= RATE_MAX:
        raise InvalidRequestError(f"rate must be from 0 to 100 percent (got {rate})", field="rate")
    if rate != rate.quantize(MONEY_PLACES, context=_EXACT):
        raise InvalidRequestError("rate has more than 4 decimal places", field="rate")
    return rate.quantize(MONEY_PLACES, context=_EXACT)


def check_postal_prefix(prefix: str) -> str:
    """A postal-code prefix as compared (``postal_key``): letters, digits, spaces, hyphens.

    Raises:
        InvalidRequestError: another character, or longer than a postal code.
    """
    if any(not (ch.isascii() and ch.isalnum()) and ch not in " -" for ch in prefix):
        raise InvalidRequestError(
            "postal_prefix may hold only letters, digits, spaces and hyphens",
            field="postal_prefix",
        )
    key = postal_key(prefix)
    if len(key) > POSTAL_PREFIX_MAX:
        raise InvalidRequestError(
            f"postal_prefix is longer than {POSTAL_PREFIX_MAX} characters", field="postal_prefix"
        )
    return key


def check_window(valid_from: datetime | None, valid_to: datetime | None) -> None:
    """A validity window must end after it starts.

    Raises:
        InvalidRequestError: it ends at or before its start.
    """
    if valid_from is not None and valid_to is not None and valid_to <= valid_from:
        raise InvalidRequestError("valid_to must be later than valid_from", field="valid_to")


def check_spec(spec: TaxRateSpec) -> TaxRateSpec:
    """``spec`` checked and normalized, each field as rates are compared.

    Names are trimmed, country and region upper case, the postal prefix as ``postal_key``
    keeps it; the display name defaults to the backend name.

    Raises:
        InvalidRequestError: the first field that is wrong, named.
    """
    name = check_backend_name(spec.backend_name)
    check_window(spec.valid_from, spec.valid_to)
    return TaxRateSpec(
        backend_name=name,
        rate=check_rate(spec.rate),
        country_code=country_code(spec.country_code),
        region=region_key(_text(spec.region, field="region", most=REGION_MAX)),
        postal_prefix=check_postal_prefix(spec.postal_prefix),
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        display_name=_text(spec.display_name, field="display_name", most=DISPLAY_NAME_MAX) or name,
    )
