"""Counting and paging that stay cheap on accounts with millions of rows."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.values import COUNT_WINDOW, PageRequest


async def bounded_count(
    conn: AsyncConnection,
    filtered: Select[Any],
    page: PageRequest,
    *,
    along: Sequence[ColumnElement[Any]] = (),
) -> tuple[int, bool]:
    """Count the rows of ``filtered``, reading at most ``COUNT_WINDOW`` rows past the page.

    Returns the count and whether it is exact. An inexact count is a lower bound that still
    shows at least one more page, so clients walking pages never stop early. ``along``: the
    columns of an index to count along (so that the bounded read is an index range, not a
    sequential scan that happens to stop early).
    """
    limit = page.offset + page.per_page + COUNT_WINDOW
    ones = filtered.with_only_columns(literal(1)).order_by(None).order_by(*along)
    inner = ones.limit(limit + 1).subquery()
    counted = (await conn.execute(select(func.count()).select_from(inner))).scalar_one()
    if counted > limit:
        return limit, False
    return counted, True
