"""Alias (translator) wire models: the seed's create and update bodies, and the answers."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.base import WireModel
from orderyard.http.wire import IdOrZero

Sku = Annotated[str, Field(min_length=1, max_length=100)]
ChannelId = Annotated[IdOrZero, Field(description="A registered channel id; 0 means none.")]
Code = Annotated[str, Field(max_length=64, description="A registered distribution center code.")]


class AliasIn(WireModel):
    """One alias of ``POST /inventory/aliases``."""

    sku: Sku = Field(description="The internal SKU (it must exist).")
    alias: Sku = Field(description="The external SKU that stands for it.")
    channel_id: ChannelId | None = None
    distribution_center: Code | None = None


class AliasesIn(WireModel):
    """The body of ``POST /inventory/aliases``."""

    data: Annotated[list[AliasIn], Field(min_length=1, max_length=500)]


class AliasPatch(WireModel):
    """One alias of ``PATCH /inventory/aliases``, named by ``alias``; absent fields stay.

    ``channel_id`` 0 and an empty ``distribution_center`` clear them.
    """

    alias: Sku
    sku: Sku | None = None
    channel_id: ChannelId | None = None
    distribution_center: Code | None = None


class AliasesPatch(WireModel):
    """The body of ``PATCH /inventory/aliases``."""

    data: Annotated[list[AliasPatch], Field(min_length=1, max_length=500)]


class AliasOut(BaseModel):
    """An alias as Orderyard answers it."""

    alias_id: int
    alias: str
    sku: str
    product_id: int
    channel_id: int | None
    distribution_center: str | None
    created_at: datetime


class AliasResultOut(BaseModel):
    """The outcome of one alias of a bulk call."""

    alias: str
    alias_id: int | None = None
    sku: str | None = None
    success: bool
    message: str | None = None
    field: str | None = None
