"""The shipments and returns lists, newest first, filtered and numbered by page.

Each reads with the dialects' own queries (``store/queries/shipment.py``,
``store/queries/returns.py``: every filter a range of an index leading with the account), in a
fixed number of statements per page: the page, a bounded count, and the page's lines (and a
shipment's tracking numbers and custom fields) for all its rows at once.
"""

from collections.abc import Mapping
from typing import Final

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.forms import text, whole_number
from orderyard.console.listing import created_between, numbered_pages
from orderyard.console.session import SignedDep
from orderyard.console.web import render, status_of
from orderyard.domain.errors import DomainError, InvalidRequestError
from orderyard.domain.returns import ReturnStatus
from orderyard.domain.shipment import ShipmentStatus
from orderyard.domain.values import PageRequest
from orderyard.http.deps import read_uow
from orderyard.services.returns import ReturnFilter, list_returns
from orderyard.services.shipment.read import ShipmentFilter, list_shipments

router = APIRouter()
PER_PAGE: Final = 50
PAGE_MAX: Final = 20_000
FILTERS: Final = ("status", "from", "to", "order", "location", "shipment_id", "return_id")


def echoed(query: Mapping[str, str]) -> dict[str, str]:
    """The filters a list was asked for, as its links repeat them."""
    found = {name: text(query, name, label=name) for name in FILTERS}
    return {name: value for name, value in found.items() if value}


def status_in(query: Mapping[str, str], statuses: type[ShipmentStatus] | type[ReturnStatus]) -> str:
    """The status asked for ("" for any).

    Raises:
        InvalidRequestError: not one of ``statuses``.
    """
    status = text(query, "status", label="Status")
    if status and status not in statuses.__members__:
        raise InvalidRequestError(f"unknown status {status!r}", field="status")
    return status


def shipment_filter(query: Mapping[str, str]) -> ShipmentFilter:
    """The shipments list's filter from its query.

    Raises:
        InvalidRequestError: an unknown status, a bad date or id.
    """
    status = status_in(query, ShipmentStatus)
    created_after, created_before = created_between(query)
    return ShipmentFilter(
        created_after=created_after,
        created_before=created_before,
        shipment_id=whole_number(query, "shipment_id", label="Shipment"),
        order_number=text(query, "order", label="Order number") or None,
        status=ShipmentStatus(status) if status else None,
        location_code=text(query, "location", label="Location") or None,
    )


def return_filter(query: Mapping[str, str]) -> ReturnFilter:
    """The returns list's filter from its query.

    Raises:
        InvalidRequestError: an unknown status, a bad date or id.
    """
    status = status_in(query, ReturnStatus)
    created_after, created_before = created_between(query)
    return ReturnFilter(
        return_id=whole_number(query, "return_id", label="Return"),
        order_number=text(query, "order", label="Order number") or None,
        statuses=frozenset({ReturnStatus(status)}) if status else frozenset(),
        created_after=created_after,
        created_before=created_before,
    )


@router.get("/shipments")
async def shipments(request: Request, signed: SignedDep) -> Response:
    """The account's shipments, newest first, by status, creation dates, order, location."""
    query = request.query_params
    context: dict[str, object] = {"statuses": list(ShipmentStatus), "query": {}, "found": None}
    try:
        context["query"] = asked = echoed(query)
        page = whole_number(query, "page", label="Page", high=PAGE_MAX) or 1
        found = await list_shipments(
            read_uow(request, signed.session.account_id),
            shipment_filter(query),
            PageRequest(page, PER_PAGE),
            newest_first=True,
        )
    except DomainError as error:
        context["error"] = error.message
        return render(
            request, "shipments.html", context, signed=signed, status_code=status_of(error)
        )
    context |= {"found": found, **numbered_pages(request, "/shipments", asked, found)}
    return render(request, "shipments.html", context, signed=signed)


@router.get("/returns")
async def returns(request: Request, signed: SignedDep) -> Response:
    """The account's returns, newest first, by status, creation dates and order."""
    query = request.query_params
    context: dict[str, object] = {"statuses": list(ReturnStatus), "query": {}, "found": None}
    try:
        context["query"] = asked = echoed(query)
        page = whole_number(query, "page", label="Page", high=PAGE_MAX) or 1
        found = await list_returns(
            read_uow(request, signed.session.account_id),
            PageRequest(page, PER_PAGE),
            return_filter(query),
        )
    except DomainError as error:
        context["error"] = error.message
        return render(request, "returns.html", context, signed=signed, status_code=status_of(error))
    context |= {"found": found, **numbered_pages(request, "/returns", asked, found)}
    return render(request, "returns.html", context, signed=signed)
