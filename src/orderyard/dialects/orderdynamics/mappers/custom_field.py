"""Custom fields: OrderDynamics' words and bodies <-> the core's definitions and values."""

from decimal import Decimal
from typing import Final

from orderyard.dialects.orderdynamics.schemas.custom_field import (
    CustomFieldIn,
    CustomFieldMetadataIn,
    CustomFieldMetadataOut,
    CustomFieldOut,
    DataTypeWord,
    LocationCustomFieldsOut,
    LocationCustomFieldsPutIn,
    OwnerTypeWord,
    Value,
)
from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import CustomField, DataType, FieldValue, NewCustomField
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.custom_field import LocationFields, LocationValues

OWNER_TYPES: Final[dict[OwnerTypeWord, OwnerType]] = {
    "InventoryLocation": OwnerType.location,
    "Item": OwnerType.item,
    "Order": OwnerType.order,
    "OrderLineItem": OwnerType.order_line,
    "Serial": OwnerType.serial,
    "ItemLocationInventory": OwnerType.item_location,
    "Shipment": OwnerType.shipment,
    "ShipmentLineItem": OwnerType.shipment_line,
    "OrderPayment": OwnerType.payment,
    "Return": OwnerType.return_,
    "ReturnLineItem": OwnerType.return_line,
    "Invoice": OwnerType.invoice,
    "InvoiceLineItem": OwnerType.invoice_line,
}
OWNER_WORDS: Final[dict[OwnerType, OwnerTypeWord]] = {v: k for k, v in OWNER_TYPES.items()}
DATA_TYPES: Final[dict[DataTypeWord, DataType]] = {
    "Text": DataType.text,
    "Integer": DataType.integer,
    "Decimal": DataType.decimal,
    "Boolean": DataType.boolean,
    "Date": DataType.date,
    "List": DataType.list,
}
DATA_WORDS: Final[dict[DataType, DataTypeWord]] = {v: k for k, v in DATA_TYPES.items()}
_FOLDED: Final = {word.lower(): kind for word, kind in OWNER_TYPES.items()}


def owner_type(word: str, *, field: str) -> OwnerType:
    """The owner type a client names (any case); an unknown word is a 400 naming ``field``."""
    found = _FOLDED.get(word.strip().lower())
    if found is None:
        raise InvalidRequestError(
            f"{field} must be one of {', '.join(OWNER_TYPES)} (got {word[:64]!r})", field=field
        )
    return found


def new_custom_field(body: CustomFieldMetadataIn) -> NewCustomField:
    """The core command for a definition body."""
    return NewCustomField(
        owner_type=OWNER_TYPES[body.owner_type],
        system_name=body.system_name,
        display_name=body.display_name,
        data_type=DATA_TYPES[body.data_type],
        required=body.is_required,
        allowed_values=tuple(body.allowed_values),
    )


def metadata_out(field: CustomField) -> CustomFieldMetadataOut:
    """The wire form of a definition."""
    return CustomFieldMetadataOut(
        owner_type=OWNER_WORDS[field.owner_type],
        system_name=field.system_name,
        display_name=field.display_name,
        data_type=DATA_WORDS[field.data_type],
        is_required=field.required,
        allowed_values=list(field.allowed_values),
        created_date_time_utc=field.created_at,
    )


def comma_separated(text: str) -> list[str]:
    """The names of a comma-separated parameter, trimmed, empty ones dropped."""
    return [name.strip() for name in text.split(",") if name.strip()]


def text_of(value: Value) -> str | None:
    """A JSON value as the text a custom field keeps (``true``, ``12``, ``1.5``); null: None."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(repr(value)):f}"


def location_fields(body: LocationCustomFieldsPutIn) -> list[LocationFields]:
    """The core's changes for a PUT body."""
    return [
        LocationFields(item.location_internal_name, [_value(f) for f in item.custom_fields])
        for item in body.items
    ]


def _value(field: CustomFieldIn) -> FieldValue:
    return FieldValue(field.name, text_of(field.value))


def location_values_out(found: LocationValues) -> LocationCustomFieldsOut:
    """The wire form of a location's custom field values."""
    return LocationCustomFieldsOut(
        location_internal_name=found.location,
        custom_fields=[CustomFieldOut(name=v.name, value=v.value) for v in found.values],
    )
