"""Virtual inventory: what each pool of the named groups shows for each SKU.

The figures come from the one source of stock figures: the stock grid read
(``store/queries/stock.py``, the read behind ``services/visibility.py``) gives each SKU's
levels (a kit's: its components') at the pools' locations, ``domain.inventory`` turns them
into available units, and each pool applies its calculation
(``domain/virtual_inventory.py``). Rows come SKU by SKU; within a SKU, group by group in the
order named, and within a group pool by pool (by internal name). Every SKU has the same
number of rows, so a page is arithmetic over the SKUs and one read fetches the SKUs it
touches, as the physical reads do.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import Page, PageRequest
from orderyard.domain.virtual_inventory import InventoryPool, refuse_unknown
from orderyard.store.uow import ReadUnitOfWork


@dataclass(frozen=True, slots=True)
class PoolFigure:
    """One SKU's virtual availability in one pool of one group."""

    group: str
    pool: str
    sku: str
    available: int


Column = tuple[str, InventoryPool]
"""A group's name and one of its pools: one row per SKU."""


async def virtual_inventory(
    uow: ReadUnitOfWork,
    group_names: Sequence[str],
    skus: Sequence[str] | None,
    page: PageRequest,
) -> Page[PoolFigure]:
    """A page of (SKU, group, pool) rows for the named groups and SKUs (every SKU if None).

    Raises:
        InvalidRequestError: no group is given, or a group or SKU is unknown (named all).
    """
    wanted = list(dict.fromkeys(name for name in group_names if name))
    if not wanted:
        raise InvalidRequestError("at least one inventory pool group is required", field="groups")
    async with uow:
        groups = await uow.pools.groups_by_names(wanted)
        refuse_unknown("inventory pool group", "groups", [g for g in wanted if g not in groups])
        pools = await uow.pools.pools_by_names(
            {name for group in groups.values() for name in group.pool_names}
        )
        columns = [(group, pools[name]) for group in wanted for name in groups[group].pool_names]
        return await _page(uow, columns, await _item_ids(uow, skus), page)


async def _item_ids(uow: ReadUnitOfWork, skus: Sequence[str] | None) -> list[int] | None:
    if skus is None:
        return None
    wanted = sorted(set(skus))
    if not wanted:
        raise InvalidRequestError("at least one SKU is required", field="skus")
    found = await uow.stock.item_ids(wanted)
    refuse_unknown("SKU", "skus", [sku for sku in wanted if sku not in found])
    return list(found.values())


async def _page(
    uow: ReadUnitOfWork, columns: list[Column], item_ids: list[int] | None, page: PageRequest
) -> Page[PoolFigure]:
    """Rows ``page`` of the SKUs x ``columns`` grid: only the SKUs the page touches are read."""
    width = len(columns)
    if width == 0:
        return Page([], 0, page)
    first = page.offset // width
    end = -(-(page.offset + page.per_page) // width)
    locations = sorted({i for _, pool in columns for i in pool.location_ids})
    read = await uow.stock.grid(
        location_ids=locations, item_ids=item_ids, skip=first, take=end - first
    )
    rows = [
        PoolFigure(
            group,
            pool.internal_name,
            entry.sku,
            pool.available(entry.levels, entry.needs if entry.is_kit else None),
        )
        for entry in read.items
        for group, pool in columns
    ]
    start = page.offset - first * width
    return Page(
        rows[start : start + page.per_page],
        read.total * width,
        page,
        count_is_exact=read.count_is_exact,
    )
