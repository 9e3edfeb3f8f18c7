"""Every router of the OrderDynamics dialect."""

from orderyard.dialects.orderdynamics.routes import locations

ROUTERS = (*locations.ROUTERS,)
