"""Bulk calls (``{"data": [...]}``): one result per item, and the status of the whole call.

Every bulk endpoint of the dialect answers the same way, whatever its result model: 200 with
the per-item results when at least one item succeeded (the failing ones say why), and 400 in
ShipEdge's error envelope when every item failed, with one entry per item.
"""

from collections.abc import Sequence
from typing import Protocol, TypeVar

from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.envelope import Envelope, FieldError
from orderyard.dialects.shipedge.errors import error_response
from orderyard.dialects.shipedge.fields import Scope, wire_field


class BulkResult(Protocol):
    """What a per-item result must tell: whether it worked, and if not, why and where."""

    @property
    def success(self) -> bool:
        """Whether the item was applied."""

    @property
    def message(self) -> str | None:
        """Why the item failed."""

    @property
    def field(self) -> str | None:
        """The field at fault, as a path such as ``data[0].sku``."""


R = TypeVar("R", bound=BulkResult)


# Quoted: evaluating ``Envelope[list[R]]`` would make pydantic build a schema for the Protocol.
def bulk_response(results: Sequence[R]) -> "Envelope[list[R]] | JSONResponse":
    """200 with per-item results when anything succeeded; 400 when every item failed."""
    if any(result.success for result in results):
        return Envelope(data=list(results))
    errors = [
        FieldError(field=r.field, message=r.message or "failed", index=i)
        for i, r in enumerate(results)
    ]
    message = errors[0].message if len(errors) == 1 else f"all {len(errors)} items failed"
    return error_response(400, message, errors)


def item_field(index: int, field: str | None, scope: Scope | None = None) -> str | None:
    """The path of an item's field in a bulk body, in ShipEdge's words (``fields.wire_field``).

    The core's ``lines[0].sku`` of item 2 is ``data[2].items[0].sku``.
    """
    return None if field is None else f"data[{index}].{wire_field(field, scope)}"
