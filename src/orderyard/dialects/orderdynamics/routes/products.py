"""Products: the styles or families that group items (the seed's Products API).

A product is named by its ``ProductBackendName`` (unique, never changes) and its
``ProductName`` (unique too); items join one through their ``ProductBackendName``.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import catalog as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.catalog import (
    ProductIn,
    ProductOut,
    ProductPatchIn,
)
from orderyard.services.catalog import products as product_service

router = APIRouter(tags=["products"])
ProductNameQuery = Annotated[
    str | None, Query(alias="ProductName", max_length=200, description="The product's name.")
]
BackendNameQuery = Annotated[
    str | None,
    Query(alias="ProductBackendName", max_length=100, description="The product's backend name."),
]


@router.post("/v1/products", status_code=201, responses=documented(409), name="Create a Product")
async def create_product(body: ProductIn, uow: UowDep) -> ProductOut:
    """Create a product; its backend name and its name must be new in the account."""
    product = await product_service.create_product(uow, mappers.new_product(body))
    return mappers.product_out(product)


@router.put("/v1/products", responses=documented(404, 409), name="Update a Product")
async def update_product(body: ProductPatchIn, uow: UowDep) -> ProductOut:
    """Change the name or description of the product the body's backend name names."""
    product = await product_service.update_product(uow, mappers.product_changes(body))
    return mappers.product_out(product)


@router.get("/v1/products", responses=documented(404), name="Get Products")
async def get_products(
    uow: ReadUowDep, page: PageDep, name: ProductNameQuery = None
) -> ProductOut | Paged[ProductOut]:
    """One product by its name, or a page of them (oldest first)."""
    if name:
        return mappers.product_out(await product_service.get_product(uow, name))
    found = await product_service.list_products(uow, page)
    return paged(found, [mappers.product_out(product) for product in found.items])


@router.delete("/v1/products", status_code=204, responses=documented(404, 409),
               name="Delete a Product")  # fmt: skip
async def delete_product(
    uow: UowDep, name: ProductNameQuery = None, backend_name: BackendNameQuery = None
) -> Response:
    """Delete a product that groups no item, by its name or its backend name."""
    await product_service.delete_product(uow, name=name, backend_name=backend_name)
    return Response(status_code=204)


ROUTERS = (router,)
