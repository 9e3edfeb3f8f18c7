"""Attributes of the account's records: the write side.

Orders, items, serials, locations and item locations (``item_location.py``) own them.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.attribute import Attribute, OwnerKey, OwnerType, StoredAttribute
from orderyard.domain.errors import DuplicateError
from orderyard.domain.values import AccountId
from orderyard.kit.clock import utcnow
from orderyard.store.repositories import item_location
from orderyard.store.repositories.base import TenantRepository, upsert, violates
from orderyard.store.repositories.item_location import Pair
from orderyard.store.tables import (
    attributes,
    invoice_lines,
    invoices,
    item_locations,
    items,
    locations,
    order_lines,
    orders,
    payments,
    return_lines,
    returns,
    serials,
    shipment_lines,
    shipments,
)

OWNER_TABLES: Final[dict[OwnerType, Table]] = {
    OwnerType.order: orders,
    OwnerType.order_line: order_lines,
    OwnerType.item: items,
    OwnerType.serial: serials,
    OwnerType.location: locations,
    OwnerType.item_location: item_locations,
    OwnerType.shipment: shipments,
    OwnerType.shipment_line: shipment_lines,
    OwnerType.return_: returns,
    OwnerType.return_line: return_lines,
    OwnerType.invoice: invoices,
    OwnerType.invoice_line: invoice_lines,
}
CHUNK = 2000
"""Owners per upsert statement (SQLite allows at most 32,766 bound parameters)."""


def _order_ids_of(table: Table) -> Callable[[int, list[int]], Any]:
    """The ids of the orders of rows of ``table`` (lines, payments): a subquery."""

    def of(account_id: int, ids: list[int]) -> Any:
        return select(table.c.order_id).where(table.c.account_id == account_id, table.c.id.in_(ids))

    return of


_ORDERS_OF: Final[dict[OwnerType, Callable[[int, list[int]], Any]]] = {
    OwnerType.order: lambda _account, ids: ids,
    OwnerType.order_line: _order_ids_of(order_lines),
    OwnerType.payment: _order_ids_of(payments),
}
"""How the orders of owners of each type are found (``orders.has_custom_fields``)."""


async def find_owner(
    conn: AsyncConnection, account_id: AccountId, owner_type: OwnerType, key: OwnerKey
) -> int | None:
    """The id of the account's record that ``key`` names: an item by SKU first, else by id."""
    if key.sku is not None:
        found = (
            await conn.execute(
                select(items.c.id).where(items.c.account_id == account_id, items.c.sku == key.sku)
            )
        ).scalar_one_or_none()
        if found is not None:
            return int(found)
    if key.id is None:
        return None
    table = OWNER_TABLES[owner_type]
    where = [table.c.account_id == account_id, table.c.id == key.id]
    if "deleted_at" in table.c:
        where.append(table.c.deleted_at.is_(None))
    found = (await conn.execute(select(table.c.id).where(*where))).scalar_one_or_none()
    return None if found is None else int(found)


async def values_of(
    conn: AsyncConnection, account_id: AccountId, owner_type: OwnerType, owner_ids: Sequence[int]
) -> dict[int, list[StoredAttribute]]:
    """The attributes of each owner, by name in code point order (owners without: absent)."""
    if not owner_ids:
        return {}
    name: Any = attributes.c.name
    if conn.dialect.name == "postgresql":
        name = name.collate("C")
    rows = await conn.execute(
        select(attributes)
        .where(
            attributes.c.account_id == account_id,
            attributes.c.owner_type == owner_type.value,
            attributes.c.owner_id.in_(sorted(set(owner_ids))),
        )
        .order_by(attributes.c.owner_id, name)
    )
    found: dict[int, list[StoredAttribute]] = {}
    for row in rows:
        m = row._mapping
        found.setdefault(m["owner_id"], []).append(
            StoredAttribute(m["name"], m["value"], m["created_at"], m["updated_at"])
        )
    return found


class AttributeRepository(TenantRepository):
    """The attributes of the account's records, one per (owner, name)."""

    async def find_owner(self, owner_type: OwnerType, key: OwnerKey) -> int | None:
        """The id of the owner that ``key`` names in this account, or None."""
        return await find_owner(self.conn, self.account_id, owner_type, key)

    def _of(self, owner_type: OwnerType, owner_id: int, name: str) -> list[ColumnElement[bool]]:
        return [
            attributes.c.account_id == self.account_id,
            attributes.c.owner_type == owner_type.value,
            attributes.c.owner_id == owner_id,
            attributes.c.name == name,
        ]

    async def add(self, owner_type: OwnerType, owner_id: int, attribute: Attribute) -> None:
        """Store a new attribute of the owner.

        Raises:
            DuplicateError: the owner has an attribute of that name already.
        """
        await self._flag_orders(owner_type, [owner_id])
        now = utcnow()
        try:
            async with self.conn.begin_nested():
                await self.conn.execute(
                    insert(attributes).values(
                        account_id=self.account_id,
                        owner_type=owner_type.value,
                        owner_id=owner_id,
                        name=attribute.name,
                        value=attribute.value,
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError as error:
            if violates(error, "attributes", "account_id", "owner_type", "owner_id", "name"):
                raise DuplicateError(
                    f"attribute {attribute.name!r} already exists, use PATCH to change it",
                    field="attribute",
                ) from error
            raise

    async def update(self, owner_type: OwnerType, owner_id: int, attribute: Attribute) -> bool:
        """Replace the value of an existing attribute; False when the owner has none."""
        result = await self.conn.execute(
            update(attributes)
            .where(*self._of(owner_type, owner_id, attribute.name))
            .values(value=attribute.value, updated_at=utcnow())
        )
        return result.rowcount > 0

    async def _flag_orders(self, owner_type: OwnerType, owner_ids: Sequence[int]) -> None:
        """Mark the orders whose record, line or payment now carries values.

        Before the attributes are written, so that the order's row is locked first, as the
        order services lock it; an order flagged already is not touched (nor locked). The
        flag is never cleared: a stale one costs a read that finds nothing.
        """
        of = _ORDERS_OF.get(owner_type)
        if of is None or not owner_ids:
            return
        await self.conn.execute(
            update(orders)
            .where(
                orders.c.account_id == self.account_id,
                orders.c.id.in_(of(self.account_id, sorted(set(owner_ids)))),
                orders.c.has_custom_fields.is_(False),
            )
            .values(has_custom_fields=True)
        )

    async def remove(self, owner_type: OwnerType, owner_id: int, name: str) -> str | None:
        """Delete one attribute and return its value; None when the owner has none of that name."""
        return (
            await self.conn.execute(
                delete(attributes)
                .where(*self._of(owner_type, owner_id, name))
                .returning(attributes.c.value)
            )
        ).scalar_one_or_none()

    async def values_of(
        self, owner_type: OwnerType, owner_ids: Sequence[int]
    ) -> dict[int, list[StoredAttribute]]:
        """The attributes of each owner, by name (owners without any are absent)."""
        return await values_of(self.conn, self.account_id, owner_type, owner_ids)

    async def item_location_ids(self, pairs: Iterable[Pair]) -> dict[Pair, int]:
        """The owner ids of (item id, location id) pairs; pairs that have none are absent."""
        return await item_location.ids_of(self.conn, self.account_id, pairs)

    async def add_item_locations(self, pairs: Iterable[Pair]) -> dict[Pair, int]:
        """Give (item id, location id) pairs an owner id (kept if they have one) and answer it."""
        return await item_location.add(self.conn, self.account_id, pairs)

    async def remove_names(
        self, owner_type: OwnerType, owner_id: int, names: Sequence[str]
    ) -> None:
        """Delete the owner's attributes of these names (names it does not have are skipped)."""
        if names:
            await self.conn.execute(
                delete(attributes).where(
                    attributes.c.account_id == self.account_id,
                    attributes.c.owner_type == owner_type.value,
                    attributes.c.owner_id == owner_id,
                    attributes.c.name.in_(sorted(set(names))),
                )
            )

    async def set_on_many(
        self,
        owner_type: OwnerType,
        owner_ids: Sequence[int],
        values: Sequence[Attribute],
        *,
        flag: bool = True,
    ) -> None:
        """Set each attribute on each owner: created when missing, value replaced otherwise.

        Rows are written in (owner id, name) order, so two concurrent calls on the same
        owners lock them in the same order and cannot deadlock on PostgreSQL. ``flag=False``
        when the owners' order was written flagged already (a new order's values).
        """
        if flag:
            await self._flag_orders(owner_type, owner_ids)
        now = utcnow()
        ordered = sorted(values, key=lambda attribute: attribute.name)
        statement = upsert(self.conn, attributes)
        statement = statement.on_conflict_do_update(
            index_elements=["account_id", "owner_type", "owner_id", "name"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
        for start in range(0, len(owner_ids), CHUNK):
            rows = [
                {
                    "account_id": self.account_id,
                    "owner_type": owner_type.value,
                    "owner_id": owner_id,
                    "name": attribute.name,
                    "value": attribute.value,
                    "created_at": now,
                    "updated_at": now,
                }
                for owner_id in sorted(owner_ids[start : start + CHUNK])
                for attribute in ordered
            ]
            await self.conn.execute(statement, rows)
