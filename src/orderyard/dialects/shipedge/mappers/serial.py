"""Serials between ShipEdge's wire shape and the core."""

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.serial import (
    SerialAttributesResultOut,
    SerialRangeIn,
    SerialsItemIn,
    SerialsResultOut,
)
from orderyard.domain.attribute import Attribute
from orderyard.services.serial import (
    CreateSerials,
    SerialAttributesOutcome,
    SerialsOutcome,
    SetSerialAttributes,
)


def create_serials(wire: SerialsItemIn) -> CreateSerials:
    """The core command for one SKU of ``POST /serials/bulk``."""
    return CreateSerials(sku=wire.sku, serials=tuple(wire.serials))


def serials_out(outcome: SerialsOutcome) -> SerialsResultOut:
    """The wire form of one SKU's outcome."""
    if outcome.error is not None:
        return SerialsResultOut(
            sku=outcome.sku,
            created=0,
            serials=[],
            serial_ids=[],
            success=False,
            message=wire_message(outcome.error.message),
            field=item_field(outcome.index, outcome.error.field),
        )
    return SerialsResultOut(
        sku=outcome.sku,
        created=len(outcome.ids),
        serials=list(outcome.serials),
        serial_ids=list(outcome.ids),
        success=True,
    )


def set_attributes(wire: SerialRangeIn) -> SetSerialAttributes:
    """The core command for one range of ``POST /serials/batch/attributes``."""
    return SetSerialAttributes(
        sku=wire.sku,
        serial_start=wire.serial_start,
        serial_end=wire.serial_end,
        attributes=tuple(Attribute(a.attribute, a.value) for a in wire.attributes),
    )


def attributes_out(outcome: SerialAttributesOutcome) -> SerialAttributesResultOut:
    """The wire form of one range's outcome."""
    if outcome.error is not None:
        return SerialAttributesResultOut(
            sku=outcome.sku,
            serials_updated=0,
            success=False,
            message=wire_message(outcome.error.message),
            field=item_field(outcome.index, outcome.error.field),
        )
    return SerialAttributesResultOut(
        sku=outcome.sku, serials_updated=outcome.serials_updated, success=True
    )
