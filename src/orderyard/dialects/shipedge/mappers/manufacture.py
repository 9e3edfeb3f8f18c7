"""Manufacture orders between the core and ShipEdge's wire shape.

The seed shows no status words; Orderyard uses title case: Pending, Completed, Cancelled.
"""

from typing import Final

from orderyard.dialects.shipedge.schemas.manufacture import ManufactureItemOut, ManufactureOut
from orderyard.domain.manufacture import ManufactureStatus
from orderyard.services.manufacture import ManufactureView

WORDS: Final[dict[ManufactureStatus, str]] = {
    ManufactureStatus.pending: "Pending",
    ManufactureStatus.completed: "Completed",
    ManufactureStatus.cancelled: "Cancelled",
}


def manufacture_out(view: ManufactureView) -> ManufactureOut:
    """The wire form of a manufacture order."""
    return ManufactureOut(
        manufacture_order_id=view.id,
        sku=view.sku,
        quantity=view.quantity,
        distribution_center=view.location_code,
        status=WORDS[view.status],
        items=[
            ManufactureItemOut(sku=c.sku, quantity=c.quantity, total_quantity=c.total_quantity)
            for c in view.components
        ],
        created_at=view.created_at,
        completed_at=view.completed_at,
    )
