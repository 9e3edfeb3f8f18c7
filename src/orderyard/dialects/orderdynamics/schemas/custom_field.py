"""Custom field metadata and inventory locations' custom fields."""

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut
from orderyard.domain.attribute import NAME_MAX, VALUE_MAX
from orderyard.domain.custom_field import (
    ALLOWED_VALUE_MAX,
    ALLOWED_VALUES_MAX,
    DISPLAY_NAME_MAX,
)
from orderyard.services.custom_field import LOCATIONS_MAX

OwnerTypeWord = Literal[
    "InventoryLocation",
    "Item",
    "Order",
    "OrderLineItem",
    "Serial",
    "ItemLocationInventory",
    "Shipment",
    "ShipmentLineItem",
    "OrderPayment",
    "Return",
    "ReturnLineItem",
    "Invoice",
    "InvoiceLineItem",
]
DataTypeWord = Literal["Text", "Integer", "Decimal", "Boolean", "Date", "List"]
OWNER_TYPE_WORDS: tuple[str, ...] = get_args(OwnerTypeWord)
DATA_TYPE_WORDS: tuple[str, ...] = get_args(DataTypeWord)
CUSTOM_FIELDS_MAX = 100
"""Most custom fields one location's entry may set."""


def any_case(words: tuple[str, ...]) -> BeforeValidator:
    """Match a word of ``words`` in any case, as .NET reads an enum name."""
    folded = {word.lower(): word for word in words}

    def match(value: Any) -> Any:
        return folded.get(value.lower(), value) if isinstance(value, str) else value

    return BeforeValidator(match)


SystemName = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
Value = StrictStr | StrictBool | StrictInt | StrictFloat | None


class CustomFieldMetadataIn(WireIn):
    """A custom field to define (Orderyard's addition to the API)."""

    owner_type: Annotated[OwnerTypeWord, any_case(OWNER_TYPE_WORDS)]
    system_name: SystemName = Field(description="Unique within the owner type; never changes.")
    display_name: str = Field(
        default="", max_length=DISPLAY_NAME_MAX, description="Defaults to the SystemName."
    )
    data_type: Annotated[DataTypeWord, any_case(DATA_TYPE_WORDS)]
    is_required: bool = Field(default=False, description="A value cannot be cleared.")
    allowed_values: list[Annotated[str, Field(max_length=ALLOWED_VALUE_MAX)]] = Field(
        default_factory=list,
        max_length=ALLOWED_VALUES_MAX,
        description="The values a List field takes (required for a List, refused otherwise).",
    )


class CustomFieldMetadataOut(WireOut):
    """A custom field's metadata."""

    owner_type: OwnerTypeWord
    system_name: str
    display_name: str
    data_type: DataTypeWord
    is_required: bool
    allowed_values: list[str]
    created_date_time_utc: datetime


class CustomFieldIn(WireIn):
    """One custom field's value: text, a number or a boolean; null clears it."""

    name: SystemName
    value: Value = Field(description=f"At most {VALUE_MAX} characters as text.")


class LocationCustomFieldsIn(WireIn):
    """The custom field values to set on one inventory location."""

    location_internal_name: Annotated[str, Field(min_length=1, max_length=64)]
    custom_fields: list[CustomFieldIn] = Field(max_length=CUSTOM_FIELDS_MAX)


class LocationCustomFieldsPutIn(WireIn):
    """Custom field values of inventory locations: all applied, or none."""

    items: list[LocationCustomFieldsIn] = Field(min_length=1, max_length=LOCATIONS_MAX)


class CustomFieldOut(WireOut):
    """One custom field's value, as text."""

    name: str
    value: str


class LocationCustomFieldsOut(WireOut):
    """An inventory location's custom field values, by name."""

    location_internal_name: str
    custom_fields: list[CustomFieldOut]


class LocationCustomFieldsListOut(WireOut):
    """The locations' custom field values after a PUT."""

    items: list[LocationCustomFieldsOut]
