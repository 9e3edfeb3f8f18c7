"""Custom fields of item locations (one SKU at one location): the GET's record, the PUT's body."""

from pydantic import Field

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CUSTOM_FIELDS_MAX,
    CustomFieldIn,
    CustomFieldOut,
)
from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.services.item_location import ITEMS_MAX


class ItemLocationCustomFieldsIn(WireIn):
    """The custom field values to set on one SKU at one location."""

    sku: str = Field(min_length=1, max_length=100)
    location_internal_name: str = Field(min_length=1, max_length=64)
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class ItemLocationCustomFieldsPutIn(WireIn):
    """Custom field values of item locations: all applied, or none."""

    items: list[ItemLocationCustomFieldsIn] = Field(min_length=1, max_length=ITEMS_MAX)


class ItemLocationCustomFieldsOut(WireOut):
    """One SKU's custom field values at one location, by name."""

    sku: str
    location_internal_name: str
    custom_fields: list[CustomFieldOut]


class ItemLocationCustomFieldsListOut(WireOut):
    """The item locations' custom field values after a PUT."""

    items: list[ItemLocationCustomFieldsOut]
