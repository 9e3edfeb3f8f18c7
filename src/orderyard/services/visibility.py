"""Inventory visibility: a SKU's figures per location, at chosen locations or in total.

The figures come from ``domain.inventory`` (``StockFigures``: available is
``max(0, on_hand - allocated - reserved - safety_stock)``; a kit's from its components), the
same as the ShipEdge stock view. Rows come SKU by SKU and, within a SKU, location by location
(by internal name): every (location, SKU) pair asked for is a row, zeros where nothing was
ever stocked, so a page is pure arithmetic over the SKUs and one read fetches it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.inventory import StockFigures, item_figures, kit_figures
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.stock import GridRead, ItemStock
from orderyard.store.uow import ReadUnitOfWork


@dataclass(frozen=True, slots=True)
class LevelFigures:
    """One SKU's figures at one location."""

    sku: str
    location: str
    figures: StockFigures


@dataclass(frozen=True, slots=True)
class SkuFigures:
    """One SKU's figures summed over every location."""

    sku: str
    figures: StockFigures


async def stock_at(
    uow: ReadUnitOfWork,
    location_codes: Sequence[str],
    skus: Sequence[str] | None,
    page: PageRequest,
) -> Page[LevelFigures]:
    """A page of (SKU, location) rows for the given locations and SKUs (every SKU if None).

    Raises:
        InvalidRequestError: no location is given, or a code or SKU is unknown (named all).
    """
    codes = sorted(set(location_codes))
    if not codes:
        raise InvalidRequestError("at least one location is required", field="locations")
    async with uow:
        found = await uow.locations.ids_by_code(codes)
        _refuse_unknown("location", "locations", [c for c in codes if c not in found])
        places = [(code, found[code]) for code in codes]
        return await _grid_page(uow, places, await _item_ids(uow, skus), page)


async def store_stock(
    uow: ReadUnitOfWork, store_code: str, skus: Sequence[str] | None, page: PageRequest
) -> Page[LevelFigures]:
    """A page of (SKU, store) rows for one store.

    Raises:
        NotFoundError: no store has this code (a location of another kind is no store).
        InvalidRequestError: a SKU is unknown.
    """
    async with uow:
        store = await uow.locations.find_by_code(store_code)
        if store is None or store.kind is not LocationKind.store:
            raise NotFoundError(
                f"location {store_code!r} not found among the stores", field="location"
            )
        return await _grid_page(uow, [(store.code, store.id)], await _item_ids(uow, skus), page)


async def stock_totals(
    uow: ReadUnitOfWork, skus: Sequence[str], page: PageRequest
) -> Page[SkuFigures]:
    """A page of SKUs with their figures summed over every location.

    A total's available adds each location's (never negative) available; a kit's total is
    what its components' totals allow (``domain.inventory.kit_figures``).

    Raises:
        InvalidRequestError: no SKU is given, or a SKU is unknown.
    """
    if not skus:
        raise InvalidRequestError("at least one SKU is required", field="skus")
    async with uow:
        item_ids = await _item_ids(uow, skus)
        read = await uow.stock.grid(
            location_ids=None, item_ids=item_ids, skip=page.offset, take=page.per_page
        )
    rows = [SkuFigures(entry.sku, _figures(entry)[1]) for entry in read.items]
    return Page(rows, read.total, page, count_is_exact=read.count_is_exact)


async def _item_ids(uow: ReadUnitOfWork, skus: Sequence[str] | None) -> list[int] | None:
    if skus is None:
        return None
    wanted = sorted(set(skus))
    found = await uow.stock.item_ids(wanted)
    _refuse_unknown("SKU", "skus", [s for s in wanted if s not in found])
    return list(found.values())


def _refuse_unknown(what: str, field: str, unknown: Sequence[str]) -> None:
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise InvalidRequestError(f"unknown {what}{plural} {names}", field=field)


async def _grid_page(
    uow: ReadUnitOfWork,
    places: Sequence[tuple[str, int]],
    item_ids: list[int] | None,
    page: PageRequest,
) -> Page[LevelFigures]:
    """Rows ``page`` of the SKUs x ``places`` grid: only the SKUs the page touches are read."""
    width = len(places)
    first = page.offset // width
    end = -(-(page.offset + page.per_page) // width)
    read: GridRead = await uow.stock.grid(
        location_ids=[location_id for _, location_id in places],
        item_ids=item_ids,
        skip=first,
        take=end - first,
    )
    rows: list[LevelFigures] = []
    for entry in read.items:
        per_location, _ = _figures(entry)
        rows += [
            LevelFigures(entry.sku, code, per_location.get(location_id, StockFigures()))
            for code, location_id in places
        ]
    start = page.offset - first * width
    return Page(
        rows[start : start + page.per_page],
        read.total * width,
        page,
        count_is_exact=read.count_is_exact,
    )


def _figures(entry: ItemStock) -> tuple[dict[int, StockFigures], StockFigures]:
    if entry.is_kit:
        return kit_figures(entry.needs, entry.levels)
    return item_figures(entry.levels)
