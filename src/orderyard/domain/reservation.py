"""Reservations: units of a stock level held aside for a purpose, optionally until a time.

A reservation is keyed by its level and a reference (a cart, a B2B customer, a store hold;
empty when the caller gives none). Setting one replaces its quantity and expiry; quantity
zero removes it. Held units are not available to orders; once a reservation expires it stops
counting at once (``store/stock_figures.py`` says how, with no sweeper).

A reservation may only hold what is free: the new quantity must fit in the level's available
units plus what the same reservation held before. Stock is never promised twice, to an order
and to a reservation.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from orderyard.domain.errors import ConflictError, InvalidRequestError
from orderyard.domain.inventory import StockLevel

Level = tuple[int, int]
"""``(location_id, item_id)``."""


@dataclass(frozen=True, slots=True)
class Reservation:
    """Units held at one level under one reference, until ``expires_at`` (None: until removed)."""

    location_id: int
    item_id: int
    reference: str
    quantity: int
    expires_at: datetime | None = None

    @property
    def level(self) -> Level:
        """The stock level it holds units of."""
        return (self.location_id, self.item_id)

    def counts_at(self, now: datetime) -> bool:
        """Whether it still holds its units at ``now``."""
        return self.expires_at is None or self.expires_at > now


class ReservationShortError(ConflictError):
    """A reservation asks for more than the level has free.

    It names the level's ids so that the use case can name them the way its caller wrote them.
    """

    def __init__(self, level: Level, wanted: int, free: int) -> None:
        super().__init__(
            f"only {free} units are free to reserve, {wanted} were asked", field="quantity"
        )
        self.level = level
        self.wanted = wanted
        self.free = free


def check_expiry(expires_at: datetime | None, now: datetime) -> None:
    """Refuse an expiry that has already passed: such a reservation would hold nothing.

    Raises:
        InvalidRequestError: ``expires_at`` is not after ``now``.
    """
    if expires_at is not None and expires_at <= now:
        raise InvalidRequestError("the expiry must be in the future", field="expires_at")


def check_fits(
    wanted: Sequence[Reservation],
    levels: Mapping[Level, StockLevel],
    held: Mapping[tuple[Level, str], int],
) -> None:
    """Check that each level has room for the reservations wanted there.

    ``levels`` are the settled levels (their ``reserved`` counts only running reservations)
    and ``held`` the running reservations' quantities by (level, reference): a reservation
    that is replaced gives its units back before the new quantity is taken.

    Raises:
        ReservationShortError: a level has fewer free units than its new reservations ask.
    """
    asked: dict[Level, int] = {}
    for reservation in wanted:
        change = reservation.quantity - held.get((reservation.level, reservation.reference), 0)
        asked[reservation.level] = asked.get(reservation.level, 0) + change
    for level, change in sorted(asked.items()):
        stock = levels.get(level)
        free = 0 if stock is None else stock.promisable
        if change > free:
            raise ReservationShortError(level, change, free)
