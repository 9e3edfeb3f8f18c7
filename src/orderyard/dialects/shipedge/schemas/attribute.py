"""Attribute wire models: the seed's ``{"attribute": ..., "value": ...}`` and the answers."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from orderyard.dialects.shipedge.schemas.base import WireModel


class AttributeIn(WireModel):
    """One attribute to set. Length limits are checked per item (see docs)."""

    attribute: str = Field(description="The name: 1 to 100 characters, case-sensitive.")
    value: str = Field(description="Text of at most 4000 characters; may be empty.")


class AttributesIn(WireModel):
    """The body of ``POST`` and ``PATCH /attributes/{owner_type}/{owner_id}``."""

    data: Annotated[list[AttributeIn], Field(min_length=1, max_length=100)]


class AttributeOut(BaseModel):
    """One attribute of an owner."""

    attribute: str
    value: str
    created_at: datetime
    updated_at: datetime


class AttributeResultOut(BaseModel):
    """The outcome of one attribute of a create, update or delete."""

    attribute: str
    value: str
    success: bool
    message: str | None = None
    field: str | None = None
