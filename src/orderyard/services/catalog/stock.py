"""The stock view: quantities per SKU and location, with kits derived from their components."""

from dataclasses import dataclass

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.inventory import StockFigures, item_figures, kit_figures
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.stock import ItemStock
from orderyard.store.uow import ReadUnitOfWork


@dataclass(frozen=True, slots=True)
class LocationStock:
    """One SKU's figures at one location."""

    location_id: int
    code: str
    figures: StockFigures


@dataclass(frozen=True, slots=True)
class StockView:
    """One SKU's figures per location and in total. A kit's are derived from its components."""

    item_id: int
    sku: str
    is_kit: bool
    locations: tuple[LocationStock, ...]
    total: StockFigures


async def stock_levels(
    uow: ReadUnitOfWork,
    page: PageRequest,
    *,
    sku: str | None = None,
    location: str | None = None,
) -> Page[StockView]:
    """The stock of one SKU, or a page of SKUs by id, at every location or at ``location``.

    With a location, every SKU shows exactly that location (zeros where it has no stock).

    Raises:
        InvalidRequestError: ``location`` is not a registered location code.
        NotFoundError: ``sku`` is not a SKU of this account.
    """
    async with uow:
        found = await uow.stock.stock(sku=sku, location_code=location, page=page)
    if location is not None and found.location_id is None:
        raise InvalidRequestError(f"location {location!r} is not registered", field="location")
    if sku is not None and not found.items:
        raise NotFoundError(f"SKU {sku!r} not found", field="sku")
    only = (found.location_id, location) if found.location_id is not None and location else None
    views = [_view(entry, only) for entry in found.items]
    return Page(views, found.total, page, count_is_exact=found.count_is_exact)


def _view(entry: ItemStock, only: tuple[int, str] | None) -> StockView:
    if entry.is_kit:
        per_location, total = kit_figures(entry.needs, entry.levels)
    else:
        per_location, total = item_figures(entry.levels)
    codes = dict(entry.codes)
    if only is not None:
        location_id, code = only
        per_location.setdefault(location_id, StockFigures())
        codes[location_id] = code
    rows = sorted(
        (
            LocationStock(location_id, codes[location_id], figures)
            for location_id, figures in per_location.items()
        ),
        key=lambda row: row.code,
    )
    return StockView(entry.item_id, entry.sku, entry.is_kit, tuple(rows), total)


def stock_view(entry: ItemStock) -> StockView:
    """One SKU's figures at every location it has stock, and in total."""
    return _view(entry, None)
