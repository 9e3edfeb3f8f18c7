"""The ShipEdge REST API v4 (OMS) dialect, mounted at ``/apirest/v4/oms``."""

from orderyard.dialects.shipedge.app import create_app

__all__ = ["create_app"]
