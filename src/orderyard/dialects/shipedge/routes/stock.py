"""Stock: quantities per SKU and distribution center, kits derived from their components."""

from typing import Annotated

from fastapi import APIRouter, Query

from orderyard.dialects.shipedge.auth import ReadUowDep
from orderyard.dialects.shipedge.envelope import ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import stock as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.stock import StockOut
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.services import catalog as catalog_service

router = APIRouter(tags=["stock"])


@router.get("/inventory/stock", responses=documented(NotFoundError, InvalidRequestError))
async def get_stock(
    uow: ReadUowDep,
    page: PageDep,
    sku: Annotated[str | None, Query(description="One SKU (a synset too).")] = None,
    distribution_center: Annotated[
        str | None, Query(description="Only this distribution center (its code).")
    ] = None,
) -> ListEnvelope[StockOut]:
    """Get stock levels: one SKU, or a page of SKUs by product ID."""
    found = await catalog_service.stock_levels(
        uow, page, sku=sku or None, location=distribution_center or None
    )
    return ListEnvelope(
        data=[mappers.stock_out(view) for view in found.items], metadata=metadata(found)
    )
