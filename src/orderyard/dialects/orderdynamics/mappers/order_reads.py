"""Order reads: OrderDynamics' list, history and search filters <-> the core's order filter."""

from dataclasses import replace
from datetime import datetime
from typing import Final

from orderyard.dialects.orderdynamics.mappers.order import STATUS_WORDS
from orderyard.dialects.orderdynamics.schemas.order_reads import (
    FigureOut,
    OrderStatisticsOut,
    SearchIn,
)
from orderyard.domain.customer import CustomerLink
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.order import OrderStatus
from orderyard.domain.values import parse_id
from orderyard.services.order import OrderFilter, OrderStatistics, Tally

STATUSES: Final[dict[str, OrderStatus]] = {
    word.lower(): status for status, word in STATUS_WORDS.items()
}
"""OrderDynamics' status words, in any case, to the core's statuses."""
SORTS: Final[dict[str, str]] = {
    "internalorderid": "id",
    "externalorderid": "order_number",
    "orderdatetimeutc": "ordered_at",
    "createddatetimeutc": "created_at",
    "lastupdateddatetimeutc": "updated_at",
}
"""The columns a customer's history may be sorted by, in any case, to the core's sorts."""


def statuses(words: str | None, *, field: str) -> frozenset[OrderStatus] | None:
    """The statuses a comma-separated list of words names (``None``: no filter).

    Raises:
        InvalidRequestError: a word is not one of the status words.
    """
    if words is None or not words.strip():
        return None
    found = set()
    for word in (w.strip() for w in words.split(",") if w.strip()):
        status = STATUSES.get(word.lower())
        if status is None:
            raise InvalidRequestError(
                f"unknown order status {word!r}; one of {', '.join(STATUS_WORDS.values())}",
                field=field,
            )
        found.add(status)
    return frozenset(found)


def list_filter(
    after: datetime,
    before: datetime,
    *,
    customer: str | None,
    status_words: str | None,
    shipped_to_store: bool | None,
    link: CustomerLink | None = None,
) -> OrderFilter:
    """The core filter of a list by last change.

    No Orderyard order ships to a store: ``IsShippedToStore=true`` matches none (an empty set
    of statuses), ``false`` every order.

    Raises:
        InvalidRequestError: the window ends before it starts, or a status word is unknown.
    """
    if after >= before:
        raise InvalidRequestError(
            "LastUpdatedDateTimeUtcBefore must be later than LastUpdatedDateTimeUtcAfter",
            field="LastUpdatedDateTimeUtcBefore",
        )
    wanted = statuses(status_words, field="OrderStatus")
    if shipped_to_store:
        wanted = frozenset()
    return OrderFilter(
        statuses=wanted,
        updated_after=after,
        updated_before=before,
        customer_external_id=customer or None,
        linked_to=link,
    )


def history_filter(
    customer: str | None,
    email: str | None,
    *,
    text: str | None,
    by_external_id: bool,
    link: CustomerLink | None = None,
) -> OrderFilter:
    """The core filter of a customer's history.

    ``Filter`` is the start of the ``ExternalOrderId`` (``FilterByExternalId``, the default)
    or, with ``FilterByExternalId=false``, an ``InternalOrderId``.

    Raises:
        InvalidRequestError: no customer is named, or ``Filter`` is not an id when it must be.
    """
    if not customer and not email and link is None:
        raise InvalidRequestError(
            "InternalCustomerId, ExternalCustomerId or Email is required",
            field="ExternalCustomerId",
        )
    where = OrderFilter(
        customer_external_id=customer or None, customer_email=email or None, linked_to=link
    )
    if not text:
        return where
    if by_external_id:
        return replace(where, order_number_prefix=text)
    order_id = parse_id(text)
    if order_id is None:
        raise InvalidRequestError(
            "Filter must be an InternalOrderId when FilterByExternalId is false", field="Filter"
        )
    return replace(where, order_id=order_id)


def sort_column(wire: str | None) -> str:
    """The core sort of ``SortByColumn`` (default ``InternalOrderId``: newest first).

    Raises:
        InvalidRequestError: the column is not one of the sortable ones.
    """
    if not wire:
        return "id"
    sort = SORTS.get(wire.lower())
    if sort is None:
        raise InvalidRequestError(
            "SortByColumn must be one of InternalOrderId, ExternalOrderId, OrderDateTimeUtc,"
            " CreatedDateTimeUtc, LastUpdatedDateTimeUtc",
            field="SortByColumn",
        )
    return sort


def search_filter(body: SearchIn) -> OrderFilter:
    """The core filter of a search body (the location is resolved by the service)."""
    if (
        body.order_date_time_utc_from is not None
        and body.order_date_time_utc_to is not None
        and body.order_date_time_utc_from >= body.order_date_time_utc_to
    ):
        raise InvalidRequestError(
            "OrderDateTimeUtcTo must be later than OrderDateTimeUtcFrom",
            field="OrderDateTimeUtcTo",
        )
    return OrderFilter(
        statuses=frozenset(STATUSES[w.lower()] for w in body.order_statuses) or None,
        ordered_from=body.order_date_time_utc_from,
        ordered_to=body.order_date_time_utc_to,
        customer_external_id=body.external_customer_id,
        customer_email=body.customer_email,
        channel_name=body.channel,
        sku=body.sku,
    )


def _figure(tally: Tally) -> FigureOut:
    return FigureOut(line_count=tally.lines, unit_count=tally.units, amount=tally.amount)


def statistics_out(stats: OrderStatistics) -> OrderStatisticsOut:
    """The wire form of an order's statistics."""
    return OrderStatisticsOut(
        internal_order_id=stats.order.id,
        external_order_id=stats.order.order_number,
        currency_code=stats.order.currency,
        ordered=_figure(stats.ordered),
        allocated=_figure(stats.allocated),
        shipped=_figure(stats.shipped),
        cancelled=_figure(stats.cancelled),
        returned=_figure(stats.returned),
        invoiced=_figure(stats.invoiced),
        number_of_shipments=stats.shipments,
    )
