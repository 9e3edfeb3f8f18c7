"""Serial numbers of a SKU: what a valid serial is, and which serials a range covers.

A range ``[start, end]`` is numeric when both bounds end in ASCII digits after the same
prefix (``SN001`` .. ``SN100``): it covers the serials with exactly that prefix whose trailing
digits, read as a number, lie between the bounds' numbers, whatever their zero padding
(``SN2``, ``SN002`` and ``SN0100`` are in, ``SN1000``, ``SN`` and ``XX005`` are out). Any
other pair of bounds is a text range: it covers the serials between them in Unicode code
point order, bounds included. Prefixes and text compare case-sensitively, as serials are
stored. docs/dialects/parts/serials-attributes.md repeats the rule with examples.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.errors import DuplicateError, InvalidRequestError

SERIAL_MAX = 100
"""Longest serial stored (the ``serials.serial`` column)."""
DIGITS = "0123456789"


def check_serial(serial: str, *, field: str) -> None:
    """Refuse a serial that cannot be stored or found again: blank, or too long.

    Raises:
        InvalidRequestError: the serial is blank or longer than ``SERIAL_MAX`` characters.
    """
    if not serial.strip():
        raise InvalidRequestError(f"{field} must not be empty", field=field)
    if len(serial) > SERIAL_MAX:
        raise InvalidRequestError(
            f"{field} must be at most {SERIAL_MAX} characters (got {len(serial)})", field=field
        )


def first_repeat(serials: Sequence[str]) -> int | None:
    """The index of the first serial that repeats an earlier one of the list, or None."""
    seen: set[str] = set()
    for index, serial in enumerate(serials):
        if serial in seen:
            return index
        seen.add(serial)
    return None


def check_new_serials(serials: Sequence[str]) -> None:
    """Refuse a list of serials to create for one SKU unless every one of them can be stored.

    Raises:
        InvalidRequestError: the list is empty, or a serial is blank or too long.
        DuplicateError: a serial repeats an earlier one of the list (named by the repeat).
    """
    if not serials:
        raise InvalidRequestError("serials must not be empty", field="serials")
    for index, serial in enumerate(serials):
        check_serial(serial, field=f"serials[{index}]")
    repeat = first_repeat(serials)
    if repeat is not None:
        raise DuplicateError(
            f"serial {serials[repeat]!r} is given twice", field=f"serials[{repeat}]"
        )


def split_serial(serial: str) -> tuple[str, str]:
    """Split a serial into its prefix and its trailing run of ASCII digits (maybe empty)."""
    prefix = serial.rstrip(DIGITS)
    return prefix, serial[len(prefix) :]


@dataclass(frozen=True, slots=True)
class SerialRange:
    """The serials between two bounds, both included (see the module docstring).

    Build it with ``serial_range``, which checks the bounds; ``prefix`` is None for a text
    range, and ``low`` / ``high`` are then unused.
    """

    start: str
    end: str
    prefix: str | None = None
    low: int = 0
    high: int = 0

    @property
    def is_numeric(self) -> bool:
        """Whether the range compares numeric suffixes rather than whole strings."""
        return self.prefix is not None

    def contains(self, serial: str) -> bool:
        """Whether ``serial`` lies in the range."""
        if self.prefix is None:
            return self.start <= serial <= self.end
        prefix, digits = split_serial(serial)
        return prefix == self.prefix and digits != "" and self.low <= int(digits) <= self.high


def serial_range(start: str, end: str) -> SerialRange:
    """The range from ``start`` to ``end``, numeric when the bounds allow it.

    Raises:
        InvalidRequestError: a bound is blank or too long, or ``start`` comes after ``end``.
    """
    check_serial(start, field="serial_start")
    check_serial(end, field="serial_end")
    start_prefix, start_digits = split_serial(start)
    end_prefix, end_digits = split_serial(end)
    if start_digits and end_digits and start_prefix == end_prefix:
        low, high = int(start_digits), int(end_digits)
        if low > high:
            raise InvalidRequestError(
                f"serial_start {start!r} comes after serial_end {end!r} "
                f"({low} > {high} after the prefix {start_prefix!r})",
                field="serial_start",
            )
        return SerialRange(start, end, start_prefix, low, high)
    if start > end:
        raise InvalidRequestError(
            f"serial_start {start!r} comes after serial_end {end!r}", field="serial_start"
        )
    return SerialRange(start, end)
