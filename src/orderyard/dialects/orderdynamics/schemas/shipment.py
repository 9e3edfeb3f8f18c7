"""Order fulfillment bodies: shipments as answered, and what each shipment operation takes."""

from datetime import datetime
from typing import Annotated, Literal, get_args

from pydantic import Field, StrictBool

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
    CustomFieldOut,
    any_case,
)
from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.http.wire import Id
from orderyard.services.shipment.details import TRACKING_MAX

ShipmentStatusWord = Literal[
    "Created", "Released", "Picked", "Packed", "Shipped", "Delivered", "Cancelled", "Rejected"
]
STATUS_WORD_LIST: tuple[str, ...] = get_args(ShipmentStatusWord)
LINES_MAX = 1000
"""Most lines or SKUs one split or one line custom-field update may name."""


class OrderNameIn(WireIn):
    """The order whose allocated units get shipments: by either id (both: the same order)."""

    internal_order_id: Id | None = None
    external_order_id: str | None = Field(None, max_length=100)


class ShipmentNameIn(WireIn):
    """A body naming one shipment."""

    shipment_id: Id


class RejectIn(ShipmentNameIn):
    """The location cannot fulfil the shipment."""

    reason: str = Field("", max_length=200, description="Why; kept in the event log.")


class RerouteIn(ShipmentNameIn):
    """Move the whole shipment to another location."""

    location_internal_name: str = Field(min_length=1, max_length=64)


class SplitByLineIn(ShipmentNameIn):
    """The order lines (``OrderDetailId``) to move into a new shipment."""

    order_detail_ids: list[Id] = Field(max_length=LINES_MAX)


class SplitBySkuIn(ShipmentNameIn):
    """The SKUs whose lines move into a new shipment."""

    skus: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(max_length=LINES_MAX)


class ShipmentCustomFieldsIn(ShipmentNameIn):
    """Custom field values to set on a shipment; null clears one."""

    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class LineItemCustomFieldsIn(WireIn):
    """Custom field values to set on one line of the shipment, named by its order line."""

    order_detail_id: Id
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class ShipmentLineCustomFieldsIn(ShipmentNameIn):
    """Custom field values of lines of one shipment: all applied, or none."""

    line_items: list[LineItemCustomFieldsIn] = Field(max_length=LINES_MAX)


class StatusIn(WireIn):
    """The status to move the shipment to (``ShipmentId`` here or in the query)."""

    shipment_id: Id | None = None
    shipment_status: Annotated[ShipmentStatusWord, any_case(STATUS_WORD_LIST)]
    reason: str = Field("", max_length=200, description="Kept when rejecting.")


class TrackingNumberIn(WireIn):
    """One parcel as the carrier knows it."""

    carrier: str = Field("", max_length=100)
    tracking_number: str = Field(min_length=1, max_length=100)
    tracking_url: str = Field("", max_length=500)


class TrackingNumbersIn(WireIn):
    """The shipment's tracking numbers, replacing those it had (an empty list clears them)."""

    tracking_numbers: list[TrackingNumberIn] = Field(max_length=TRACKING_MAX)


class SettingsIn(WireIn):
    """The account's order fulfillment settings (Orderyard's addition)."""

    create_shipments_on_allocation: StrictBool


class SettingsOut(WireOut):
    """The account's order fulfillment settings (Orderyard's addition)."""

    create_shipments_on_allocation: bool


class ShipmentDetailOut(WireOut):
    """One order line's units in the shipment."""

    order_detail_id: int
    sku: str
    quantity: int
    custom_fields: list[CustomFieldOut]


class TrackingNumberOut(WireOut):
    """One parcel of the shipment."""

    carrier: str
    tracking_number: str
    tracking_url: str


class ShipmentOut(WireOut):
    """A shipment: the part of an order one location fulfils."""

    shipment_id: int
    internal_order_id: int
    external_order_id: str
    location_internal_name: str
    shipment_status: ShipmentStatusWord
    created_date_time_utc: datetime
    shipped_date_time_utc: datetime | None
    delivered_date_time_utc: datetime | None
    shipment_details: list[ShipmentDetailOut]
    tracking_numbers: list[TrackingNumberOut]
    custom_fields: list[CustomFieldOut]


class ShipmentsOut(WireOut):
    """Shipments a change made or touched, oldest first."""

    shipments: list[ShipmentOut]
