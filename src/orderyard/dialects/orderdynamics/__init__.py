"""The OrderDynamics OMS APIs dialect (served at the server's root)."""

from orderyard.dialects.orderdynamics.app import create_app

__all__ = ["create_app"]
