"""Returns between OrderDynamics' wire shape and the core.

The core keeps a status (``requested -> received -> committed``, or ``cancelled``) and, once
counted, an outcome. OrderDynamics shows them as two words; ShipEdge folds them into one
(``dialects/shipedge/mappers/returns.py``). The tables below are the whole translation.
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Final

from orderyard.dialects.orderdynamics.mappers.order import field_values, fields_out
from orderyard.dialects.orderdynamics.schemas.returns import (
    CommitIn,
    ReturnIn,
    ReturnItemOut,
    ReturnItemsCustomFieldsIn,
    ReturnOut,
)
from orderyard.domain.errors import DomainError, InvalidRequestError
from orderyard.domain.returns import ReturnOutcome, ReturnStatus
from orderyard.services.return_fields import ReturnFields, ReturnLineFields
from orderyard.services.returns import (
    CreateReturn,
    Receipt,
    ReturnCount,
    ReturnItem,
    ReturnSort,
    ReturnView,
    UpdateReturn,
)

STATUS_WORDS: Final[dict[ReturnStatus, str]] = {
    ReturnStatus.requested: "Pending",
    ReturnStatus.received: "Received",
    ReturnStatus.committed: "Committed",
    ReturnStatus.cancelled: "Cancelled",
}
OUTCOME_WORDS: Final[dict[ReturnOutcome, str]] = {
    ReturnOutcome.as_expected: "AsExpected",
    ReturnOutcome.discrepancy: "Discrepancy",
    ReturnOutcome.incomplete: "Incomplete",
}
_STATUSES: Final = {word.lower(): status for status, word in STATUS_WORDS.items()}
SORT_WORDS: Final[dict[str, ReturnSort]] = {
    "internalreturnid": ReturnSort.id,
    "createdatetimeutc": ReturnSort.created_at,
    "internalorderid": ReturnSort.order_id,
}

CORE_PARTS: Final = re.compile(r"^(lines|counts)\[(\d+)\](?:\.line_id)?")
"""A core field of a return's lines or counts; both are a body's ``ReturnItems``."""


@contextmanager
def return_words() -> Iterator[None]:
    """Name the fields of a return's errors as a return body does.

    The core names a return's lines ``lines[0]`` (an order's lines are ``OrderDetails`` in
    this dialect) and a count ``counts[0]``: both are ``ReturnItems[0]`` here, and a line
    named by id is its ``ReturnItemId``.
    """
    try:
        yield
    except DomainError as error:
        if error.field:
            error.field = CORE_PARTS.sub(_item, error.field)
        raise


def _item(match: re.Match[str]) -> str:
    named = ".ReturnItemId" if match.group(0).endswith(".line_id") else ""
    return f"ReturnItems[{match.group(2)}]{named}"


def statuses_of(words: str | None, *, field: str) -> frozenset[ReturnStatus]:
    """The core statuses of comma-separated words in any case (none: every status).

    Raises:
        InvalidRequestError: a word that is not one of the status words, naming ``field``.
    """
    found: set[ReturnStatus] = set()
    for word in (words or "").split(","):
        if not word.strip():
            continue
        status = _STATUSES.get(word.strip().lower())
        if status is None:
            raise InvalidRequestError(
                f"{field} must be among {', '.join(STATUS_WORDS.values())} (got {word[:32]!r})",
                field=field,
            )
        found.add(status)
    return frozenset(found)


def sort_of(word: str | None) -> ReturnSort:
    """The column a ``SortByColumn`` word names (default ``CreateDateTimeUtc``).

    Raises:
        InvalidRequestError: an unknown column, naming ``SortByColumn``.
    """
    if not word:
        return ReturnSort.created_at
    sort = SORT_WORDS.get(word.strip().lower())
    if sort is None:
        raise InvalidRequestError(
            "SortByColumn must be one of InternalReturnId, CreateDateTimeUtc, InternalOrderId"
            f" (got {word[:32]!r})",
            field="SortByColumn",
        )
    return sort


def _items(body: ReturnIn) -> tuple[ReturnItem, ...]:
    return tuple(ReturnItem(i.sku, i.quantity, i.return_reason) for i in body.return_items)


def create_return(body: ReturnIn) -> CreateReturn:
    """The core command of a create body.

    Raises:
        InvalidRequestError: the body names no order.
    """
    if body.internal_order_id is None and not body.external_order_id:
        raise InvalidRequestError(
            "InternalOrderId or ExternalOrderId is required", field="InternalOrderId"
        )
    return CreateReturn(body.internal_order_id or 0, _items(body), body.external_order_id or "")


def update_return(return_id: int, body: ReturnIn) -> UpdateReturn:
    """The core command of a ``PUT`` naming an open return."""
    return UpdateReturn(
        return_id, _items(body), body.internal_order_id, body.external_order_id or ""
    )


def receipt(body: CommitIn | None) -> Receipt | None:
    """What a commit body says arrived, and where (no body: the return as it stands)."""
    if body is None or (body.location_internal_name is None and body.return_items is None):
        return None
    counts = None
    if body.return_items is not None:
        counts = tuple(
            ReturnCount(i.sku, i.resellable_quantity, i.damaged_quantity) for i in body.return_items
        )
    return Receipt(body.location_internal_name, counts)


def line_fields(body: ReturnItemsCustomFieldsIn) -> list[ReturnLineFields]:
    """The core's per-line changes of an item custom-field body."""
    return [
        ReturnLineFields(item.return_item_id, field_values(item.custom_fields))
        for item in body.return_items
    ]


def return_out(view: ReturnView, fields: ReturnFields) -> ReturnOut:
    """The wire form of a return, with its custom fields and its items'."""
    return ReturnOut(
        internal_return_id=view.id,
        internal_order_id=view.order_id,
        external_order_id=view.order_number,
        external_customer_id=view.customer_external_id,
        return_status=STATUS_WORDS[view.status],
        return_outcome=None if view.outcome is None else OUTCOME_WORDS[view.outcome],
        location_internal_name=view.location_code,
        create_date_time_utc=view.created_at,
        last_updated_date_time_utc=view.updated_at,
        return_items=[
            ReturnItemOut(
                return_item_id=line.id,
                order_detail_id=line.order_line_id,
                sku=line.sku,
                quantity=line.quantity,
                return_reason=line.reason,
                resellable_quantity=line.good,
                damaged_quantity=line.damaged,
                custom_fields=fields_out(fields.lines.get(line.id, [])) or [],
            )
            for line in view.lines
        ],
        custom_fields=fields_out(fields.own) or [],
    )


def returns_out(views: Sequence[ReturnView], fields: Sequence[ReturnFields]) -> list[ReturnOut]:
    """The wire form of a page's returns."""
    return [return_out(view, own) for view, own in zip(views, fields, strict=True)]
