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
    """A postal address with the contact it belongs to."""

    firstname: str = ""
    lastname: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = ""


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
