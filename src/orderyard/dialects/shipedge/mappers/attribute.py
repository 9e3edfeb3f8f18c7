"""Attributes between ShipEdge's wire shape and the core.

ShipEdge's owner types are ``order``, ``product`` and ``serial``; the core calls a product an
item. Owner types are matched case-insensitively.
"""

from typing import Final

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.attribute import (
    AttributeIn,
    AttributeOut,
    AttributeResultOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.attribute import (
    Attribute,
    AttributeOutcome,
    OwnerRef,
    OwnerType,
    StoredAttribute,
)

OWNER_TYPES: Final[dict[str, OwnerType]] = {
    "order": OwnerType.order,
    "product": OwnerType.item,
    "serial": OwnerType.serial,
}


def owner_ref(owner_type: str, owner_id: str) -> OwnerRef:
    """The core's reference for the path's ``{owner_type}/{owner_id}``.

    Raises:
        InvalidRequestError: an owner type the dialect does not know.
    """
    kind = OWNER_TYPES.get(owner_type.lower())
    if kind is None:
        raise InvalidRequestError(
            f"owner_type {owner_type!r} is not one of {', '.join(OWNER_TYPES)}",
            field="owner_type",
        )
    return OwnerRef(kind, owner_id)


def attributes_in(wire: list[AttributeIn]) -> list[Attribute]:
    """The core attributes of a body's ``data``."""
    return [Attribute(a.attribute, a.value) for a in wire]


def attribute_out(stored: StoredAttribute) -> AttributeOut:
    """The wire form of a stored attribute."""
    return AttributeOut(
        attribute=stored.name,
        value=stored.value,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )


def outcome_out(outcome: AttributeOutcome) -> AttributeResultOut:
    """The wire form of one attribute's outcome; its field is named from ``data``."""
    if outcome.error is None:
        return AttributeResultOut(attribute=outcome.name, value=outcome.value, success=True)
    return AttributeResultOut(
        attribute=outcome.name,
        value=outcome.value,
        success=False,
        message=wire_message(outcome.error.message),
        field=item_field(outcome.index, outcome.error.field),
    )


def deleted_out(deleted: Attribute) -> AttributeResultOut:
    """The wire form of a deleted attribute (its last value)."""
    return AttributeResultOut(attribute=deleted.name, value=deleted.value, success=True)
