"""Products between ShipEdge's wire shape and the core's items.

The core keeps ``one_time`` as a boolean and a case quantity that may be absent; the words
and the "0 means none" convention of the wire live here.
"""

from typing import Any, Final

from orderyard.dialects.shipedge.bulk import item_field
from orderyard.dialects.shipedge.fields import wire_message
from orderyard.dialects.shipedge.schemas.product import (
    ProductIn,
    ProductOut,
    ProductPatch,
    ProductResultOut,
    UomOut,
)
from orderyard.domain.catalog import ItemDetails, UnitOfMeasure
from orderyard.domain.errors import InvalidRequestError
from orderyard.services.catalog import (
    CreateItem,
    ItemKey,
    ItemOutcome,
    ItemSort,
    ItemView,
    UpdateItem,
)

ONE_TIME: Final[dict[str, bool]] = {"YES": True, "Y": True, "NO": False, "N": False}
SAME_NAMES: Final = (
    "description",
    "width",
    "length",
    "height",
    "weight",
    "cost",
    "retail",
    "upc",
    "harmonization_code",
    "pick_style",
    "category",
    "model",
    "manufacturer",
    "client_option1",
    "client_option2",
    "client_option3",
    "image_url",
)
"""Wire fields that are core item details of the same name."""
SORTS: Final[dict[str, ItemSort]] = {
    "productid": ItemSort.id,
    "product_id": ItemSort.id,
    "id": ItemSort.id,
    "sku": ItemSort.sku,
    "created_at": ItemSort.created_at,
    "date_created": ItemSort.created_at,
    "updated_at": ItemSort.updated_at,
    "date_updated": ItemSort.updated_at,
}
IDENTIFY_BY: Final[dict[str, ItemKey]] = {"sku": ItemKey.sku, "product_id": ItemKey.id}


def _details(wire: ProductIn | ProductPatch) -> dict[str, Any]:
    """The core details the wire gives (absent or null fields left out)."""
    values = {name: getattr(wire, name) for name in SAME_NAMES if getattr(wire, name) is not None}
    if wire.one_time_product is not None:
        values["one_time"] = ONE_TIME[wire.one_time_product]
    if wire.case_qty is not None:
        values["case_qty"] = wire.case_qty or None
    return values


def create_item(wire: ProductIn) -> CreateItem:
    """The core command for one product of ``POST /inventory/products``."""
    return CreateItem(
        sku=wire.sku,
        details=ItemDetails(**_details(wire)),
        supplier=wire.supplier or None,
        location=wire.distribution_center or None,
        package_type=wire.package_type or None,
    )


def update_item(wire: ProductPatch) -> UpdateItem:
    """The core command for one product of ``PATCH /inventory/products``."""
    return UpdateItem(
        sku=wire.sku,
        changes=_details(wire),
        supplier=wire.supplier,
        location=wire.distribution_center,
        package_type=wire.package_type,
    )


def product_out(view: ItemView) -> ProductOut:
    """The wire form of a product."""
    item, details = view.item, view.item.details
    return ProductOut(
        product_id=item.id,
        sku=item.sku,
        **{name: getattr(details, name) for name in SAME_NAMES},
        supplier=view.supplier or None,
        distribution_center=view.location_code or None,
        package_type=view.package_type or None,
        one_time_product="Yes" if details.one_time else "No",
        case_qty=details.case_qty,
        is_synset=item.is_kit,
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


def outcome_out(outcome: ItemOutcome) -> ProductResultOut:
    """The wire form of one product's outcome in a bulk call."""
    if outcome.error is not None:
        return ProductResultOut(
            sku=outcome.sku,
            success=False,
            message=wire_message(outcome.error.message),
            field=item_field(outcome.index, outcome.error.field),
        )
    assert outcome.item is not None  # noqa: S101 - a success always has its item
    return ProductResultOut(sku=outcome.item.sku, product_id=outcome.item.id, success=True)


def uom_out(unit: UnitOfMeasure) -> UomOut:
    """The wire form of a unit of measure."""
    return UomOut(
        uom=unit.name,
        quantity=unit.quantity,
        width=unit.width,
        length=unit.length,
        height=unit.height,
        weight=unit.weight,
    )


def sort_field(order_by: str) -> ItemSort:
    """The core sort for ``order_by`` (case-insensitive).

    Raises:
        InvalidRequestError: the field cannot be sorted on.
    """
    sort = SORTS.get(order_by.lower())
    if sort is None:
        raise InvalidRequestError(
            f"cannot sort by {order_by!r}; use one of ProductID, sku, created_at, updated_at",
            field="order_by",
        )
    return sort


def item_key(identify_by: str | None) -> ItemKey:
    """How to read a product identifier: as ``identify_by`` says, else SKU then id."""
    return ItemKey.sku_then_id if identify_by is None else IDENTIFY_BY[identify_by]
