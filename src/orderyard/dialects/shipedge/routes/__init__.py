"""ShipEdge route modules, one per resource; ``ROUTERS`` lists them for the app."""

from fastapi import APIRouter

from orderyard.dialects.shipedge.routes import (
    alias,
    attribute,
    distribution_center,
    manufacture,
    order,
    ping,
    product,
    replenishment,
    returns,
    serial,
    stock,
    synset,
    webhooks,
)

ROUTERS: tuple[APIRouter, ...] = (
    ping.router,
    order.router,
    serial.router,
    attribute.router,
    product.router,
    stock.router,
    alias.router,
    synset.router,
    distribution_center.router,
    returns.router,
    replenishment.router,
    manufacture.router,
    webhooks.router,
)
