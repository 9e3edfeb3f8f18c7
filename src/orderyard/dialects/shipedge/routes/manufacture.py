"""Manufacture orders: list, get one."""

from typing import Annotated

from fastapi import APIRouter, Path

from orderyard.dialects.shipedge.auth import ReadUowDep
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import manufacture as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.manufacture import ManufactureOut
from orderyard.domain.errors import NotFoundError
from orderyard.domain.values import ID_MAX
from orderyard.services import manufacture as manufacture_service

router = APIRouter(tags=["manufacture"])
OrderPath = Annotated[
    int, Path(alias="order", ge=1, le=ID_MAX, description="Manufacture order ID.")
]


@router.get("/manufacture", responses=documented())
async def list_manufacture_orders(uow: ReadUowDep, page: PageDep) -> ListEnvelope[ManufactureOut]:
    """List manufacture orders, newest first, with the kits' components."""
    found = await manufacture_service.list_manufacture_orders(uow, page)
    return ListEnvelope(
        data=[mappers.manufacture_out(view) for view in found.items], metadata=metadata(found)
    )


@router.get("/manufacture/{order}", responses=documented(NotFoundError))
async def get_manufacture_order(order_id: OrderPath, uow: ReadUowDep) -> Envelope[ManufactureOut]:
    """Get one manufacture order: the kit, how many, where, and its status."""
    view = await manufacture_service.get_manufacture_order(uow, order_id)
    return Envelope(data=mappers.manufacture_out(view))
