"""Order fulfillment: OrderDynamics words and bodies <-> the core's shipment commands and views."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from orderyard.dialects.orderdynamics.mappers.custom_field import text_of
from orderyard.dialects.orderdynamics.schemas.custom_field import CustomFieldIn, CustomFieldOut
from orderyard.dialects.orderdynamics.schemas.shipment import (
    ShipmentDetailOut,
    ShipmentLineCustomFieldsIn,
    ShipmentOut,
    ShipmentStatusWord,
    TrackingNumberIn,
    TrackingNumberOut,
)
from orderyard.domain.attribute import StoredAttribute
from orderyard.domain.custom_field import FieldValue
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.shipment import ShipmentStatus, TrackingNumber
from orderyard.services.shipment.details import LineFields
from orderyard.services.shipment.read import ShipmentView

STATUS_WORDS: Final[dict[ShipmentStatus, ShipmentStatusWord]] = {
    ShipmentStatus.created: "Created",
    ShipmentStatus.released: "Released",
    ShipmentStatus.picked: "Picked",
    ShipmentStatus.packed: "Packed",
    ShipmentStatus.shipped: "Shipped",
    ShipmentStatus.delivered: "Delivered",
    ShipmentStatus.cancelled: "Cancelled",
    ShipmentStatus.rejected: "Rejected",
}
"""The core's shipment status in OrderDynamics' words, one each."""
STATUSES: Final[dict[str, ShipmentStatus]] = {
    word.lower(): status for status, word in STATUS_WORDS.items()
}


def status_of(word: str, *, field: str) -> ShipmentStatus:
    """The core status of a word in any case.

    Raises:
        InvalidRequestError: not one of the words, naming ``field``.
    """
    status = STATUSES.get(word.lower())
    if status is None:
        raise InvalidRequestError(
            f"{field} must be one of {', '.join(STATUS_WORDS.values())} (got {word[:32]!r})",
            field=field,
        )
    return status


def in_utc(moment: datetime | None, *, field: str) -> datetime | None:
    """A query time in UTC; one without an offset is read as UTC.

    Raises:
        InvalidRequestError: naming ``field``, a time that leaves the calendar once in UTC
            (``0001-01-01T00:00:00+03:00``).
    """
    if moment is None or moment.tzinfo is None:
        return None if moment is None else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidRequestError("the time is out of range once in UTC", field=field) from None


def shipment_id_of(query: int | None, body: int | None, *, field: str) -> int:
    """The shipment a request names in its query or its body (both: the same one).

    Raises:
        InvalidRequestError: neither names one, or they name different shipments.
    """
    if query is not None and body is not None and query != body:
        raise InvalidRequestError(
            f"the query names shipment {query} and the body shipment {body}", field="ShipmentId"
        )
    found = query if query is not None else body
    if found is None:
        raise InvalidRequestError("ShipmentId is required", field=field)
    return found


def field_values(fields: Sequence[CustomFieldIn]) -> list[FieldValue]:
    """The core's values of a body's custom fields."""
    return [FieldValue(field.name, text_of(field.value)) for field in fields]


def line_fields(body: ShipmentLineCustomFieldsIn) -> list[LineFields]:
    """The core's per-line changes of a line custom-field body."""
    return [
        LineFields(line.order_detail_id, field_values(line.custom_fields))
        for line in body.line_items
    ]


def tracking_in(numbers: Sequence[TrackingNumberIn]) -> list[TrackingNumber]:
    """The core's tracking numbers of a body, in its order."""
    return [TrackingNumber(t.tracking_number, t.carrier, t.tracking_url) for t in numbers]


def _fields_out(values: Sequence[StoredAttribute]) -> list[CustomFieldOut]:
    return [CustomFieldOut(name=value.name, value=value.value) for value in values]


def shipment_out(view: ShipmentView) -> ShipmentOut:
    """The wire form of a shipment."""
    return ShipmentOut(
        shipment_id=view.id,
        internal_order_id=view.order_id,
        external_order_id=view.order_number,
        location_internal_name=view.location_code,
        shipment_status=STATUS_WORDS[view.status],
        created_date_time_utc=view.created_at,
        shipped_date_time_utc=view.shipped_at,
        delivered_date_time_utc=view.delivered_at,
        shipment_details=[
            ShipmentDetailOut(
                order_detail_id=line.order_line_id,
                sku=line.sku,
                quantity=line.quantity,
                custom_fields=_fields_out(line.custom_fields),
            )
            for line in view.lines
        ],
        tracking_numbers=[
            TrackingNumberOut(carrier=t.carrier, tracking_number=t.number, tracking_url=t.url)
            for t in view.tracking
        ],
        custom_fields=_fields_out(view.custom_fields),
    )
