"""The seed's Virtual Inventory Visibility API: what each pool of the named groups shows.

Rows come SKU by SKU; within a SKU, group by group as named, pool by pool by InternalName.
Unknown group names or SKUs are a 400 naming them all, as the physical reads name unknown
locations.
"""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.orderdynamics.auth import ReadUowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import inventory_pool as mappers
from orderyard.dialects.orderdynamics.mappers.inventory import names
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.inventory_pool import VirtualInventoryOut
from orderyard.dialects.orderdynamics.wire import LIST_MAX
from orderyard.services import virtual_inventory as service

router = APIRouter(tags=["virtual inventory"])


@router.get("/v1/virtualinventory", responses=documented(), name="Get virtual inventory")
async def virtual_inventory(
    uow: ReadUowDep,
    page: PageDep,
    groups: Annotated[
        str,
        Query(
            alias="inventoryPoolGroupNames",
            min_length=1,
            max_length=LIST_MAX,
            description="Comma-separated pool group InternalNames (required).",
        ),
    ],
    skus: Annotated[
        str | None,
        Query(
            alias="skus",
            max_length=LIST_MAX,
            description="Comma-separated SKUs (default: every SKU of the account).",
        ),
    ] = None,
) -> Paged[VirtualInventoryOut]:
    """Available units per SKU in each pool of the named inventory pool groups."""
    found = await service.virtual_inventory(uow, names(groups) or [], names(skus), page)
    return paged(found, [mappers.figure_out(row) for row in found.items])


ROUTERS = (router,)
