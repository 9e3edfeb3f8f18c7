"""Inventory visibility: query words and bodies <-> the core's figures and counts."""

from typing import Final

from orderyard.dialects.orderdynamics.schemas.inventory import (
    FigureWord,
    LevelOut,
    OnHandUpdatedOut,
    OnHandUpdateIn,
    OverallOut,
    ReservedReleaseIn,
    ReservedUpdatedOut,
    ReservedUpdateIn,
    TotalOut,
    TotalOverallOut,
)
from orderyard.domain.errors import ConflictError, DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.inventory import StockFigures
from orderyard.services.inventory import CountRowError, OnHandResult, OnHandRow
from orderyard.services.reservations import (
    ReleaseRow,
    ReservationResult,
    ReservationRow,
    RowConflictError,
    RowNotFoundError,
)
from orderyard.services.visibility import LevelFigures, SkuFigures

FIGURES: Final[dict[FigureWord, str]] = {
    "onhand": "on_hand",
    "allocated": "allocated",
    "reserved": "reserved",
    "safetystock": "safety_stock",
    "available": "available",
}


def names(listed: str | None) -> list[str] | None:
    """A comma-separated query value as names (blanks dropped); None when not sent."""
    if listed is None:
        return None
    return [name.strip() for name in listed.split(",") if name.strip()]


def figure(figures: StockFigures, word: FigureWord) -> int:
    """The figure a ``type`` word (or an endpoint: ``allocated``, ``onhand``...) names."""
    value: int = getattr(figures, FIGURES[word])
    return value


def level_out(row: LevelFigures, word: FigureWord) -> LevelOut:
    """One figure of a (SKU, location) row."""
    return LevelOut(
        sku=row.sku, location_internal_name=row.location, quantity=figure(row.figures, word)
    )


def overall_out(row: LevelFigures) -> OverallOut:
    """Every figure of a (SKU, location) row."""
    f = row.figures
    return OverallOut(
        sku=row.sku,
        location_internal_name=row.location,
        on_hand=f.on_hand,
        allocated=f.allocated,
        reserved=f.reserved,
        safety_stock=f.safety_stock,
        available=f.available,
    )


def total_out(row: SkuFigures, word: FigureWord) -> TotalOut:
    """One figure of a SKU's total."""
    return TotalOut(sku=row.sku, quantity=figure(row.figures, word))


def total_overall_out(row: SkuFigures) -> TotalOverallOut:
    """Every figure of a SKU's total."""
    f = row.figures
    return TotalOverallOut(
        sku=row.sku,
        on_hand=f.on_hand,
        allocated=f.allocated,
        reserved=f.reserved,
        safety_stock=f.safety_stock,
        available=f.available,
    )


def on_hand_rows(body: OnHandUpdateIn) -> list[OnHandRow]:
    """The core's rows; each row's line is its index in ``Items``."""
    return [
        OnHandRow(index, item.location_internal_name, item.sku, item.quantity)
        for index, item in enumerate(body.items)
    ]


def row_error(bad: CountRowError | RowConflictError | RowNotFoundError) -> DomainError:
    """A refused row named as the client sent it (``Items[3].Sku``), of the same kind."""
    field = f"items[{bad.line}].{bad.field}"
    if isinstance(bad, RowConflictError):
        return ConflictError(bad.reason, field=field)
    if isinstance(bad, RowNotFoundError):
        return NotFoundError(bad.reason, field=field)
    message = (
        bad.reason if bad.earlier is None else f"{bad.reason} already set in Items[{bad.earlier}]"
    )
    return InvalidRequestError(message, field=field)


def reservation_rows(body: ReservedUpdateIn) -> list[ReservationRow]:
    """The core's reservations; each row's line is its index in ``Items``."""
    return [
        ReservationRow(
            index,
            item.location_internal_name,
            item.sku,
            item.quantity,
            reference=item.reference,
            expires_at=item.expiry_date_time_utc,
        )
        for index, item in enumerate(body.items)
    ]


def release_rows(body: ReservedReleaseIn) -> list[ReleaseRow]:
    """The core's reservations to remove; each row's line is its index in ``Items``."""
    return [
        ReleaseRow(index, item.location_internal_name, item.sku, reference=item.reference)
        for index, item in enumerate(body.items)
    ]


def reservations_updated(result: ReservationResult) -> ReservedUpdatedOut:
    """The answer to a set of reservation changes."""
    return ReservedUpdatedOut(rows=result.rows, orders_allocated=result.orders_allocated)


def on_hand_updated(result: OnHandResult) -> OnHandUpdatedOut:
    """The answer to a set of counts."""
    return OnHandUpdatedOut(
        rows=result.rows,
        changed=result.changed,
        orders_allocated=result.orders_allocated,
        orders_released=result.orders_released,
    )
