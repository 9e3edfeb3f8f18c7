"""Pure functions between ShipEdge wire models and the core's commands and views."""
