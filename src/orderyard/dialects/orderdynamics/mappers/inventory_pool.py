"""Inventory pools and virtual inventory: OrderDynamics bodies <-> the core's definitions."""

from orderyard.dialects.orderdynamics.schemas.inventory_pool import (
    InventoryPoolGroupIn,
    InventoryPoolGroupOut,
    InventoryPoolGroupPatchIn,
    InventoryPoolIn,
    InventoryPoolOut,
    InventoryPoolPatchIn,
    VirtualInventoryOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.virtual_inventory import (
    Calculation,
    GroupPatch,
    InventoryPool,
    NewPool,
    NewPoolGroup,
    PoolGroup,
    PoolPatch,
)
from orderyard.services.virtual_inventory import PoolFigure


def required(name: str | None, parameter: str) -> str:
    """The internal name an update or a delete must carry in ``parameter``."""
    if not name:
        raise InvalidRequestError(f"{parameter} is required", field=parameter)
    return name


def new_pool(body: InventoryPoolIn) -> NewPool:
    """The core command for a pool body."""
    return NewPool(
        internal_name=body.internal_name,
        location_codes=body.location_internal_names,
        calculation=Calculation(body.percentage, body.buffer),
        display_name=body.display_name,
    )


def pool_patch(body: InventoryPoolPatchIn) -> PoolPatch:
    """The core's changes for a pool's PUT body."""
    return PoolPatch(
        display_name=body.display_name,
        location_codes=body.location_internal_names,
        percentage=body.percentage,
        buffer=body.buffer,
    )


def pool_out(pool: InventoryPool) -> InventoryPoolOut:
    """The wire form of a pool."""
    return InventoryPoolOut(
        internal_name=pool.internal_name,
        display_name=pool.display_name,
        location_internal_names=list(pool.location_codes),
        percentage=pool.calculation.percentage,
        buffer=pool.calculation.buffer,
        created_date_time_utc=pool.created_at,
    )


def new_group(body: InventoryPoolGroupIn) -> NewPoolGroup:
    """The core command for a group body."""
    return NewPoolGroup(
        internal_name=body.internal_name,
        pool_names=body.inventory_pool_names,
        display_name=body.display_name,
    )


def group_patch(body: InventoryPoolGroupPatchIn) -> GroupPatch:
    """The core's changes for a group's PUT body."""
    return GroupPatch(display_name=body.display_name, pool_names=body.inventory_pool_names)


def group_out(group: PoolGroup) -> InventoryPoolGroupOut:
    """The wire form of a group."""
    return InventoryPoolGroupOut(
        internal_name=group.internal_name,
        display_name=group.display_name,
        inventory_pool_names=list(group.pool_names),
        created_date_time_utc=group.created_at,
    )


def figure_out(row: PoolFigure) -> VirtualInventoryOut:
    """One row of virtual inventory."""
    return VirtualInventoryOut(
        inventory_pool_group_name=row.group,
        inventory_pool_name=row.pool,
        sku=row.sku,
        quantity=row.available,
    )
