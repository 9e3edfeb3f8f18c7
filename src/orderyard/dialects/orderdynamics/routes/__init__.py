"""Every router of the OrderDynamics dialect."""

from orderyard.dialects.orderdynamics.routes import (
    addresses,
    allocation_strategies,
    bulk,
    custom_fields,
    customers,
    inventory,
    inventory_custom_fields,
    inventory_pools,
    locations,
    order_custom_fields,
    order_import,
    order_reads,
    orders,
    shipment_details,
    shipments,
    virtual_inventory,
)

ROUTERS = (
    *locations.ROUTERS,
    *custom_fields.ROUTERS,
    *bulk.ROUTERS,
    *inventory.ROUTERS,
    *inventory_custom_fields.ROUTERS,
    *inventory_pools.ROUTERS,
    *virtual_inventory.ROUTERS,
    *order_import.ROUTERS,
    *orders.ROUTERS,
    *order_reads.ROUTERS,
    *order_custom_fields.ROUTERS,
    *shipments.ROUTERS,
    *shipment_details.ROUTERS,
    *allocation_strategies.ROUTERS,
    *customers.ROUTERS,
    *addresses.ROUTERS,
)
