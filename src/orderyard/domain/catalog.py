"""Items (SKUs), their enumerated attributes, units of measure, kits and aliases."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from orderyard.domain.errors import InvalidRequestError


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
    product_id: int | None = None
    """The product (style/family) the item belongs to, if any."""


@dataclass(frozen=True, slots=True)
class Product:
    """A style or family that groups items (OrderDynamics' product); items may belong to one.

    ``backend_name`` identifies it in the account and never changes; ``name`` is what people
    read, also unique in the account.
    """

    id: int
    backend_name: str
    name: str
    description: str
    created_at: datetime
    updated_at: datetime


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


@dataclass(frozen=True, slots=True)
class Alias:
    """An external SKU (a channel's) that stands for one internal item.

    Aliases are unique in the account and resolve the same way for every order; the channel
    and location only record where the alias comes from.
    """

    id: int
    alias: str
    item_id: int
    sku: str
    channel_id: int | None
    location_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UnitOfMeasure:
    """A unit an item is handled in: ``quantity`` eaches, with what is known of its size.

    ``None`` means unknown: Orderyard records no packaging of its own for a case.
    """

    name: str
    quantity: int
    width: Decimal | None
    length: Decimal | None
    height: Decimal | None
    weight: Decimal | None


def _known(value: Decimal) -> Decimal | None:
    return value if value > 0 else None


def units_of_measure(item: Item) -> list[UnitOfMeasure]:
    """The units an item comes in: one each, plus a case when ``case_qty`` is set.

    A dimension or weight of 0 is unknown. A case weighs its eaches (its carton is unknown)
    and its outer dimensions are unknown.
    """
    details = item.details
    each = UnitOfMeasure(
        "EACH",
        1,
        _known(details.width),
        _known(details.length),
        _known(details.height),
        _known(details.weight),
    )
    if not details.case_qty:
        return [each]
    weight = each.weight * details.case_qty if each.weight is not None else None
    return [each, UnitOfMeasure("CASE", details.case_qty, None, None, None, weight)]


def kit_components(
    kit_sku: str, wanted: Sequence[tuple[str, int]], found: Mapping[str, Item]
) -> list[KitComponent]:
    """Check a kit's requested ``[(sku, quantity), ...]`` against the items ``found`` by SKU.

    Kits do not nest: a component is an existing item that is neither a kit nor the kit itself,
    listed once, with a positive quantity.

    Raises:
        InvalidRequestError: the first problem, naming ``components[i].sku`` or
            ``components[i].quantity``.
    """
    if not wanted:
        raise InvalidRequestError("a kit needs at least one component", field="components")
    components: list[KitComponent] = []
    seen: set[str] = set()
    for index, (sku, quantity) in enumerate(wanted):
        where = f"components[{index}]"
        item = found.get(sku)
        if quantity <= 0:
            raise InvalidRequestError(
                "quantity must be a positive integer", field=f"{where}.quantity"
            )
        if sku == kit_sku:
            raise InvalidRequestError(
                f"kit {kit_sku!r} cannot contain itself", field=f"{where}.sku"
            )
        if sku in seen:
            raise InvalidRequestError(f"SKU {sku!r} is listed twice", field=f"{where}.sku")
        if item is None:
            raise InvalidRequestError(f"SKU {sku!r} does not exist", field=f"{where}.sku")
        if item.is_kit:
            raise InvalidRequestError(
                f"SKU {sku!r} is a kit; kits cannot contain kits", field=f"{where}.sku"
            )
        seen.add(sku)
        components.append(KitComponent(item.id, sku, quantity))
    return components
