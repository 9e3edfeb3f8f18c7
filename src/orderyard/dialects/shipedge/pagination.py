"""``page`` / ``per_page`` in, the seed's metadata out."""

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from orderyard.dialects.shipedge.envelope import Metadata
from orderyard.domain.values import Page, PageRequest
from orderyard.http.deps import app_state
from orderyard.http.wire import PAGE_MAX

DEFAULT_PER_PAGE = 20


async def page_request(
    request: Request,
    page: Annotated[int, Query(ge=1, le=PAGE_MAX, description="Page number, from 1.")] = 1,
    per_page: Annotated[
        int,
        Query(ge=1, le=PAGE_MAX, description="Items per page; values above the cap are capped."),
    ] = DEFAULT_PER_PAGE,
) -> PageRequest:
    """Read the paging parameters; ``per_page`` above the server's cap is lowered to it."""
    return PageRequest(page=page, per_page=min(per_page, app_state(request).max_per_page))


PageDep = Annotated[PageRequest, Depends(page_request)]


def metadata(page: Page[Any]) -> Metadata:
    """The seed's pagination metadata for a page."""
    return Metadata(
        page=page.request.page,
        per_page=page.request.per_page,
        total_records=page.total,
        total_pages=page.total_pages,
        total_current_page=len(page.items),
    )
