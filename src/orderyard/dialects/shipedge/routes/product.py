"""Products: list, create and update in bulk, get one, and its units of measure."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from orderyard.dialects.shipedge.auth import ReadUowDep, UowDep
from orderyard.dialects.shipedge.bulk import bulk_response
from orderyard.dialects.shipedge.envelope import Envelope, ListEnvelope
from orderyard.dialects.shipedge.errors import documented
from orderyard.dialects.shipedge.mappers import product as mappers
from orderyard.dialects.shipedge.pagination import PageDep, metadata
from orderyard.dialects.shipedge.schemas.product import (
    ProductOut,
    ProductResultOut,
    ProductsIn,
    ProductsPatch,
    UomOut,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.services import catalog as catalog_service

router = APIRouter(tags=["products"])
Results = Envelope[list[ProductResultOut]]
IdentifyBy = Annotated[
    Literal["sku", "product_id"] | None,
    Query(description="Read the identifier only as this; by default a SKU first, then an id."),
]


@router.get("/inventory/products", responses=documented(InvalidRequestError))
async def list_products(
    uow: ReadUowDep,
    page: PageDep,
    order_by: Annotated[
        str, Query(description="ProductID, sku, created_at or updated_at.")
    ] = "ProductID",
    order_direction: Literal["asc", "desc", "ASC", "DESC"] = "desc",
) -> ListEnvelope[ProductOut]:
    """List products, newest first by default."""
    found = await catalog_service.list_items(
        uow,
        page,
        sort=mappers.sort_field(order_by),
        descending=order_direction.lower() == "desc",
    )
    return ListEnvelope(
        data=[mappers.product_out(view) for view in found.items], metadata=metadata(found)
    )


@router.post(
    "/inventory/products", response_model=Results, responses=documented(InvalidRequestError)
)
async def create_products(body: ProductsIn, uow: UowDep) -> Results | JSONResponse:
    """Add one or more products; each is created or reported on its own."""
    commands = [mappers.create_item(product) for product in body.data]
    outcomes = await catalog_service.create_items(uow, commands)
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


@router.patch(
    "/inventory/products",
    response_model=Results,
    responses=documented(NotFoundError, InvalidRequestError),
)
async def update_products(body: ProductsPatch, uow: UowDep) -> Results | JSONResponse:
    """Update products named by `sku` (which never changes); only given fields change."""
    commands = [mappers.update_item(product) for product in body.data]
    outcomes = await catalog_service.update_items(uow, commands)
    return bulk_response([mappers.outcome_out(outcome) for outcome in outcomes])


# Registered before the product route: a SKU may contain "/" (sent as %2F), so both paths
# take the rest of the URL, and this one must claim ".../uom" first.
@router.get(
    "/inventory/products/{product_id:path}/uom",
    responses=documented(NotFoundError, InvalidRequestError),
)
async def get_product_uom(
    product_id: str, uow: ReadUowDep, identify_by: IdentifyBy = None
) -> Envelope[list[UomOut]]:
    """Get a product's units of measure: EACH, and CASE when it has a case quantity."""
    _, units = await catalog_service.item_units(uow, product_id, key=mappers.item_key(identify_by))
    return Envelope(data=[mappers.uom_out(unit) for unit in units])


@router.get(
    "/inventory/products/{prod_identifier:path}",
    responses=documented(NotFoundError, InvalidRequestError),
)
async def get_product(
    prod_identifier: str, uow: ReadUowDep, identify_by: IdentifyBy = None
) -> Envelope[ProductOut]:
    """Get one product by SKU or product ID."""
    view = await catalog_service.get_item(uow, prod_identifier, key=mappers.item_key(identify_by))
    return Envelope(data=mappers.product_out(view))
