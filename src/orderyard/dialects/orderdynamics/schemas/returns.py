"""Return (RMA) bodies, Orderyard's: the seed gives paths only.

They follow the dialect's conventions (PascalCase, read in any case);
docs/dialects/orderdynamics.md "Returns" documents each.
"""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
    CustomFieldOut,
)
from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.http.wire import Id, Integer
from orderyard.services.return_fields import LINES_MAX

Sku = Annotated[str, Field(min_length=1, max_length=100)]
ExternalId = Annotated[str, Field(min_length=1, max_length=100)]
Units = Annotated[Integer, Field(ge=0, le=1_000_000)]
ITEMS_MAX = 1000
"""Most items one return may announce (as ShipEdge's create allows)."""


class ReturnItemIn(WireIn):
    """A SKU of the order coming back, how many units, and why."""

    sku: Sku
    quantity: Annotated[Integer, Field(gt=0, le=1_000_000)]
    return_reason: Annotated[str, Field(max_length=200)] = ""


class ReturnIn(WireIn):
    """A return to create (``POST``) or an open return's new items (``PUT``).

    The order by ``InternalOrderId`` or ``ExternalOrderId`` (both: the same order).
    """

    internal_order_id: Id | None = None
    external_order_id: ExternalId | None = None
    return_items: Annotated[list[ReturnItemIn], Field(min_length=1, max_length=ITEMS_MAX)]


class CommitItemIn(WireIn):
    """What arrived of one SKU: resellable units go back on hand, damaged ones do not."""

    sku: Sku
    resellable_quantity: Units = 0
    damaged_quantity: Units = 0


class CommitIn(WireIn):
    """Where the returned units go back on hand, and what arrived.

    No ``ReturnItems``: every announced unit arrived resellable (or, for a return already
    counted, the count stands).
    """

    location_internal_name: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    return_items: Annotated[list[CommitItemIn], Field(max_length=ITEMS_MAX)] | None = None


class ReturnCustomFieldsIn(WireIn):
    """Custom field values to set on a return; null clears one."""

    internal_return_id: Id
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class ReturnItemFieldsIn(WireIn):
    """Custom field values of one item of the return, by its ``ReturnItemId``."""

    return_item_id: Id
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class ReturnItemsCustomFieldsIn(WireIn):
    """Custom field values of items of one return: all applied, or none."""

    internal_return_id: Id
    return_items: list[ReturnItemFieldsIn] = Field(min_length=1, max_length=LINES_MAX)


class ReturnItemOut(WireOut):
    """One returned order line: announced units, reason, and once counted what arrived."""

    return_item_id: int
    order_detail_id: int
    sku: str
    quantity: int
    return_reason: str
    resellable_quantity: int = Field(description="Units counted resellable; restocked at commit.")
    damaged_quantity: int = Field(description="Units counted damaged; never restocked.")
    custom_fields: list[CustomFieldOut]


class ReturnOut(WireOut):
    """A return as Orderyard answers it."""

    internal_return_id: int
    internal_order_id: int
    external_order_id: str
    external_customer_id: str
    return_status: str
    return_outcome: str | None = Field(description="Once counted: how the count compared.")
    location_internal_name: str | None = Field(description="Where it was (or goes) restocked.")
    create_date_time_utc: datetime
    last_updated_date_time_utc: datetime
    return_items: list[ReturnItemOut]
    custom_fields: list[CustomFieldOut]
