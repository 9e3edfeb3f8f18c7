"""Distribution center wire models (the seed shows none; these are Orderyard's locations)."""

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class DistributionCenterAddressOut(BaseModel):
    """Where the distribution center is."""

    address1: str
    city: str
    state: str
    zip: str
    country: str


class DistributionCenterOut(BaseModel):
    """A distribution center (any Orderyard location: warehouse, store, shipping center)."""

    distribution_center_id: int
    code: str = Field(description="The code other endpoints name it by (`distribution_center`).")
    name: str
    type: str = Field(description="warehouse, store or shipping_center.")
    priority: int = Field(description="Allocation tries lower numbers first.")
    ships_orders: bool
    active: bool
    address: DistributionCenterAddressOut
    latitude: Decimal | None
    longitude: Decimal | None
    created_at: datetime
