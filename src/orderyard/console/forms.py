"""Reading what a console form or a list's query sends, refused in plain words.

Every text a form or a query sends is read through ``text``, which refuses what no database
can store (NUL, lone surrogates: ``http.guard`` checks JSON bodies and queries only) and caps
its length, so a bad value is a 400 naming the field, never a database error.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Final

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import COUNT_MAX, ID_MAX
from orderyard.http.guard import UNSTORABLE

TEXT_MAX: Final = 200


def text(values: Mapping[str, object], name: str, *, label: str, limit: int = TEXT_MAX) -> str:
    """The trimmed text of field ``name`` ("" when absent).

    Raises:
        InvalidRequestError: it is too long or holds a character no database can store.
    """
    value = values.get(name)
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > limit:
        raise InvalidRequestError(f"{label} has at most {limit} characters", field=name)
    if UNSTORABLE.search(value):
        raise InvalidRequestError(f"{label} holds a character that cannot be stored", field=name)
    return value


def whole_number(
    values: Mapping[str, object], name: str, *, label: str, low: int = 1, high: int = ID_MAX
) -> int | None:
    """The whole number in field ``name``, or None when it is empty.

    Raises:
        InvalidRequestError: not a whole number between ``low`` and ``high``.
    """
    raw = text(values, name, label=label, limit=20)
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidRequestError(
            f"{label} must be a whole number from {low} to {high}, not {raw!r}", field=name
        )
    return int(raw)


def quantity(values: Mapping[str, object], name: str, *, label: str) -> int | None:
    """A count of units (0 and up), or None when empty."""
    return whole_number(values, name, label=label, low=0, high=COUNT_MAX)


def day(values: Mapping[str, object], name: str, *, label: str) -> date | None:
    """A date (``YYYY-MM-DD``, what a date input sends), or None when empty.

    Raises:
        InvalidRequestError: not such a date.
    """
    raw = text(values, name, label=label, limit=10)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequestError(
            f"{label} must be a date like 2026-01-31, not {raw!r}", field=name
        ) from None


def start_of(day_: date | None) -> datetime | None:
    """Midnight UTC at the start of a day."""
    return None if day_ is None else datetime.combine(day_, time(), tzinfo=UTC)
