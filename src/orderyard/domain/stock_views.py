"""What the console's stock pages show: a SKU across locations, a list of SKUs, a level's ledger.

The figures are ``StockFigures`` (``domain.inventory``): ``available`` is
``max(0, on_hand - allocated - reserved - safety_stock)`` per location with ``reserved`` the
reservations still running when read, and a total adds the locations' figures.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from orderyard.domain.inventory import MovementReason, StockFigures


@dataclass(frozen=True, slots=True)
class LocationStock:
    """One SKU's figures at one location (zeros where it was never stocked)."""

    location_id: int
    code: str
    name: str
    figures: StockFigures


@dataclass(frozen=True, slots=True)
class SkuStock:
    """One SKU at every location of the account, and its total.

    A kit holds no stock of its own: its figures are what its components allow
    (``domain.inventory.kit_figures``), and its total is not the sum of its locations.
    """

    item_id: int
    sku: str
    is_kit: bool
    locations: tuple[LocationStock, ...]
    total: StockFigures


@dataclass(frozen=True, slots=True)
class SkuTotals:
    """One row of the stock list: a SKU and its figures summed over every location."""

    item_id: int
    sku: str
    is_kit: bool
    total: StockFigures


@dataclass(frozen=True, slots=True)
class SkuList:
    """A page of the stock list, by SKU; ``next_after`` continues it (None: the last page)."""

    items: tuple[SkuTotals, ...]
    next_after: str | None


class RecordKind(StrEnum):
    """The kinds of record a movement of the ledger can come from."""

    order = "order"
    shipment = "shipment"
    return_ = "return"
    replenishment = "replenishment"
    manufacture_order = "manufacture_order"


_SOURCES = {
    "shipment": RecordKind.shipment,
    "return": RecordKind.return_,
    "replenishment": RecordKind.replenishment,
    "manufacture": RecordKind.manufacture_order,
}
"""The prefixes of the references the services write (``"shipment:12"``) and their kinds."""


@dataclass(frozen=True, slots=True)
class RecordLink:
    """A record a page can link to: its kind, its id and what a person reads (a number)."""

    kind: RecordKind
    id: int
    label: str


def source_of(reference: str) -> RecordLink | None:
    """The shipment, return, replenishment or manufacture order a movement's reference names.

    The services write these references as ``"<kind>:<id>"``; anything else (an on-hand
    feed's ``"bulk job 7"``, an import's file name) names no record, and gives None.
    """
    prefix, colon, number = reference.partition(":")
    kind = _SOURCES.get(prefix)
    if kind is None or not colon or not number.isascii() or not number.isdigit():
        return None
    return RecordLink(kind, int(number), number)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One movement of a stock level: what changed, when, why and which records caused it.

    ``order`` is the order the movement was made for (its number as label); ``source`` the
    shipment, return, replenishment or manufacture order behind it, when there is one;
    ``reference`` the text the movement was written with (a feed names itself there).
    """

    id: int
    reason: MovementReason
    on_hand_delta: int
    allocated_delta: int
    at: datetime
    order: RecordLink | None
    source: RecordLink | None
    reference: str


@dataclass(frozen=True, slots=True)
class StockLedger:
    """A page of one level's ledger, newest first, with the level's figures now.

    ``next_before`` continues the ledger past this page (None: nothing older).
    """

    sku: str
    location_code: str
    figures: StockFigures
    entries: tuple[LedgerEntry, ...]
    next_before: int | None
