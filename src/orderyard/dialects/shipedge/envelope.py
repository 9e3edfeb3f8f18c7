"""ShipEdge's envelopes: ``{"data": ...}`` on success, ``{"response": {...}}`` on failure."""

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Envelope(BaseModel, Generic[T]):
    """A successful response."""

    data: T


class Metadata(BaseModel):
    """Pagination metadata of a list (the seed's names)."""

    page: int
    per_page: int
    total_records: int
    total_pages: int
    total_current_page: int


class ListEnvelope(BaseModel, Generic[T]):
    """A page of a list."""

    data: list[T]
    metadata: Metadata


class FieldError(BaseModel):
    """One problem with the request, naming the field (a JSON path such as ``data[0].sku``)."""

    field: str | None = None
    message: str
    index: int | None = Field(default=None, description="Item of a bulk call, if any.")


class ErrorBody(BaseModel):
    """The body of an error response."""

    success: bool = False
    message: str
    errors: list[FieldError] = []


class ErrorEnvelope(BaseModel):
    """An error response, as ShipEdge documents it."""

    response: ErrorBody
