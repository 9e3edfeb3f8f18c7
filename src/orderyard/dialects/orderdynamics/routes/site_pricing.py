"""Site pricing: a SKU's list price and sale per sales channel (the seed's SitePricing paths)."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import catalog as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.catalog import SitePriceIn, SitePriceOut
from orderyard.services.catalog import pricing as pricing_service
from orderyard.services.catalog.pricing import PriceQuery, SetSitePrice

router = APIRouter(tags=["items"])
PATH = "/v1/items/SitePricing"
SkuQuery = Annotated[str, Query(alias="sku", min_length=1, max_length=100, description="The SKU.")]
ChannelQuery = Annotated[
    str | None,
    Query(alias="Channel", max_length=200, description="One sales channel (default: all)."),
]


@router.put(PATH, responses=documented(404), name="Update an Item Site Pricing")
async def set_site_price(body: SitePriceIn, uow: UowDep) -> SitePriceOut:
    """Create or replace the SKU's price on the channel."""
    command = SetSitePrice(body.sku, body.channel, mappers.price_terms(body))
    return mappers.site_price_out(await pricing_service.set_site_price(uow, command))


@router.get(PATH, responses=documented(404), name="Get an Item Site Pricing")
async def get_site_prices(
    uow: ReadUowDep,
    page: PageDep,
    sku: SkuQuery,
    channel: ChannelQuery = None,
    sort: Annotated[
        str | None,
        Query(
            alias="SortByColumn",
            max_length=100,
            description="Channel (default), ListPrice, SalePrice or LastUpdatedDateTimeUtc.",
        ),
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default true.")] = True,
) -> Paged[SitePriceOut]:
    """The SKU's prices on one channel or on all, with the price that applies now."""
    query = PriceQuery(sku, channel or None, mappers.price_sort(sort), ascending)
    found = await pricing_service.site_prices(uow, query, page)
    return paged(found, [mappers.site_price_out(price) for price in found.items])


@router.delete(PATH, status_code=204, responses=documented(404),
               name="Delete an Item Site Pricing")  # fmt: skip
async def delete_site_prices(uow: UowDep, sku: SkuQuery, channel: ChannelQuery = None) -> Response:
    """Delete the SKU's price on the channel, or on every channel."""
    await pricing_service.delete_site_prices(uow, sku, channel or None)
    return Response(status_code=204)


ROUTERS = (router,)
