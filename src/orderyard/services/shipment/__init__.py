"""Shipment use cases: plan, advance, ship, cancel, reject, reroute, split, track.

``flow`` plans shipments and moves them through the warehouse to shipped and delivered;
``sourcing`` moves a shipment's units to another location (reject, reroute); ``change``
splits, sets statuses, keeps tracking numbers and the account's ship-on-allocation setting.
"""

from orderyard.services.shipment.change import (
    add_tracking,
    remove_tracking,
    set_shipment_status,
    set_ships_on_allocation,
    ships_on_allocation,
    split_shipment,
    tracking_numbers,
)
from orderyard.services.shipment.flow import (
    advance_shipment,
    cancel_shipment,
    create_all_shipments,
    create_shipment,
    ship_order,
    ship_shipment,
)
from orderyard.services.shipment.sourcing import reject_shipment, reroute_shipment

__all__ = [
    "add_tracking",
    "advance_shipment",
    "cancel_shipment",
    "create_all_shipments",
    "create_shipment",
    "reject_shipment",
    "remove_tracking",
    "reroute_shipment",
    "set_shipment_status",
    "set_ships_on_allocation",
    "ship_order",
    "ship_shipment",
    "ships_on_allocation",
    "split_shipment",
    "tracking_numbers",
]
