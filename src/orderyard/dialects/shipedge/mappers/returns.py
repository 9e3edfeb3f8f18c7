"""Returns between ShipEdge's wire shape and the core.

ShipEdge shows one uppercase status word per return (DESIGN.md): PENDING, IN-TRANSIT,
PROCESSING, then AS EXPECTED, DISCREPANCY or INCOMPLETE. The core keeps a status and, once
counted, an outcome; the table below is the whole translation.
"""

from typing import Final

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.returns import (
    ReturnIn,
    ReturnItemOut,
    ReturnOut,
    ReturnResultOut,
)
from orderyard.domain.returns import ReturnOutcome, ReturnStatus
from orderyard.services.returns import CreateReturn, ReturnItem, ReturnResult, ReturnView

WORDS: Final[dict[ReturnStatus, str]] = {
    ReturnStatus.requested: "PENDING",
    ReturnStatus.received: "PROCESSING",
    ReturnStatus.cancelled: "CANCELLED",
}
OUTCOME_WORDS: Final[dict[ReturnOutcome, str]] = {
    ReturnOutcome.as_expected: "AS EXPECTED",
    ReturnOutcome.discrepancy: "DISCREPANCY",
    ReturnOutcome.incomplete: "INCOMPLETE",
}
"""A committed return shows how its count compared with what it announced."""


def status_word(status: ReturnStatus, outcome: ReturnOutcome | None) -> str:
    """ShipEdge's word for a return's state."""
    if status is ReturnStatus.committed and outcome is not None:
        return OUTCOME_WORDS[outcome]
    return WORDS[status]


def create_return(wire: ReturnIn) -> CreateReturn:
    """The core command for one return of ``POST /inventory/returns``."""
    return CreateReturn(
        wire.order_id,
        tuple(ReturnItem(item.sku, item.quantity, item.reason) for item in wire.items),
    )


def return_out(view: ReturnView) -> ReturnOut:
    """The wire form of a return."""
    return ReturnOut(
        return_id=view.id,
        order_id=view.order_id,
        order_number=view.order_number,
        status=status_word(view.status, view.outcome),
        distribution_center=view.location_code,
        items=[
            ReturnItemOut(
                sku=line.sku,
                quantity=line.quantity,
                reason=line.reason,
                good=line.good,
                hurt=line.damaged,
            )
            for line in view.lines
        ],
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def result_out(result: ReturnResult) -> ReturnResultOut:
    """The wire form of one return's outcome in a bulk call."""
    if result.error is not None:
        return ReturnResultOut(
            order_id=result.order_id,
            success=False,
            message=wire_message(result.error.message),
            field=item_field(result.index, result.error.field, "return"),
        )
    assert result.status is not None  # noqa: S101 - a success always has a status
    return ReturnResultOut(
        order_id=result.order_id,
        return_id=result.return_id,
        status=status_word(result.status, None),
        success=True,
    )
