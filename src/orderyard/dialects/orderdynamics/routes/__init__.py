"""Every router of the OrderDynamics dialect."""

from orderyard.dialects.orderdynamics.routes import (
    allocation_strategies,
    bulk,
    custom_fields,
    inventory,
    inventory_custom_fields,
    inventory_pools,
    locations,
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
    *allocation_strategies.ROUTERS,
)
