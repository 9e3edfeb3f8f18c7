"""Virtual inventory: inventory pools over chosen locations, and pool groups that collect them.

A pool combines the availability of its locations and applies its calculation: the sum of
their available units (each location's never negative, from ``domain.inventory``), then a
percentage of it rounded down, then minus a buffer, never below zero. A kit's combined
availability is what its components, summed over the pool's locations, allow (the rule of
``kit_figures``'s total). A group is a named collection of pools; its figures are its pools'
figures, one per pool: pools of a group may share locations, so adding them would count a
unit twice.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.inventory import StockLevel, item_figures, kit_figures
from orderyard.domain.values import COUNT_MAX

NAME_MAX = 64
"""Longest internal name of a pool or a group."""
DISPLAY_NAME_MAX = 200
POOL_LOCATIONS_MAX = 1000
"""Most locations one pool combines."""
GROUP_POOLS_MAX = 100
"""Most pools one group collects."""
FULL = 100
"""The percentage that keeps the whole sum."""


@dataclass(frozen=True, slots=True)
class Calculation:
    """What a pool does to the sum of its locations' available units."""

    percentage: int = FULL
    """0 to 100: the share of the sum kept, rounded down to a whole unit."""
    buffer: int = 0
    """Units held back after the percentage (never negative)."""

    def apply(self, combined: int) -> int:
        """The pool's figure for ``combined`` available units: never below zero."""
        return max(0, combined * self.percentage // FULL - self.buffer)


def check_calculation(calculation: Calculation) -> Calculation:
    """The calculation, if its percentage and buffer are in range.

    Raises:
        InvalidRequestError: a percentage outside 0-100 or a buffer outside 0-2147483647.
    """
    if not 0 <= calculation.percentage <= FULL:
        raise InvalidRequestError(
            f"percentage must be from 0 to {FULL} (got {calculation.percentage})",
            field="percentage",
        )
    if not 0 <= calculation.buffer <= COUNT_MAX:
        raise InvalidRequestError(
            f"buffer must be from 0 to {COUNT_MAX} units (got {calculation.buffer})",
            field="buffer",
        )
    return calculation


def combined_available(
    levels: Iterable[StockLevel], location_ids: Collection[int], needs: Mapping[int, int] | None
) -> int:
    """The available units of one SKU over ``location_ids``, before any calculation.

    ``levels`` are the SKU's own (``needs`` None) or its components' for a kit (``needs``:
    component item id -> units per kit); levels at other locations are left out.
    """
    inside = [level for level in levels if level.location_id in location_ids]
    if needs is None:
        return item_figures(inside)[1].available
    return kit_figures(needs, inside)[1].available


@dataclass(frozen=True, slots=True)
class InventoryPool:
    """A pool: its locations (by internal name, with their ids) and its calculation."""

    id: int
    internal_name: str
    display_name: str
    location_codes: tuple[str, ...]
    """By code (code-point order)."""
    location_ids: tuple[int, ...]
    """The ids of ``location_codes``, in the same order."""
    calculation: Calculation
    created_at: datetime

    def available(self, levels: Iterable[StockLevel], needs: Mapping[int, int] | None) -> int:
        """The pool's figure for one SKU whose levels (or components' levels) are ``levels``."""
        combined = combined_available(levels, frozenset(self.location_ids), needs)
        return self.calculation.apply(combined)


@dataclass(frozen=True, slots=True)
class PoolGroup:
    """A group: the pools it collects, by internal name (code-point order)."""

    id: int
    internal_name: str
    display_name: str
    pool_names: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NewPool:
    """A pool to define: its locations are named by code."""

    internal_name: str
    location_codes: Sequence[str]
    calculation: Calculation = field(default_factory=Calculation)
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class PoolPatch:
    """Changes to a pool; None leaves a field as it is (locations are replaced as a whole)."""

    display_name: str | None = None
    location_codes: Sequence[str] | None = None
    percentage: int | None = None
    buffer: int | None = None

    def calculation(self, current: Calculation) -> Calculation:
        """The calculation after the change."""
        return Calculation(
            current.percentage if self.percentage is None else self.percentage,
            current.buffer if self.buffer is None else self.buffer,
        )


@dataclass(frozen=True, slots=True)
class NewPoolGroup:
    """A group to define: its pools are named by internal name."""

    internal_name: str
    pool_names: Sequence[str]
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class GroupPatch:
    """Changes to a group; None leaves a field as it is (pools are replaced as a whole)."""

    display_name: str | None = None
    pool_names: Sequence[str] | None = None


def check_internal_name(name: str) -> str:
    """A pool's or a group's internal name, trimmed.

    Raises:
        InvalidRequestError: blank, or longer than ``NAME_MAX`` characters.
    """
    trimmed = name.strip()
    if not trimmed or len(trimmed) > NAME_MAX:
        raise InvalidRequestError(
            f"internal_name must be 1 to {NAME_MAX} characters", field="internal_name"
        )
    return trimmed


def display_name(given: str, internal_name: str) -> str:
    """The display name to keep: the given one trimmed, or the internal name when blank.

    Raises:
        InvalidRequestError: longer than ``DISPLAY_NAME_MAX`` characters.
    """
    trimmed = given.strip()
    if len(trimmed) > DISPLAY_NAME_MAX:
        raise InvalidRequestError(
            f"display_name may be at most {DISPLAY_NAME_MAX} characters", field="display_name"
        )
    return trimmed or internal_name


def check_members(names: Sequence[str], *, field: str, what: str, most: int) -> list[str]:
    """The members of a pool or group (location codes, pool names): 1 to ``most``, distinct.

    Raises:
        InvalidRequestError: none, too many, a blank one (``field[i]``) or one named twice.
    """
    if not names or len(names) > most:
        raise InvalidRequestError(
            f"{field} must name 1 to {most} {what}s (got {len(names)})", field=field
        )
    seen: dict[str, int] = {}
    for index, raw in enumerate(names):
        name = raw.strip()
        if not name:
            raise InvalidRequestError(f"a {what} name is blank", field=f"{field}[{index}]")
        if name in seen:
            raise InvalidRequestError(
                f"{what} {name!r} is already named at [{seen[name]}]", field=f"{field}[{index}]"
            )
        seen[name] = index
    return list(seen)


def refuse_unknown(what: str, field: str, unknown: Sequence[str]) -> None:
    """Refuse names that match no record, naming all of them.

    Raises:
        InvalidRequestError: ``unknown`` is not empty.
    """
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise InvalidRequestError(f"unknown {what}{plural} {names}", field=field)
