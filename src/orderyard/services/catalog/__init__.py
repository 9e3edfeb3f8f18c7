"""Catalog use cases: items (SKUs), aliases, kits (synsets), and the stock view of SKUs."""

from orderyard.services.catalog.aliases import (
    AliasOutcome,
    CreateAlias,
    UpdateAlias,
    create_aliases,
    get_alias,
    list_aliases,
    update_aliases,
)
from orderyard.services.catalog.items import (
    CreateItem,
    ItemOutcome,
    UpdateItem,
    add_item,
    create_items,
    get_item,
    item_units,
    list_items,
    resolve_names,
    update_items,
)
from orderyard.services.catalog.kits import (
    KitOutcome,
    SetKit,
    create_kits,
    get_kit,
    list_kits,
    update_kits,
)
from orderyard.services.catalog.stock import LocationStock, StockView, stock_levels
from orderyard.store.queries.catalog import AliasView, ItemKey, ItemSort, ItemView, KitView

__all__ = [
    "AliasOutcome",
    "AliasView",
    "CreateAlias",
    "CreateItem",
    "ItemKey",
    "ItemOutcome",
    "ItemSort",
    "ItemView",
    "KitOutcome",
    "KitView",
    "LocationStock",
    "SetKit",
    "StockView",
    "UpdateAlias",
    "UpdateItem",
    "add_item",
    "create_aliases",
    "create_items",
    "create_kits",
    "get_alias",
    "get_item",
    "get_kit",
    "item_units",
    "list_aliases",
    "list_items",
    "list_kits",
    "resolve_names",
    "stock_levels",
    "update_aliases",
    "update_items",
    "update_kits",
]
