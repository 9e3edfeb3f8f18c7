"""Small value types shared across the core."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, NewType, TypeVar

from orderyard.domain.errors import InvalidRequestError

AccountId = NewType("AccountId", int)
T = TypeVar("T")

COUNT_WINDOW = 10_000
"""Lists count matches exactly up to this many records past the requested page (see docs)."""

MONEY_PLACES = Decimal("0.0001")

ID_MAX = 2**63 - 1
"""Largest id either backend stores (PostgreSQL BIGINT, SQLite INTEGER)."""
COUNT_MAX = 2**31 - 1
"""Largest quantity, priority or type number a column holds (PostgreSQL INTEGER)."""


def parse_id(text: str) -> int | None:
    """The id ``text`` spells in ASCII digits, or None when it cannot be a stored id.

    ``str.isdigit`` alone accepts characters such as ``²`` that ``int`` refuses, and a
    longer number than a BIGINT holds would fail in the database instead of here.
    """
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(ID_MAX)):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def to_decimal(value: Decimal | int | str, *, field: str) -> Decimal:
    """Return ``value`` as a Decimal with at most four places, refusing NaN and infinities."""
    number = Decimal(str(value))
    if not number.is_finite():
        raise InvalidRequestError(f"{field} must be a finite number", field=field)
    return number.quantize(MONEY_PLACES)


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address with the contact it belongs to, in the core's words.

    Each dialect maps its own field names onto these, field by field, in its mappers; the
    store maps them onto its columns the same way.
    """

    first_name: str = ""
    last_name: str = ""
    company: str = ""
    line1: str = ""
    line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country_code: str = ""
    phone: str = ""
    email: str = ""
    nickname: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


V = TypeVar("V")


def _kept(new: V | None, old: V) -> V:
    return old if new is None else new


@dataclass(frozen=True, slots=True)
class AddressPatch:
    """Changes to an address: a field left ``None`` keeps the address's value.

    An empty string is a change (it clears the field); coordinates cannot be cleared by a
    patch, since ``None`` means "unchanged".
    """

    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    line1: str | None = None
    line2: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    phone: str | None = None
    email: str | None = None
    nickname: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None

    def apply(self, address: Address) -> Address:
        """``address`` with this patch's given fields replacing its own."""
        return Address(
            first_name=_kept(self.first_name, address.first_name),
            last_name=_kept(self.last_name, address.last_name),
            company=_kept(self.company, address.company),
            line1=_kept(self.line1, address.line1),
            line2=_kept(self.line2, address.line2),
            city=_kept(self.city, address.city),
            region=_kept(self.region, address.region),
            postal_code=_kept(self.postal_code, address.postal_code),
            country_code=_kept(self.country_code, address.country_code),
            phone=_kept(self.phone, address.phone),
            email=_kept(self.email, address.email),
            nickname=_kept(self.nickname, address.nickname),
            latitude=_kept(self.latitude, address.latitude),
            longitude=_kept(self.longitude, address.longitude),
        )


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which slice of a list to return (pages count from 1)."""

    page: int = 1
    per_page: int = 20

    @property
    def offset(self) -> int:
        """Rows skipped before this page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list and how many records match.

    ``total`` is exact when ``count_is_exact``; otherwise at least ``COUNT_WINDOW`` records
    exist past this page and ``total`` is that lower bound, so that a client walking the pages
    never stops early while counting stays cheap on accounts with millions of records.
    """

    items: list[T]
    total: int
    request: PageRequest
    count_is_exact: bool = True

    @property
    def total_pages(self) -> int:
        """Pages needed for ``total`` records."""
        return -(-self.total // self.request.per_page)
