"""Items: the account's SKUs (the seed's Items API), the same records as ShipEdge products.

Create and update answer the item with its attributes and categories; the list adds each
part only when its ``Load...`` flag is true. ``Skus`` follows the SKUs changed in a window.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import catalog as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.catalog import ItemIn, ItemOut
from orderyard.dialects.orderdynamics.wire import UtcDateTime
from orderyard.services.catalog import records as record_service
from orderyard.services.catalog.records import ItemLoads, ItemQuery

router = APIRouter(tags=["items"])
WRITTEN = ItemLoads(attributes=True, categories=True)
"""What a create or an update answers besides the item."""
SkuQuery = Annotated[str, Query(alias="sku", min_length=1, max_length=100, description="The SKU.")]


def _flag(name: str) -> object:
    return Query(alias=name, description=f"Add `{name.removeprefix('Load')}` to each item.")


@router.post("/v1/items", status_code=201, responses=documented(409),
             response_model_exclude_unset=True, name="Create an Item")  # fmt: skip
async def create_item(body: ItemIn, uow: UowDep, read: ReadUowDep) -> ItemOut:
    """Create an item (a ShipEdge product too) with its categories and attributes."""
    await record_service.create_item_record(uow, mappers.create_item(body), mappers.parts(body))
    return mappers.item_out(await record_service.get_item_record(read, body.sku, WRITTEN))


@router.put("/v1/items", responses=documented(404), response_model_exclude_unset=True,
            name="Update an Item")  # fmt: skip
async def update_item(body: ItemIn, uow: UowDep, read: ReadUowDep) -> ItemOut:
    """Change the given fields of the item the body's Sku names; absent or null fields stay."""
    await record_service.update_item_record(uow, mappers.update_item(body), mappers.parts(body))
    return mappers.item_out(await record_service.get_item_record(read, body.sku, WRITTEN))


@router.delete("/v1/items", status_code=204, responses=documented(404, 409),
               name="Delete an Item")  # fmt: skip
async def delete_item(uow: UowDep, sku: SkuQuery) -> Response:
    """Delete an item that is on no order, holds no stock and has no history."""
    await record_service.delete_item(uow, sku)
    return Response(status_code=204)


@router.get("/v1/items", responses=documented(404), response_model_exclude_unset=True,
            name="Get Items")  # fmt: skip
async def get_items(
    uow: ReadUowDep,
    page: PageDep,
    product: Annotated[
        str | None,
        Query(alias="ProductBackendName", max_length=100, description="Items of this product."),
    ] = None,
    sku: Annotated[
        str | None, Query(alias="sku", max_length=100, description="Only this SKU.")
    ] = None,
    load_attributes: Annotated[bool, _flag("LoadAttributes")] = False,
    load_categories: Annotated[bool, _flag("LoadCategories")] = False,
    load_inventory: Annotated[bool, _flag("LoadInventory")] = False,
) -> Paged[ItemOut]:
    """A page of items (oldest first), of one product or one SKU, with the parts asked for."""
    query = ItemQuery(
        product_backend_name=product or None,
        sku=sku or None,
        loads=ItemLoads(load_attributes, load_categories, load_inventory),
    )
    found = await record_service.list_item_records(uow, query, page)
    return paged(found, [mappers.item_out(record) for record in found.items])


@router.get("/v1/items/Skus", responses=documented(), name="Get SKUs")
async def changed_skus(
    uow: ReadUowDep,
    page: PageDep,
    after: Annotated[
        UtcDateTime | None,
        Query(alias="LastUpdatedDateTimeUtcAfter", description="Changed after this (excluded)."),
    ] = None,
    before: Annotated[
        UtcDateTime | None,
        Query(alias="LastUpdatedDateTimeUtcBefore", description="Changed before this (excluded)."),
    ] = None,
) -> Paged[str]:
    """The SKUs changed in a window, oldest change first."""
    found = await record_service.changed_skus(uow, page, after=after, before=before)
    return paged(found, [entry.sku for entry in found.items])


ROUTERS = (router,)
