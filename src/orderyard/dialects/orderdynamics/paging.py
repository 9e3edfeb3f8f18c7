"""Paging: ``pageSize`` and ``pageNumber`` in, the vendor's page envelope out."""

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request

from orderyard.dialects.orderdynamics.wire import WireOut
from orderyard.domain.values import Page, PageRequest
from orderyard.http.deps import app_state
from orderyard.http.wire import PAGE_MAX

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 20


async def page_request(
    request: Request,
    page_size: Annotated[
        int,
        Query(
            alias="pageSize",
            ge=1,
            le=PAGE_MAX,
            description="Items per page (default 20); values above the server's cap"
            " (ORDERYARD_MAX_PER_PAGE, 250 by default) are lowered to it.",
        ),
    ] = DEFAULT_PAGE_SIZE,
    page_number: Annotated[
        int, Query(alias="pageNumber", ge=1, le=PAGE_MAX, description="Page, from 1.")
    ] = 1,
) -> PageRequest:
    """Read the paging parameters; a size above the server's cap is lowered to it."""
    return PageRequest(page=page_number, per_page=min(page_size, app_state(request).max_per_page))


PageDep = Annotated[PageRequest, Depends(page_request)]


class Paged(WireOut, Generic[T]):
    """A page of a list."""

    page_number: int
    page_size: int
    total_count: int
    total_pages: int
    items: list[T]


def paged(page: Page[Any], items: list[T]) -> "Paged[T]":
    """The vendor's page of ``items`` (the page's records, already mapped)."""
    return Paged[T](
        page_number=page.request.page,
        page_size=page.request.per_page,
        total_count=page.total,
        total_pages=page.total_pages,
        items=items,
    )
