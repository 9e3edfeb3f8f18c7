"""The orders list and one order's page.

The list reads through the same indexed filters as both dialects' lists
(``store/queries/order_filters.py``: every filter an index range leading with the account),
newest first, a page at a time: one statement for the page, one bounded count, one for the
page's lines, whatever the page holds. An order's page reads everything in one unit of work, in a
fixed number of statements (``services/order/overview.py``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.forms import day, start_of, text, whole_number
from orderyard.console.session import Signed, SignedDep
from orderyard.console.web import render, status_of
from orderyard.domain.errors import DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.order import HoldState, OrderStatus
from orderyard.domain.values import PageRequest, parse_id
from orderyard.http.deps import read_uow
from orderyard.services.order import OrderFilter, search_orders
from orderyard.services.order.overview import order_overview

router = APIRouter()
PER_PAGE: Final = 50
PAGE_MAX: Final = 20_000
"""Deep offsets cost more; a filter finds an order faster than page 20,000 would."""
SEARCHES: Final = {
    "order_number": "Order number starts with",
    "reference": "Reference is",
    "email": "Customer e-mail is",
}
DONE: Final = {
    "held": "The order is on hold.",
    "resumed": "The order is resumed.",
    "cancelled": "The cancellation is recorded.",
    "shipments": "Shipments are created for the allocated units.",
    "shipped": "The shipment is marked shipped.",
}
"""What an action's redirect (``?done=...``) says on the order's page."""


@dataclass(frozen=True, slots=True)
class Listing:
    """What the list's query asks: the filter, the location, the page, and the query echoed."""

    where: OrderFilter
    location: str | None
    page: int
    query: dict[str, str]


def _search(where: OrderFilter, by: str, value: str) -> OrderFilter:
    if not value:
        return where
    if by == "reference":
        return replace(where, reference=value)
    if by == "email":
        return replace(where, customer_email=value)
    return replace(where, order_number_prefix=value)


def listing(query: Mapping[str, str]) -> Listing:
    """The list's filter from its query.

    Raises:
        InvalidRequestError: an unknown status, hold or search, a bad date or page.
    """
    status = text(query, "status", label="Status")
    hold = text(query, "hold", label="Hold")
    by = text(query, "search_by", label="Search") or "order_number"
    if status and status not in OrderStatus.__members__:
        raise InvalidRequestError(f"unknown status {status!r}", field="status")
    if hold and hold not in HoldState.__members__:
        raise InvalidRequestError(f"unknown hold state {hold!r}", field="hold")
    if by not in SEARCHES:
        raise InvalidRequestError(f"unknown search {by!r}", field="search_by")
    created_to = day(query, "to", label="Created until")
    where = OrderFilter(
        statuses=frozenset({OrderStatus(status)}) if status else None,
        hold=HoldState(hold) if hold else None,
        created_from=start_of(day(query, "from", label="Created from")),
        created_to=start_of(created_to + timedelta(days=1)) if created_to else None,
        channel_name=text(query, "channel", label="Channel") or None,
    )
    echoed = {k: text(query, k, label=k) for k in ("status", "hold", "from", "to", "channel")}
    echoed |= {
        "location": text(query, "location", label="Location"),
        "search_by": by,
        "q": text(query, "q", label="Search text"),
    }
    return Listing(
        where=_search(where, by, echoed["q"]),
        location=echoed["location"] or None,
        page=whole_number(query, "page", label="Page", high=PAGE_MAX) or 1,
        query={k: v for k, v in echoed.items() if v},
    )


def page_link(request: Request, query: Mapping[str, str], page: int) -> str:
    """The list's URL with the same filters, at another page."""
    root = request.scope.get("root_path", "")
    return f"{root}/orders?{urlencode({**query, 'page': str(page)})}"


@router.get("/orders")
async def orders(request: Request, signed: SignedDep) -> Response:
    """A page of the account's orders, newest first, filtered."""
    context: dict[str, object] = {"searches": SEARCHES, "statuses": list(OrderStatus)}
    context |= {"holds": list(HoldState), "query": {}, "found": None, "error": ""}
    try:
        asked = listing(request.query_params)
        context["query"] = asked.query
        found = await search_orders(
            read_uow(request, signed.session.account_id),
            asked.where,
            PageRequest(asked.page, PER_PAGE),
            location_code=asked.location,
        )
    except DomainError as error:
        context["error"] = error.message
        return render(request, "orders.html", context, signed=signed, status_code=status_of(error))
    context["found"] = found
    context["previous"] = page_link(request, asked.query, asked.page - 1) if asked.page > 1 else ""
    more = asked.page < found.total_pages
    context["next"] = page_link(request, asked.query, asked.page + 1) if more else ""
    return render(request, "orders.html", context, signed=signed)


def order_id_of(raw: str) -> int:
    """The order id a path names.

    Raises:
        NotFoundError: it cannot be an order's id.
    """
    order_id = parse_id(raw)
    if order_id is None:
        raise NotFoundError(f"order {raw} not found", field="order")
    return order_id


async def order_page(
    request: Request, signed: Signed, order_id: int, *, error: str = "", status_code: int = 200
) -> Response:
    """One order's page, with an action's error in plain words when there is one."""
    overview = await order_overview(read_uow(request, signed.session.account_id), order_id)
    done = DONE.get(request.query_params.get("done", ""), "") if not error else ""
    context = {"overview": overview, "order": overview.order, "error": error, "done": done}
    return render(request, "order.html", context, signed=signed, status_code=status_code)


@router.get("/orders/{order_id}")
async def order(request: Request, signed: SignedDep, order_id: str) -> Response:
    """An order with its lines, shipments, payments, invoices and timeline."""
    return await order_page(request, signed, order_id_of(order_id))
