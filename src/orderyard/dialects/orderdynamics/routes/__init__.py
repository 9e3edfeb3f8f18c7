"""Every router of the OrderDynamics dialect."""

from orderyard.dialects.orderdynamics.routes import (
    bulk,
    custom_fields,
    inventory,
    inventory_custom_fields,
    locations,
)

ROUTERS = (
    *locations.ROUTERS,
    *custom_fields.ROUTERS,
    *bulk.ROUTERS,
    *inventory.ROUTERS,
    *inventory_custom_fields.ROUTERS,
)
