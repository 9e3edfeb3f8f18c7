"""Manufacture order wire models (the seed documents only the two reads)."""

from datetime import datetime

from pydantic import BaseModel, Field


class ManufactureItemOut(BaseModel):
    """A component of the kit being built."""

    sku: str
    quantity: int = Field(description="Units per kit.")
    total_quantity: int = Field(description="Units the whole order consumes.")


class ManufactureOut(BaseModel):
    """A manufacture order as Orderyard answers it."""

    manufacture_order_id: int
    sku: str = Field(description="The kit (synset) SKU built.")
    quantity: int = Field(description="Kits to build.")
    distribution_center: str
    status: str
    items: list[ManufactureItemOut]
    created_at: datetime
    completed_at: datetime | None
