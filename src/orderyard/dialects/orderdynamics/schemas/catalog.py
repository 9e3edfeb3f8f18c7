"""Products, items and site pricing on the wire (OrderDynamics' Products and Items APIs)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import Number, UtcDateTime, WireIn, WireOut

BackendName = Annotated[str, Field(min_length=1, max_length=100)]
ProductName = Annotated[str, Field(min_length=1, max_length=200)]
Sku = Annotated[str, Field(min_length=1, max_length=100)]
Text200 = Annotated[str, Field(max_length=200)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=4, allow_inf_nan=False)]
"""Money, a dimension or a weight: not negative, at most 4 decimals (the store's scale)."""
CATEGORIES_MAX = 100
ATTRIBUTES_MAX = 100


class ProductIn(WireIn):
    """A product to create."""

    product_backend_name: BackendName = Field(description="Unique in the account; never changes.")
    product_name: ProductName = Field(description="Unique in the account.")
    description: str = Field(default="", max_length=4000)


class ProductPatchIn(WireIn):
    """A product's changes, named by its backend name; absent or null fields stay."""

    product_backend_name: BackendName
    product_name: ProductName | None = None
    description: str | None = Field(default=None, max_length=4000)


class ProductOut(WireOut):
    """A product as Orderyard answers it."""

    product_backend_name: str
    product_name: str
    description: str
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime


class ItemAttributeIn(WireIn):
    """A named value set on the item (the same store as ShipEdge product attributes)."""

    name: str = Field(min_length=1, max_length=100)
    value: str = Field(default="", max_length=4000)


class ItemIn(WireIn):
    """An item to create, or an item's changes (named by its Sku): absent or null fields stay.

    ``Categories``, when given, replace the item's categories; ``Attributes`` are set by name
    and the item's other attributes stay. ``ProductBackendName`` "" takes the item out of its
    product.
    """

    sku: Sku = Field(description="Unique in the account; never changes.")
    product_backend_name: str | None = Field(default=None, max_length=100)
    description: str | None = Field(default=None, max_length=4000)
    upc: str | None = Field(default=None, max_length=64)
    weight: Amount | None = None
    width: Amount | None = None
    length: Amount | None = None
    height: Amount | None = None
    cost: Amount | None = None
    retail_price: Amount | None = None
    manufacturer: Text200 | None = None
    model: Text200 | None = None
    image_url: str | None = Field(default=None, max_length=1000)
    categories: list[str] | None = Field(default=None, max_length=CATEGORIES_MAX)
    attributes: list[ItemAttributeIn] | None = Field(default=None, max_length=ATTRIBUTES_MAX)


class ItemAttributeOut(WireOut):
    """One attribute of an item."""

    name: str
    value: str


class StockFiguresOut(WireOut):
    """Stock figures of an item at one location (``LocationInternalName``) or in total."""

    on_hand: int
    allocated: int
    reserved: int
    safety_stock: int
    available: int


class LocationStockOut(StockFiguresOut):
    """An item's figures at one location."""

    location_internal_name: str


class ItemInventoryOut(StockFiguresOut):
    """An item's figures in total and at each location that has any (a kit's derived)."""

    locations: list[LocationStockOut]


class ItemOut(WireOut):
    """An item. ``Attributes``, ``Categories`` and ``Inventory`` appear when loaded."""

    sku: str
    product_backend_name: str | None
    description: str
    upc: str
    weight: Number
    width: Number
    length: Number
    height: Number
    cost: Number
    retail_price: Number
    manufacturer: str
    model: str
    image_url: str
    is_kit: bool
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime
    attributes: list[ItemAttributeOut] | None = None
    categories: list[str] | None = None
    inventory: ItemInventoryOut | None = None


class SitePriceIn(WireIn):
    """A SKU's price on one sales channel; replaces the one there was."""

    sku: Sku
    channel: str = Field(min_length=1, max_length=200, description="A registered sales channel.")
    list_price: Amount
    sale_price: Amount | None = None
    sale_start_date_time_utc: UtcDateTime | None = None
    sale_end_date_time_utc: UtcDateTime | None = None
    currency_code: str = Field(default="USD", min_length=3, max_length=3)


class SitePriceOut(WireOut):
    """A site price, with the price that applies now."""

    sku: str
    channel: str
    list_price: Number
    sale_price: Number | None
    sale_start_date_time_utc: datetime | None
    sale_end_date_time_utc: datetime | None
    currency_code: str
    current_price: Number
    is_on_sale: bool
    last_updated_date_time_utc: datetime
