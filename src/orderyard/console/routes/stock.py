"""Stock: the list of SKUs, one SKU across locations, and the ledger of one level.

Reads of ``services.stock_views``, each a fixed number of statements: the list continues
after the last SKU shown (keyset paging, so a late page costs what the first does), the
ledger before the oldest movement shown. SKUs and location codes travel in the query
(``?sku=``), not the path: a SKU may hold any character, a slash included.
"""

from collections.abc import Mapping
from typing import Final
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.forms import text, whole_number
from orderyard.console.session import SignedDep
from orderyard.console.web import render, status_of
from orderyard.domain.errors import DomainError, NotFoundError
from orderyard.domain.stock_views import RecordKind
from orderyard.http.deps import read_uow
from orderyard.services.stock_views import MAX_PREFIX, level_ledger, sku_list, sku_stock

router = APIRouter()
PER_PAGE: Final = 50
SKU_MAX: Final = 100
LOCATION_MAX: Final = 64
RECORD_PAGES: Final = {
    RecordKind.order: "/orders/{id}",
    RecordKind.shipment: "/shipments?shipment_id={id}",
    RecordKind.return_: "/returns?return_id={id}",
}
"""The console's page of each kind of record a movement can name (the others have none)."""


def link(root: str, path: str, **query: str | int | None) -> str:
    """A console URL with the query's given values."""
    given = {name: str(value) for name, value in query.items() if value not in (None, "")}
    return f"{root}{path}?{urlencode(given)}" if given else f"{root}{path}"


@router.get("/stock")
async def stock_list(request: Request, signed: SignedDep) -> Response:
    """The account's SKUs by SKU with their totals, by SKU prefix, a page at a time."""
    query = request.query_params
    context: dict[str, object] = {"prefix": "", "found": None, "next": "", "error": ""}
    try:
        prefix = context["prefix"] = text(query, "prefix", label="SKU prefix", limit=MAX_PREFIX)
        after = text(query, "after", label="After", limit=SKU_MAX) or None
        found = await sku_list(
            read_uow(request, signed.session.account_id),
            prefix=prefix,
            after=after,
            limit=PER_PAGE,
        )
    except DomainError as error:
        context["error"] = error.message
        return render(request, "stock.html", context, signed=signed, status_code=status_of(error))
    root = request.scope.get("root_path", "")
    context |= {"found": found, "continued": after is not None}
    if found.next_after is not None:
        context["next"] = link(root, "/stock", prefix=prefix, after=found.next_after)
    return render(request, "stock.html", context, signed=signed)


def required(values: Mapping[str, object], name: str, *, label: str, limit: int) -> str:
    """A text the page cannot do without; its absence is a 404 (nothing is named).

    Raises:
        NotFoundError: the field is missing or empty.
    """
    value = text(values, name, label=label, limit=limit)
    if not value:
        raise NotFoundError(f"no {label} given", field=name)
    return value


@router.get("/stock/sku")
async def sku_page(request: Request, signed: SignedDep) -> Response:
    """One SKU at every location: on hand, allocated, reserved, available, and the total."""
    sku = required(request.query_params, "sku", label="SKU", limit=SKU_MAX)
    stock = await sku_stock(read_uow(request, signed.session.account_id), sku)
    return render(request, "sku.html", {"stock": stock}, signed=signed)


@router.get("/stock/ledger")
async def ledger_page(request: Request, signed: SignedDep) -> Response:
    """The movements of one SKU at one location, newest first, each with its records."""
    query = request.query_params
    sku = required(query, "sku", label="SKU", limit=SKU_MAX)
    location = required(query, "location", label="location", limit=LOCATION_MAX)
    before = whole_number(query, "before", label="Before")
    ledger = await level_ledger(
        read_uow(request, signed.session.account_id),
        sku,
        location,
        before=before,
        limit=PER_PAGE,
    )
    root = request.scope.get("root_path", "")
    older = ""
    if ledger.next_before is not None:
        older = link(root, "/stock/ledger", sku=sku, location=location, before=ledger.next_before)
    context = {
        "ledger": ledger,
        "older": older,
        "newest": link(root, "/stock/ledger", sku=sku, location=location) if before else "",
        "record_pages": {kind.value: page for kind, page in RECORD_PAGES.items()},
    }
    return render(request, "ledger.html", context, signed=signed)
