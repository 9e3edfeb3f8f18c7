"""What the console's numbered lists share: links to the pages around one, dates as filters."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from orderyard.console.forms import day, start_of
from orderyard.domain.values import Page


def list_link(request: Request, path: str, query: Mapping[str, str], page: int) -> str:
    """A list's URL with the same filters, at another page."""
    root = request.scope.get("root_path", "")
    return f"{root}{path}?{urlencode({**query, 'page': str(page)})}"


def numbered_pages(
    request: Request, path: str, query: Mapping[str, str], found: Page[Any]
) -> dict[str, str]:
    """The links to the previous and next pages of ``found`` ("" where there is none)."""
    page = found.request.page
    return {
        "previous": list_link(request, path, query, page - 1) if page > 1 else "",
        "next": list_link(request, path, query, page + 1) if page < found.total_pages else "",
    }


def created_between(
    query: Mapping[str, str], *, label: str = "Created"
) -> tuple[datetime | None, datetime | None]:
    """The ``from`` and ``to`` days of a list's filter as a half-open range of UTC times.

    Both days are included: ``to`` ends at the midnight after it.

    Raises:
        InvalidRequestError: a day that is not a date.
    """
    first = day(query, "from", label=f"{label} from")
    last = day(query, "to", label=f"{label} until")
    return start_of(first), start_of(last + timedelta(days=1)) if last else None
