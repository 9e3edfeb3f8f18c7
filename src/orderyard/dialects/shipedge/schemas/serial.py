"""Serial wire models: the seed's bulk-create and batch-attributes bodies, and the results."""

from typing import Annotated

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.attribute import AttributeIn
from orderyard.dialects.shipedge.schemas.base import WireModel

Sku = Annotated[str, Field(min_length=1, max_length=100)]


class SerialsItemIn(WireModel):
    """One SKU of ``POST /serials/bulk`` and its new serials (checked one by one per item)."""

    sku: Sku
    serials: Annotated[list[str], Field(min_length=1, max_length=10_000)]


class SerialsIn(WireModel):
    """The body of ``POST /serials/bulk``."""

    data: Annotated[list[SerialsItemIn], Field(min_length=1, max_length=100)]


class SerialsResultOut(BaseModel):
    """The outcome of one SKU of ``POST /serials/bulk``."""

    sku: str
    created: int = Field(description="Serials stored: all of the item's, or 0 when it failed.")
    serials: list[str] = Field(description="The serials stored, in the order sent.")
    serial_ids: list[int] = Field(
        description="Their ids, aligned with `serials` (the owner_id of `/attributes/serial`)."
    )
    success: bool
    message: str | None = None
    field: str | None = None


class SerialRangeIn(WireModel):
    """One range of ``POST /serials/batch/attributes``."""

    sku: Sku
    serial_start: str
    serial_end: str
    attributes: Annotated[list[AttributeIn], Field(min_length=1, max_length=100)]


class SerialRangesIn(WireModel):
    """The body of ``POST /serials/batch/attributes``."""

    data: Annotated[list[SerialRangeIn], Field(min_length=1, max_length=100)]


class SerialAttributesResultOut(BaseModel):
    """The outcome of one range of ``POST /serials/batch/attributes``."""

    sku: str
    serials_updated: int = Field(description="Serials of the range that now carry the values.")
    success: bool
    message: str | None = None
    field: str | None = None
