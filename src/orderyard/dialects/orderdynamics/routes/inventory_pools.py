"""Inventory pools and pool groups: Orderyard's additions, to define what virtual inventory reads.

The seed reads virtual inventory by pool group but documents no way to define pools or
groups; these routes do, in the shape of the location APIs: create, get one by internal
name or a page, update the given fields, delete.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import inventory_pool as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.inventory_pool import (
    InventoryPoolGroupIn,
    InventoryPoolGroupOut,
    InventoryPoolGroupPatchIn,
    InventoryPoolIn,
    InventoryPoolOut,
    InventoryPoolPatchIn,
)
from orderyard.services import inventory_pools as service

POOLS = "/v1/inventorypools"
GROUPS = "/v1/inventorypoolgroups"
POOL_PARAM = "inventoryPoolName"
GROUP_PARAM = "inventoryPoolGroupName"

pools_router = APIRouter(tags=["inventory pools"])
groups_router = APIRouter(tags=["inventory pool groups"])
PoolName = Annotated[
    str | None, Query(alias=POOL_PARAM, max_length=64, description="The pool's InternalName.")
]
GroupName = Annotated[
    str | None, Query(alias=GROUP_PARAM, max_length=64, description="The group's InternalName.")
]


@pools_router.post(
    POOLS, status_code=201, responses=documented(409), name="Create an inventory pool"
)
async def create_pool(body: InventoryPoolIn, uow: UowDep) -> InventoryPoolOut:
    """Define an inventory pool over locations (Orderyard's addition)."""
    return mappers.pool_out(await service.create_pool(uow, mappers.new_pool(body)))


@pools_router.get(POOLS, responses=documented(404), name="Get inventory pools")
async def get_pools(
    uow: ReadUowDep, page: PageDep, name: PoolName = None
) -> InventoryPoolOut | Paged[InventoryPoolOut]:
    """One pool by its InternalName, or a page of them by InternalName (Orderyard's addition)."""
    if name:
        return mappers.pool_out(await service.get_pool(uow, name))
    found = await service.list_pools(uow, page)
    return paged(found, [mappers.pool_out(pool) for pool in found.items])


@pools_router.put(POOLS, responses=documented(404), name="Update an inventory pool")
async def update_pool(
    body: InventoryPoolPatchIn, uow: UowDep, name: PoolName = None
) -> InventoryPoolOut:
    """Change a pool's given fields; absent or null fields stay (Orderyard's addition)."""
    changes = mappers.pool_patch(body)
    code = mappers.required(name, POOL_PARAM)
    return mappers.pool_out(await service.update_pool(uow, code, changes))


@pools_router.delete(
    POOLS, status_code=204, responses=documented(404, 409), name="Delete an inventory pool"
)
async def delete_pool(uow: UowDep, name: PoolName = None) -> Response:
    """Delete a pool that no group holds (Orderyard's addition)."""
    await service.delete_pool(uow, mappers.required(name, POOL_PARAM))
    return Response(status_code=204)


@groups_router.post(
    GROUPS, status_code=201, responses=documented(409), name="Create an inventory pool group"
)
async def create_group(body: InventoryPoolGroupIn, uow: UowDep) -> InventoryPoolGroupOut:
    """Define a group of inventory pools (Orderyard's addition)."""
    return mappers.group_out(await service.create_group(uow, mappers.new_group(body)))


@groups_router.get(GROUPS, responses=documented(404), name="Get inventory pool groups")
async def get_groups(
    uow: ReadUowDep, page: PageDep, name: GroupName = None
) -> InventoryPoolGroupOut | Paged[InventoryPoolGroupOut]:
    """One group by its InternalName, or a page of them by InternalName (Orderyard's addition)."""
    if name:
        return mappers.group_out(await service.get_group(uow, name))
    found = await service.list_groups(uow, page)
    return paged(found, [mappers.group_out(group) for group in found.items])


@groups_router.put(GROUPS, responses=documented(404), name="Update an inventory pool group")
async def update_group(
    body: InventoryPoolGroupPatchIn, uow: UowDep, name: GroupName = None
) -> InventoryPoolGroupOut:
    """Change a group's given fields; absent or null fields stay (Orderyard's addition)."""
    changes = mappers.group_patch(body)
    code = mappers.required(name, GROUP_PARAM)
    return mappers.group_out(await service.update_group(uow, code, changes))


@groups_router.delete(
    GROUPS, status_code=204, responses=documented(404), name="Delete an inventory pool group"
)
async def delete_group(uow: UowDep, name: GroupName = None) -> Response:
    """Delete a group; its pools stay (Orderyard's addition)."""
    await service.delete_group(uow, mappers.required(name, GROUP_PARAM))
    return Response(status_code=204)


ROUTERS = (pools_router, groups_router)
