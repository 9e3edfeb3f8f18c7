"""Items (SKUs), their enumerated attributes, and kits."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class PickStyle(StrEnum):
    """How a warehouse picks an item (the ShipEdge values, which are also the core's)."""

    STANDARD = "STANDARD"
    SAVE_SPACE = "SAVE_SPACE"
    FIFO = "FIFO"
    LIFO = "LIFO"
    FEFO = "FEFO"
    FLFO = "FLFO"
    LLFO = "LLFO"
    BIN_ASC = "BIN_ASC"
    BIN_DESC = "BIN_DESC"


class LocationKind(StrEnum):
    """What a location is; all kinds can hold and ship stock."""

    warehouse = "warehouse"
    store = "store"
    shipping_center = "shipping_center"


@dataclass(frozen=True, slots=True)
class ItemDetails:
    """The describable attributes of an item; everything but its identity."""

    description: str = ""
    width: Decimal = Decimal(0)
    length: Decimal = Decimal(0)
    height: Decimal = Decimal(0)
    weight: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    retail: Decimal = Decimal(0)
    upc: str = ""
    harmonization_code: str = ""
    supplier_id: int | None = None
    location_id: int | None = None
    package_type_id: int | None = None
    pick_style: PickStyle = PickStyle.STANDARD
    one_time: bool = False
    case_qty: int | None = None
    category: str = ""
    model: str = ""
    manufacturer: str = ""
    client_option1: str = ""
    client_option2: str = ""
    client_option3: str = ""
    image_url: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    """One SKU of an account. The SKU never changes once created."""

    id: int
    sku: str
    details: ItemDetails
    is_kit: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class KitComponent:
    """``quantity`` units of a component item go into one kit."""

    item_id: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ResolvedSku:
    """What an order line's SKU turned out to be: an item, reached directly or by alias.

    A kit carries its components; orders explode it into them.
    """

    requested: str
    item_id: int
    sku: str
    components: tuple[KitComponent, ...] = ()
