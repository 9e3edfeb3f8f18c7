"""The console's stock pages: a SKU across locations, the stock list, one level's ledger.

Reads only, each a fixed number of statements whatever the account holds: figures come from
the stock reads the API uses (``StockQueries``: reserved is what the reservations hold when
read) and ``domain.inventory`` adds them up.
"""

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.inventory import StockFigures, item_figures, kit_figures
from orderyard.domain.stock_views import (
    LocationStock,
    SkuList,
    SkuStock,
    SkuTotals,
    StockLedger,
)
from orderyard.domain.values import PageRequest
from orderyard.store.queries.stock import ItemStock
from orderyard.store.uow import ReadUnitOfWork

MAX_LIMIT = 200
"""The most rows one page of the stock list or of a ledger holds."""

MAX_PREFIX = 100
"""A SKU is at most 100 characters, and so is a prefix of one."""


async def sku_stock(uow: ReadUnitOfWork, sku: str) -> SkuStock:
    """One SKU at every live location of the account (zeros where never stocked), and in total.

    Locations come by priority, then id. Two statements: the SKU's stock, and the locations.

    Raises:
        NotFoundError: the account has no such SKU.
    """
    async with uow:
        read = await uow.stock.stock(sku=sku, location_code=None, page=PageRequest(1, 1))
        if not read.items:
            raise NotFoundError(f"SKU {sku!r} not found", field="sku")
        live = await uow.locations.all()
    [entry] = read.items
    per_location, total = _figures(entry)
    rows = [
        LocationStock(place.id, place.code, place.name, per_location.get(place.id, StockFigures()))
        for place in live
    ]
    shown = {place.id for place in live}
    rows += [
        LocationStock(location_id, entry.codes.get(location_id, ""), "", figures)
        for location_id, figures in sorted(per_location.items())
        if location_id not in shown
    ]
    return SkuStock(entry.item_id, entry.sku, entry.is_kit, tuple(rows), total)


async def sku_list(
    uow: ReadUnitOfWork, *, prefix: str = "", after: str | None = None, limit: int = 50
) -> SkuList:
    """A page of the account's SKUs starting with ``prefix``, by SKU, with their totals.

    ``after``: the last SKU of the previous page (``SkuList.next_after``). SKUs compare
    exactly (case counts). Two statements: the page's SKUs, and their levels.

    Raises:
        InvalidRequestError: ``limit`` is not between 1 and ``MAX_LIMIT``, or the prefix is
            longer than a SKU can be.
    """
    _check_limit(limit)
    if len(prefix) > MAX_PREFIX:
        raise InvalidRequestError(
            f"a SKU prefix is at most {MAX_PREFIX} characters", field="prefix"
        )
    async with uow.tolerating_lag() as uow:
        item_ids, more = await uow.stock_views.skus(prefix=prefix, after=after, limit=limit)
        if not item_ids:
            return SkuList((), None)
        read = await uow.stock.grid(
            location_ids=None, item_ids=item_ids, skip=0, take=len(item_ids)
        )
    rows = tuple(
        SkuTotals(entry.item_id, entry.sku, entry.is_kit, _figures(entry)[1])
        for entry in read.items
    )
    return SkuList(rows, rows[-1].sku if more else None)


async def level_ledger(
    uow: ReadUnitOfWork,
    sku: str,
    location_code: str,
    *,
    before: int | None = None,
    limit: int = 50,
) -> StockLedger:
    """The movements of one SKU at one location, newest first, with the level's figures now.

    ``before``: the ``StockLedger.next_before`` of the previous page. Each entry names the
    order it was made for and the shipment, return, replenishment or manufacture order
    behind it. Two statements: the level, and the page of its movements.

    Raises:
        InvalidRequestError: ``limit`` is not between 1 and ``MAX_LIMIT``.
        NotFoundError: the account has no such SKU, or no live location with this code.
    """
    _check_limit(limit)
    async with uow.tolerating_lag() as uow:
        found = await uow.stock_views.level(sku, location_code)
        if found.item_id is None:
            raise NotFoundError(f"SKU {sku!r} not found", field="sku")
        if found.location_id is None:
            raise NotFoundError(f"location {location_code!r} not found", field="location")
        entries, more = await uow.stock_views.ledger(
            found.item_id, found.location_id, before=before, limit=limit
        )
    figures = StockFigures() if found.level is None else StockFigures.of(found.level)
    next_before = entries[-1].id if more else None
    return StockLedger(sku, location_code, figures, tuple(entries), next_before)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequestError(f"limit must be between 1 and {MAX_LIMIT}", field="limit")


def _figures(entry: ItemStock) -> tuple[dict[int, StockFigures], StockFigures]:
    if entry.is_kit:
        return kit_figures(entry.needs, entry.levels)
    return item_figures(entry.levels)
