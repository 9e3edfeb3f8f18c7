"""Order import and shipping-address changes: OrderDynamics' bodies <-> the core's commands."""

from typing import Final

from orderyard.dialects.orderdynamics.fields import wire_field
from orderyard.dialects.orderdynamics.mappers.order import place_order
from orderyard.dialects.orderdynamics.mappers.order_reads import STATUSES
from orderyard.dialects.orderdynamics.schemas.address import AddressIn
from orderyard.dialects.orderdynamics.schemas.order_import import (
    ImportOrderIn,
    ImportResultOut,
)
from orderyard.domain.values import AddressPatch
from orderyard.services.order import ImportOrder, ImportOutcome, LineProgress

ADDRESS_FIELDS: Final[dict[str, str]] = {
    "address_line1": "line1",
    "address_line2": "line2",
    "city": "city",
    "state": "region",
    "zip_code": "postal_code",
    "country_code": "country_code",
    "address_nickname": "nickname",
    "first_name": "first_name",
    "last_name": "last_name",
    "company_name": "company",
    "phone": "phone",
    "email": "email",
    "latitude": "latitude",
    "longitude": "longitude",
}
"""Each ``AddressIn`` field and the core ``Address`` field it is."""


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


def address_patch(wire: AddressIn) -> AddressPatch:
    """The core patch of the address fields the client sent (absent ones are kept)."""
    given = {ADDRESS_FIELDS[name]: getattr(wire, name) for name in wire.model_fields_set}
    return AddressPatch(**given)
