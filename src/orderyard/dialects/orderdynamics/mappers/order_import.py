"""Order import and shipping-address changes: OrderDynamics' bodies <-> the core's commands."""

from orderyard.dialects.orderdynamics.fields import wire_field
from orderyard.dialects.orderdynamics.mappers.order import place_order
from orderyard.dialects.orderdynamics.mappers.order_reads import STATUSES
from orderyard.dialects.orderdynamics.schemas.order_import import (
    ImportOrderIn,
    ImportResultOut,
)
from orderyard.services.order import ImportOrder, ImportOutcome, LineProgress


def import_order(wire: ImportOrderIn) -> ImportOrder:
    """The core command of one order of an import body."""
    return ImportOrder(
        order=place_order(wire),
        status=STATUSES[wire.order_status.lower()],
        progress=tuple(
            LineProgress(detail.shipped_quantity, detail.cancelled_quantity)
            for detail in wire.order_details
        ),
    )


def import_result(outcome: ImportOutcome) -> ImportResultOut:
    """The wire form of one order's outcome (a core status field is ``OrderStatus``)."""
    if outcome.error is not None:
        error = outcome.error
        field = "OrderStatus" if error.field == "status" else wire_field(error.field)
        return ImportResultOut(
            external_order_id=outcome.order_number,
            internal_order_id=None,
            result="Failed",
            errors={field or "body": [error.message]},
        )
    return ImportResultOut(
        external_order_id=outcome.order_number,
        internal_order_id=outcome.order_id,
        result="Imported" if outcome.imported else "AlreadyImported",
        errors={},
    )
