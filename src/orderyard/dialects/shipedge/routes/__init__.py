"""ShipEdge route modules, one per resource; ``ROUTERS`` lists them for the app."""

from fastapi import APIRouter

from orderyard.dialects.shipedge.routes import order, ping

ROUTERS: tuple[APIRouter, ...] = (ping.router, order.router)
