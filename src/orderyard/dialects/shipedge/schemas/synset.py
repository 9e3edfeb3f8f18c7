"""Synset (kit) wire models: the seed's create and update bodies, and the answers."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.http.wire import Integer

Sku = Annotated[str, Field(min_length=1, max_length=100)]


class SynsetItemIn(WireModel):
    """A component: an existing product that is not a synset, and units per synset."""

    sku: Sku
    quantity: Annotated[Integer, Field(gt=0, le=1_000_000)]


class SynsetIn(WireModel):
    """One synset of ``POST``/``PATCH /inventory/synsets``; PATCH replaces the items."""

    synset: Sku = Field(description="The synset's SKU; orders name it like any SKU.")
    items: Annotated[list[SynsetItemIn], Field(min_length=1, max_length=100)]


class SynsetsIn(WireModel):
    """The body of ``POST`` and ``PATCH /inventory/synsets``."""

    data: Annotated[list[SynsetIn], Field(min_length=1, max_length=100)]


class SynsetItemOut(BaseModel):
    """A component of a synset."""

    sku: str
    product_id: int
    quantity: int


class SynsetOut(BaseModel):
    """A synset as Orderyard answers it."""

    synset: str
    product_id: int
    description: str
    items: list[SynsetItemOut]
    created_at: datetime
    updated_at: datetime


class SynsetResultOut(BaseModel):
    """The outcome of one synset of a bulk call."""

    synset: str
    product_id: int | None = None
    success: bool
    message: str | None = None
    field: str | None = None
