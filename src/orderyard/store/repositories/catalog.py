"""Items, kits and aliases: the account's catalog."""

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import (
    ARRAY,
    Row,
    Select,
    String,
    any_,
    bindparam,
    exists,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.catalog import (
    Alias,
    Item,
    ItemDetails,
    KitComponent,
    PickStyle,
    ResolvedSku,
)
from orderyard.domain.errors import DuplicateError
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen, unseen_array
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.scope import same_account
from orderyard.store.stock_figures import ACTIVE_RESERVED
from orderyard.store.tables import Id, aliases, items, kit_components, order_lines, stock_levels

DETAIL_COLUMNS = tuple(ItemDetails.__dataclass_fields__)
LOOKUP_CHUNK = 5000
RESOLVE_SKUS = select(items.c.sku, items.c.id, items.c.is_kit).where(
    items.c.account_id == bindparam("account_id"),
    items.c.sku.in_(bindparam("skus", expanding=True)),
)
"""Built once: every order placement resolves its SKUs."""
PG_RESOLVE_SKUS = DriverStatement(
    select(items.c.sku, items.c.id, items.c.is_kit).where(
        items.c.account_id == unseen(bindparam("account_id", type_=Id)),
        items.c.sku == any_(unseen_array(bindparam("skus", type_=ARRAY(String)))),
    )
)
"""The same on PostgreSQL, one array parameter (the driver cannot expand a list), planned once
(``store/planning.py``)."""
PG_ITEM_IDS = text(
    "SELECT i.sku, i.id FROM unnest(CAST(:skus AS varchar[])) AS wanted(sku)"
    " CROSS JOIN LATERAL (SELECT items.sku, items.id FROM items"
    " WHERE items.account_id = :account_id AND items.sku = wanted.sku) AS i"
)
"""Item ids of a set of SKUs on PostgreSQL (feeds, bulk jobs): one array parameter, each SKU
an index lookup. An IN list (or ``= ANY``) of 5,000 SKUs was a scan of the account's items
comparing each with the whole list on a table without statistics: 0.45 s per call."""
"""SQLite allows at most 32,766 bound parameters per statement."""


def item_from_row(row: Row[Any]) -> Item:
    """Build an Item from a row of ``items``."""
    m = row._mapping
    values = {name: m[name] for name in DETAIL_COLUMNS if name != "one_time"}
    values["pick_style"] = PickStyle(m["pick_style"])
    return Item(
        id=m["id"],
        sku=m["sku"],
        details=ItemDetails(one_time=m["one_time"], **values),
        is_kit=m["is_kit"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def alias_from_row(row: Row[Any]) -> Alias:
    """Build an Alias from a row of ``aliases`` joined with its item's ``sku``."""
    m = row._mapping
    return Alias(
        id=m["id"],
        alias=m["alias"],
        item_id=m["item_id"],
        sku=m["sku"],
        channel_id=m["channel_id"],
        location_id=m["location_id"],
        created_at=m["created_at"],
    )


async def load_components(
    conn: AsyncConnection, account_id: AccountId, kit_ids: Iterable[int]
) -> dict[int, list[KitComponent]]:
    """Components of each of the account's kits, by component SKU (for writes and reads)."""
    rows = await conn.execute(
        select(
            kit_components.c.kit_item_id,
            kit_components.c.component_item_id,
            items.c.sku,
            kit_components.c.quantity,
        )
        .join(
            items,
            same_account(items, kit_components)
            & (items.c.id == kit_components.c.component_item_id),
        )
        .where(
            kit_components.c.account_id == account_id,
            kit_components.c.kit_item_id.in_(set(kit_ids)),
        )
        .order_by(kit_components.c.kit_item_id, items.c.sku)
    )
    result: dict[int, list[KitComponent]] = {}
    for kit_id, item_id, sku, quantity in rows:
        result.setdefault(kit_id, []).append(KitComponent(item_id, sku, quantity))
    return result


@dataclass(frozen=True, slots=True)
class ItemUse:
    """What already depends on an item: whether it may still become a kit."""

    has_stock: bool
    has_orders: bool
    in_kits: bool


def details_values(details: ItemDetails) -> dict[str, Any]:
    """Column values for the describable attributes."""
    values = asdict(details)
    values["pick_style"] = details.pick_style.value
    return values


class CatalogRepository(TenantRepository):
    """Items, kit components and aliases of the account."""

    async def add_item(self, sku: str, details: ItemDetails, *, is_kit: bool = False) -> Item:
        """Store a new item.

        Raises:
            DuplicateError: the SKU already exists in this account.
        """
        now = utcnow()
        try:
            async with self.conn.begin_nested():
                row = (
                    await self.conn.execute(
                        insert(items)
                        .values(
                            account_id=self.account_id,
                            sku=sku,
                            is_kit=is_kit,
                            created_at=now,
                            updated_at=now,
                            **details_values(details),
                        )
                        .returning(items)
                    )
                ).one()
        except IntegrityError as error:
            if violates(error, "items", "account_id", "sku"):
                raise DuplicateError(f"SKU {sku!r} already exists", field="sku") from error
            raise
        return item_from_row(row)

    async def find_item(self, sku: str) -> Item | None:
        """The item with this SKU, or None."""
        row = (
            await self.conn.execute(
                select(items).where(items.c.account_id == self.account_id, items.c.sku == sku)
            )
        ).one_or_none()
        return None if row is None else item_from_row(row)

    async def item_ids(self, skus: Iterable[str]) -> dict[str, int]:
        """Map SKUs to item ids; unknown SKUs are absent. Large sets are read in chunks."""
        wanted = sorted(set(skus))
        if self.conn.dialect.name == "postgresql":
            rows = await self.conn.execute(
                PG_ITEM_IDS, {"account_id": self.account_id, "skus": wanted}
            )
            return dict(rows.all())
        found: dict[str, int] = {}
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            rows = await self.conn.execute(
                select(items.c.sku, items.c.id).where(
                    items.c.account_id == self.account_id,
                    items.c.sku.in_(wanted[start : start + LOOKUP_CHUNK]),
                )
            )
            found.update(rows.all())
        return found

    async def resolve(self, requested: Sequence[str]) -> dict[str, ResolvedSku]:
        """Resolve SKUs as order lines name them: the item's own SKU first, then an alias.

        Kits come back with their components. Unknown SKUs are absent from the result.
        """
        wanted = set(requested)
        found: dict[str, tuple[int, str, bool]] = {}
        params = {"account_id": self.account_id, "skus": list(wanted)}
        rows: Iterable[Sequence[Any]]
        if self.conn.dialect.name == "postgresql":
            rows = await PG_RESOLVE_SKUS.fetch(self.conn, params)
        else:
            rows = await self.conn.execute(RESOLVE_SKUS, params)
        for sku, item_id, is_kit in rows:
            found[sku] = (item_id, sku, is_kit)
        missing = wanted - found.keys()
        if missing:
            alias_rows = await self.conn.execute(
                select(aliases.c.alias, items.c.id, items.c.sku, items.c.is_kit)
                .join(items, same_account(items, aliases) & (items.c.id == aliases.c.item_id))
                .where(aliases.c.account_id == self.account_id, aliases.c.alias.in_(missing))
            )
            for alias, item_id, sku, is_kit in alias_rows:
                found[alias] = (item_id, sku, is_kit)
        kits = {item_id for item_id, _, is_kit in found.values() if is_kit}
        components = await self.components_of(kits) if kits else {}
        return {
            name: ResolvedSku(name, item_id, sku, tuple(components.get(item_id, ())))
            for name, (item_id, sku, _) in found.items()
        }

    async def components_of(self, kit_ids: Iterable[int]) -> dict[int, list[KitComponent]]:
        """Components of each kit, by component SKU."""
        return await load_components(self.conn, self.account_id, kit_ids)

    async def set_components(self, kit_id: int, components: Sequence[KitComponent]) -> None:
        """Replace a kit's components."""
        await self.conn.execute(
            kit_components.delete().where(
                kit_components.c.account_id == self.account_id,
                kit_components.c.kit_item_id == kit_id,
            )
        )
        if components:
            await self.conn.execute(
                insert(kit_components),
                [
                    {
                        "account_id": self.account_id,
                        "kit_item_id": kit_id,
                        "component_item_id": c.item_id,
                        "quantity": c.quantity,
                    }
                    for c in components
                ],
            )

    async def items_by_sku(self, skus: Iterable[str]) -> dict[str, Item]:
        """The items with these SKUs; unknown SKUs are absent."""
        rows = await self.conn.execute(
            select(items).where(items.c.account_id == self.account_id, items.c.sku.in_(set(skus)))
        )
        return {row.sku: item_from_row(row) for row in rows}

    async def update_item(self, item_id: int, details: ItemDetails) -> Item:
        """Store new details of an item (never its SKU) and stamp ``updated_at``."""
        row = (
            await self.conn.execute(
                update(items)
                .where(items.c.account_id == self.account_id, items.c.id == item_id)
                .values(updated_at=utcnow(), **details_values(details))
                .returning(items)
            )
        ).one()
        return item_from_row(row)

    async def make_kit(self, item_id: int) -> Item:
        """Turn an item into a kit (its components are set separately)."""
        row = (
            await self.conn.execute(
                update(items)
                .where(items.c.account_id == self.account_id, items.c.id == item_id)
                .values(is_kit=True, updated_at=utcnow())
                .returning(items)
            )
        ).one()
        return item_from_row(row)

    async def use_of(self, item_id: int) -> ItemUse:
        """Whether the item has stock, appears on an order line, or is a kit's component.

        One statement. The order-line check has no index on the item (order lines are a hot
        insert path) and reads the account's lines until the first match; only turning an
        existing item into a synset asks it.
        """
        stocked = exists().where(
            stock_levels.c.account_id == self.account_id,
            stock_levels.c.item_id == item_id,
            or_(
                stock_levels.c.on_hand > 0,
                stock_levels.c.allocated > 0,
                ACTIVE_RESERVED > 0,
            ),
        )
        ordered = exists().where(
            order_lines.c.account_id == self.account_id, order_lines.c.item_id == item_id
        )
        component = exists().where(
            kit_components.c.account_id == self.account_id,
            kit_components.c.component_item_id == item_id,
        )
        row = (
            await self.conn.execute(select(stocked, ordered, component), {"now": utcnow()})
        ).one()
        return ItemUse(has_stock=bool(row[0]), has_orders=bool(row[1]), in_kits=bool(row[2]))

    def _alias_select(self) -> Select[Any]:
        return (
            select(aliases, items.c.sku)
            .join(items, same_account(items, aliases) & (items.c.id == aliases.c.item_id))
            .where(aliases.c.account_id == self.account_id)
        )

    async def find_alias(self, alias: str) -> Alias | None:
        """The alias with this name, or None."""
        row = (
            await self.conn.execute(self._alias_select().where(aliases.c.alias == alias))
        ).one_or_none()
        return None if row is None else alias_from_row(row)

    async def add_alias(
        self, alias: str, item_id: int, *, channel_id: int | None, location_id: int | None
    ) -> Alias:
        """Store a new alias of an item.

        Raises:
            DuplicateError: the alias already exists in this account.
        """
        try:
            async with self.conn.begin_nested():
                alias_id = (
                    await self.conn.execute(
                        insert(aliases)
                        .values(
                            account_id=self.account_id,
                            alias=alias,
                            item_id=item_id,
                            channel_id=channel_id,
                            location_id=location_id,
                            created_at=utcnow(),
                        )
                        .returning(aliases.c.id)
                    )
                ).scalar_one()
        except IntegrityError as error:
            if violates(error, "aliases", "account_id", "alias"):
                raise DuplicateError(f"alias {alias!r} already exists", field="alias") from error
            raise
        return await self._alias_by_id(alias_id)

    async def update_alias(
        self, alias_id: int, item_id: int, *, channel_id: int | None, location_id: int | None
    ) -> Alias:
        """Point an alias at another item, channel or location (its name never changes)."""
        await self.conn.execute(
            update(aliases)
            .where(aliases.c.account_id == self.account_id, aliases.c.id == alias_id)
            .values(item_id=item_id, channel_id=channel_id, location_id=location_id)
        )
        return await self._alias_by_id(alias_id)

    async def _alias_by_id(self, alias_id: int) -> Alias:
        row = (await self.conn.execute(self._alias_select().where(aliases.c.id == alias_id))).one()
        return alias_from_row(row)
