"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator

SCALE = 10_000


def scaled(value: Decimal) -> int:
    """``value`` as the integer of ten-thousandths that ``ScaledDecimal`` stores."""
    return int((Decimal(value) * SCALE).to_integral_value())


def unscaled(value: int) -> Decimal:
    """The Decimal, to four places, that ``ScaledDecimal`` reads from its integer."""
    return (Decimal(int(value)) / SCALE).quantize(Decimal("0.0001"))


def as_stored(value: Decimal) -> Decimal:
    """``value`` as a ``ScaledDecimal`` column gives it back once written."""
    return unscaled(scaled(value))


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal with four places stored as a scaled integer.

    SQLite has no decimal type (SQLAlchemy warns that floats would lose cents); an integer of
    ten-thousandths sums and compares exactly on both backends.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        """Scale to an integer of ten-thousandths."""
        if value is None:
            return None
        return scaled(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Scale back to a Decimal with four places."""
        if value is None:
            return None
        return unscaled(value)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime; naive datetimes are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes; store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return aware UTC datetimes (SQLite returns naive ones)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
