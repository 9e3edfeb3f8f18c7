"""Attributes: named text values that clients attach to the account's records.

Orders and their lines, items, serials, locations and item locations (one SKU at one
location), shipments, payments, and returns and their lines carry them.

ShipEdge calls them attributes (on orders, products and serials); OrderDynamics calls them
custom fields, and checks them against their metadata (``domain/custom_field.py``).

An owner has at most one attribute of a name. Names are case-sensitive, non-blank and at
most ``NAME_MAX`` characters; values are text of at most ``VALUE_MAX`` characters and may be
empty.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.values import parse_id

NAME_MAX = 100
"""Longest attribute name (the ``attributes.name`` column)."""
VALUE_MAX = 4000
"""Longest attribute value: enough for a note, small enough to keep rows cheap."""


class OwnerType(StrEnum):
    """The kinds of record that carry attributes (the core's names, stored as is)."""

    order = "order"
    order_line = "order_line"
    """One line of an order (``order_lines``); a kit's components are lines of their own."""
    item = "item"
    serial = "serial"
    location = "location"
    item_location = "item_location"
    """One SKU at one location (``store/tables.py`` ``item_locations`` gives the pair an id)."""
    shipment = "shipment"
    shipment_line = "shipment_line"
    """One order line's units in a shipment (``shipment_lines``): it keeps its values when split."""
    payment = "payment"
    """One payment of an order (``payments``)."""
    return_ = "return"
    """A return (RMA) of an order (``returns``); ``return`` is a keyword, hence the underscore."""
    return_line = "return_line"
    """One returned order line of a return (``return_lines``)."""
    invoice = "invoice"
    """A sales invoice or a credit memo (``invoices``)."""
    invoice_line = "invoice_line"
    """One line of an invoice or memo (``invoice_lines``)."""


ORDER_OWNER_TYPES = (OwnerType.order, OwnerType.order_line, OwnerType.payment)
"""The owner types a new order may carry values for: itself, its lines, its payments."""


@dataclass(frozen=True, slots=True)
class OwnerKey:
    """How a client named an owner: by id, and for items also by SKU.

    ``id`` is set when the key is a number that can be an id; ``sku`` when the key may be a
    SKU. An item is looked up by SKU first, then by id (as ``GET /inventory/products/{id}``
    does), so a numeric SKU is never shadowed by another item's id.
    """

    id: int | None
    sku: str | None


def owner_key(owner_type: OwnerType, key: str) -> OwnerKey:
    """Read a client's owner key; a key that cannot name any owner has neither id nor SKU."""
    number = parse_id(key)
    sku = key if owner_type is OwnerType.item and key else None
    return OwnerKey(number, sku)


@dataclass(frozen=True, slots=True)
class Attribute:
    """One named value."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class StoredAttribute:
    """An attribute as stored on its owner, with when it was set."""

    name: str
    value: str
    created_at: datetime
    updated_at: datetime


def check_name(name: str, *, field: str = "attribute") -> None:
    """Refuse a name that is blank or longer than ``NAME_MAX``.

    Raises:
        InvalidRequestError: naming ``field``.
    """
    if not name.strip():
        raise InvalidRequestError(f"{field} must not be empty", field=field)
    if len(name) > NAME_MAX:
        raise InvalidRequestError(
            f"{field} must be at most {NAME_MAX} characters (got {len(name)})", field=field
        )


def check_value(value: str, *, field: str = "value") -> None:
    """Refuse a value longer than ``VALUE_MAX``.

    Raises:
        InvalidRequestError: naming ``field``.
    """
    if len(value) > VALUE_MAX:
        raise InvalidRequestError(
            f"{field} must be at most {VALUE_MAX} characters (got {len(value)})", field=field
        )


def check_attribute_list(attributes: Sequence[Attribute], *, field: str = "attributes") -> None:
    """Refuse a list of attributes to set together that is empty, invalid or names one twice.

    Raises:
        InvalidRequestError: naming the first offending entry (``attributes[2].attribute``).
    """
    if not attributes:
        raise InvalidRequestError(f"{field} must not be empty", field=field)
    seen: set[str] = set()
    for index, attribute in enumerate(attributes):
        check_name(attribute.name, field=f"{field}[{index}].attribute")
        check_value(attribute.value, field=f"{field}[{index}].value")
        if attribute.name in seen:
            raise InvalidRequestError(
                f"{field}[{index}].attribute {attribute.name!r} is given twice",
                field=f"{field}[{index}].attribute",
            )
        seen.add(attribute.name)
