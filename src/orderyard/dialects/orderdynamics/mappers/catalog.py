"""Products, items and site prices between OrderDynamics' wire shape and the core."""

from typing import Any, Final

from orderyard.dialects.orderdynamics.schemas.catalog import (
    ItemAttributeOut,
    ItemIn,
    ItemInventoryOut,
    ItemOut,
    LocationStockOut,
    ProductIn,
    ProductOut,
    ProductPatchIn,
    SitePriceIn,
    SitePriceOut,
)
from orderyard.domain.attribute import Attribute
from orderyard.domain.catalog import ItemDetails, Product
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.inventory import StockFigures
from orderyard.domain.pricing import PriceTerms, SaleWindow, SitePrice
from orderyard.kit.clock import utcnow
from orderyard.services.catalog import CreateItem, StockView, UpdateItem
from orderyard.services.catalog.pricing import PriceSort
from orderyard.services.catalog.products import NewProduct, ProductChanges
from orderyard.services.catalog.records import ItemParts, ItemRecord

DETAILS: Final = {
    "description": "description",
    "upc": "upc",
    "weight": "weight",
    "width": "width",
    "length": "length",
    "height": "height",
    "cost": "cost",
    "retail_price": "retail",
    "manufacturer": "manufacturer",
    "model": "model",
    "image_url": "image_url",
}
"""Wire field -> core item detail."""
PRICE_SORTS: Final = {
    "channel": PriceSort.channel,
    "listprice": PriceSort.list_price,
    "saleprice": PriceSort.sale_price,
    "lastupdateddatetimeutc": PriceSort.updated_at,
}


def new_product(wire: ProductIn) -> NewProduct:
    """The core's new product."""
    return NewProduct(wire.product_backend_name, wire.product_name, wire.description)


def product_changes(wire: ProductPatchIn) -> ProductChanges:
    """The core's product changes."""
    return ProductChanges(wire.product_backend_name, wire.product_name, wire.description)


def product_out(product: Product) -> ProductOut:
    """A product on the wire."""
    return ProductOut(
        product_backend_name=product.backend_name,
        product_name=product.name,
        description=product.description,
        created_date_time_utc=product.created_at,
        last_updated_date_time_utc=product.updated_at,
    )


def _details(wire: ItemIn) -> dict[str, Any]:
    return {
        core: getattr(wire, name)
        for name, core in DETAILS.items()
        if getattr(wire, name) is not None
    }


def parts(wire: ItemIn) -> ItemParts:
    """The categories and attributes the request gives (None: not given)."""
    attributes = None
    if wire.attributes is not None:
        attributes = tuple(Attribute(entry.name, entry.value) for entry in wire.attributes)
    categories = None if wire.categories is None else tuple(wire.categories)
    return ItemParts(categories=categories, attributes=attributes)


def create_item(wire: ItemIn) -> CreateItem:
    """The core command creating the item (the same as ShipEdge's product create)."""
    return CreateItem(
        sku=wire.sku,
        details=ItemDetails(**_details(wire)),
        product=wire.product_backend_name or None,
    )


def update_item(wire: ItemIn) -> UpdateItem:
    """The core command changing the item (the same as ShipEdge's product update)."""
    return UpdateItem(sku=wire.sku, changes=_details(wire), product=wire.product_backend_name)


def _figures(figures: StockFigures) -> dict[str, int]:
    return {
        "on_hand": figures.on_hand,
        "allocated": figures.allocated,
        "reserved": figures.reserved,
        "safety_stock": figures.safety_stock,
        "available": figures.available,
    }


def inventory_out(view: StockView) -> ItemInventoryOut:
    """An item's stock: in total and per location, by internal name."""
    locations = [
        LocationStockOut(location_internal_name=row.code, **_figures(row.figures))
        for row in view.locations
    ]
    return ItemInventoryOut(locations=locations, **_figures(view.total))


def item_out(record: ItemRecord) -> ItemOut:
    """An item on the wire, with exactly the parts that were loaded."""
    item = record.item
    details = item.details
    loaded: dict[str, Any] = {}
    if record.attributes is not None:
        loaded["attributes"] = [
            ItemAttributeOut(name=a.name, value=a.value) for a in record.attributes
        ]
    if record.categories is not None:
        loaded["categories"] = record.categories
    if record.inventory is not None:
        loaded["inventory"] = inventory_out(record.inventory)
    return ItemOut(
        sku=item.sku,
        product_backend_name=record.product_backend_name or None,
        description=details.description,
        upc=details.upc,
        weight=details.weight,
        width=details.width,
        length=details.length,
        height=details.height,
        cost=details.cost,
        retail_price=details.retail,
        manufacturer=details.manufacturer,
        model=details.model,
        image_url=details.image_url,
        is_kit=item.is_kit,
        created_date_time_utc=item.created_at,
        last_updated_date_time_utc=item.updated_at,
        **loaded,
    )


def price_terms(wire: SitePriceIn) -> PriceTerms:
    """The core's price terms."""
    return PriceTerms(
        list_price=wire.list_price,
        currency=wire.currency_code,
        sale_price=wire.sale_price,
        sale=SaleWindow(wire.sale_start_date_time_utc, wire.sale_end_date_time_utc),
    )


def price_sort(word: str | None) -> PriceSort:
    """The sort a ``SortByColumn`` word names, in any case (default Channel).

    Raises:
        InvalidRequestError: another word, naming ``SortByColumn``.
    """
    if word is None or not word.strip():
        return PriceSort.channel
    found = PRICE_SORTS.get(word.strip().lower())
    if found is None:
        raise InvalidRequestError(
            f"SortByColumn {word!r} is not one of Channel, ListPrice, SalePrice,"
            " LastUpdatedDateTimeUtc",
            field="SortByColumn",
        )
    return found


def site_price_out(price: SitePrice) -> SitePriceOut:
    """A site price on the wire, with the price that applies now."""
    terms = price.terms
    now = utcnow()
    return SitePriceOut(
        sku=price.sku,
        channel=price.channel,
        list_price=terms.list_price,
        sale_price=terms.sale_price,
        sale_start_date_time_utc=terms.sale.starts_at,
        sale_end_date_time_utc=terms.sale.ends_at,
        currency_code=terms.currency,
        current_price=terms.price_at(now),
        is_on_sale=terms.sale_price is not None and terms.sale.contains(now),
        last_updated_date_time_utc=price.updated_at,
    )
