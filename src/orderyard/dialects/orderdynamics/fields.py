"""The dialect's names for the core's fields, in one table.

A domain error names its field in the core's words (``location``, ``lines[2].sku``); the
dialect answers it in the client's (``LocationInternalName``, ``OrderDetails[2].Sku``). A
name the table does not list is the core name in PascalCase; a name the dialect itself gave
(a query parameter such as ``locationInternalName``) passes unchanged.
"""

import re
from typing import Final

from orderyard.dialects.orderdynamics.wire import pascal

NAMES: Final[dict[str, str]] = {
    "location": "LocationInternalName",
    "locations": "locationInternalNames",
    "skus": "skus",
    "code": "InternalName",
    "kind": "LocationType",
    "lines": "OrderDetails",
    "order_number": "ExternalOrderId",
    "line_id": "OrderDetailId",
    "external_id": "ExternalOrderDetailId",
    "sku": "Sku",
    "item": "Sku",
    "channel": "Channel",
    "on_hand": "Quantity",
    "expires_at": "ExpiryDateTimeUtc",
    "changes": "Items",
    "location_codes": "LocationInternalNames",
    "pool_names": "InventoryPoolNames",
    "pool": "inventoryPoolName",
    "group": "inventoryPoolGroupName",
    "groups": "inventoryPoolGroupNames",
    "shipment": "ShipmentId",
    "order_line_id": "OrderDetailId",
    "order_line_ids": "OrderDetailIds",
    "number": "TrackingNumber",
    "shipped": "ShippedQuantity",
    "cancelled": "CancelledQuantity",
    "payments": "Payments",
    "currency": "CurrencyCode",
    "product": "ProductBackendName",
    "retail": "RetailPrice",
    "sale_starts_at": "SaleStartDateTimeUtc",
    "sale_ends_at": "SaleEndDateTimeUtc",
    "updated_before": "LastUpdatedDateTimeUtcBefore",
    "region": "State",
    "postal_prefix": "ZipCodePrefix",
    "valid_from": "ValidFromDateTimeUtc",
    "valid_to": "ValidToDateTimeUtc",
    "tax_rate": "InternalTaxRateId",
    "shipping_rate": "BackendName",
    "customer_id": "InternalCustomerId",
    "customer_external_id": "ExternalCustomerId",
    "address_id": "InternalAddressId",
    "address_external_id": "ExternalAddressId",
    "is_default_shipping": "IsDefaultShippingAddress",
    "staff_id": "InternalStaffId",
    "assignee": "AssigneeInternalStaffId",
    "queue": "QueueName",
    "ticket_id": "TicketId",
    "keys": "keys",
    "wave": "waveId",
    "wave_ids": "WaveIds",
    "wave_item": "ItemId",
    "wave_location": "InventoryLocationId",
    "planned": "PlannedQuantity",
    "release_at": "ReleaseDateTimeUtc",
    "release_schedule": "releaseScheduleId",
    "country": "CountryId",
    "order_detail": "orderDetailId",
    "delivery_date_override": "deliveryDateOverride",
}
SEGMENT = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")


def _is_wire_name(name: str) -> bool:
    """A name already in the client's words (``pageSize``): core names are lower snake case."""
    return name != name.lower()


def wire_field(core: str | None) -> str | None:
    """The client's name for a core field path (``lines[2].sku`` -> ``OrderDetails[2].Sku``)."""
    if core is None:
        return None
    parts = []
    for segment in core.split("."):
        match = SEGMENT.fullmatch(segment)
        if match is None:
            parts.append(segment)
            continue
        name, indexes = match.groups()
        parts.append(NAMES.get(name, name if _is_wire_name(name) else pascal(name)) + indexes)
    return ".".join(parts)
