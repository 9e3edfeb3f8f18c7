"""Replenishments between ShipEdge's wire shape and the core.

The seed shows no status words for replenishments; Orderyard uses title case, like the order
words: Pending, Partially Received, Received, Cancelled.
"""

from typing import Final

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.replenishment import (
    ReplenishmentIn,
    ReplenishmentItemOut,
    ReplenishmentOut,
    ReplenishmentPatch,
    ReplenishmentResultOut,
)
from orderyard.domain.replenishment import ReplenishmentStatus
from orderyard.services.replenishment import (
    CreateReplenishment,
    ReplenishmentItem,
    ReplenishmentResult,
    ReplenishmentView,
    UpdateReplenishment,
)

WORDS: Final[dict[ReplenishmentStatus, str]] = {
    ReplenishmentStatus.pending: "Pending",
    ReplenishmentStatus.receiving: "Partially Received",
    ReplenishmentStatus.received: "Received",
    ReplenishmentStatus.cancelled: "Cancelled",
}


def create_replenishment(wire: ReplenishmentIn) -> CreateReplenishment:
    """The core command for one replenishment of ``POST /inventory/replenishments``."""
    return CreateReplenishment(
        location=wire.distribution_center,
        items=tuple(ReplenishmentItem(i.sku, i.quantity, i.received) for i in wire.items),
        eta=wire.eta,
        reference=wire.reference,
    )


def update_replenishment(wire: ReplenishmentPatch) -> UpdateReplenishment:
    """The core command for one replenishment of ``PATCH /inventory/replenishments``."""
    return UpdateReplenishment(
        replenishment_id=wire.replenishment_id,
        items=tuple(ReplenishmentItem(i.sku, i.quantity, i.received) for i in wire.items),
        location=wire.distribution_center,
        eta=wire.eta,
        reference=wire.reference,
        cancel=wire.status == "Cancelled",
    )


def replenishment_out(view: ReplenishmentView) -> ReplenishmentOut:
    """The wire form of a replenishment."""
    return ReplenishmentOut(
        replenishment_id=view.id,
        distribution_center=view.location_code,
        status=WORDS[view.status],
        eta=view.eta,
        reference=view.reference,
        items=[
            ReplenishmentItemOut(sku=line.sku, quantity=line.quantity, received=line.received)
            for line in view.lines
        ],
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def result_out(result: ReplenishmentResult) -> ReplenishmentResultOut:
    """The wire form of one replenishment's outcome in a bulk call."""
    if result.error is not None:
        return ReplenishmentResultOut(
            success=False,
            message=wire_message(result.error.message),
            field=item_field(result.index, result.error.field),
        )
    assert result.status is not None  # noqa: S101 - a success always has a status
    return ReplenishmentResultOut(
        replenishment_id=result.replenishment_id, status=WORDS[result.status], success=True
    )
