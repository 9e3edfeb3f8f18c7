"""Item-location custom fields: OrderDynamics bodies <-> the core's changes and values."""

from orderyard.dialects.orderdynamics.mappers.custom_field import text_of
from orderyard.dialects.orderdynamics.schemas.custom_field import CustomFieldOut
from orderyard.dialects.orderdynamics.schemas.inventory_custom_fields import (
    ItemLocationCustomFieldsOut,
    ItemLocationCustomFieldsPutIn,
)
from orderyard.domain.custom_field import FieldValue
from orderyard.services.item_location import ItemLocationFields, ItemLocationValues


def item_location_fields(body: ItemLocationCustomFieldsPutIn) -> list[ItemLocationFields]:
    """The core's changes for a PUT body."""
    return [
        ItemLocationFields(
            item.sku,
            item.location_internal_name,
            [FieldValue(field.name, text_of(field.value)) for field in item.custom_fields],
        )
        for item in body.items
    ]


def item_location_values_out(found: ItemLocationValues) -> ItemLocationCustomFieldsOut:
    """The wire form of one SKU's custom field values at one location."""
    return ItemLocationCustomFieldsOut(
        sku=found.sku,
        location_internal_name=found.location,
        custom_fields=[CustomFieldOut(name=v.name, value=v.value) for v in found.values],
    )
