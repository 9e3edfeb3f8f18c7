"""Attribute reads: one owner's attributes a page at a time, or several owners' at once."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, and_, or_, select

from orderyard.domain.attribute import OwnerKey, OwnerType, StoredAttribute
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories import item_location
from orderyard.store.repositories.attribute import find_owner, values_of
from orderyard.store.repositories.item_location import Pair
from orderyard.store.scope import TenantScoped
from orderyard.store.tables import attributes


def _stored(row: Row[Any]) -> StoredAttribute:
    m = row._mapping
    return StoredAttribute(m["name"], m["value"], m["created_at"], m["updated_at"])


class AttributeQueries(TenantScoped):
    """Read-only access to the attributes of the account's records."""

    async def find_owner(self, owner_type: OwnerType, key: OwnerKey) -> int | None:
        """The id of the owner that ``key`` names in this account, or None."""
        return await find_owner(self.conn, self.account_id, owner_type, key)

    async def values_of(
        self, owner_type: OwnerType, owner_ids: Sequence[int]
    ) -> dict[int, list[StoredAttribute]]:
        """The attributes of each owner, by name (owners without any are absent)."""
        return await values_of(self.conn, self.account_id, owner_type, owner_ids)

    async def item_location_ids(self, pairs: Iterable[Pair]) -> dict[Pair, int]:
        """The owner ids of (item id, location id) pairs; pairs that have none are absent."""
        return await item_location.ids_of(self.conn, self.account_id, pairs)

    async def page(
        self, owner_type: OwnerType, owner_id: int, page: PageRequest
    ) -> Page[StoredAttribute]:
        """A page of the owner's attributes, by name in code point order on both backends."""
        of_owner = select(attributes).where(
            attributes.c.account_id == self.account_id,
            attributes.c.owner_type == owner_type.value,
            attributes.c.owner_id == owner_id,
        )
        name: Any = attributes.c.name
        if self.conn.dialect.name == "postgresql":
            name = name.collate("C")
        rows = await self.conn.execute(
            of_owner.order_by(name).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, of_owner, page)
        return Page([_stored(row) for row in rows], total, page, count_is_exact=exact)

    async def of_orders(
        self, order_ids: Sequence[int], line_ids: Sequence[int]
    ) -> tuple[dict[int, list[StoredAttribute]], dict[int, list[StoredAttribute]]]:
        """Orders' attributes and their lines' (each by owner id), by name: one statement."""
        name: Any = attributes.c.name
        if self.conn.dialect.name == "postgresql":
            name = name.collate("C")
        owned = and_(
            attributes.c.owner_type == OwnerType.order.value,
            attributes.c.owner_id.in_(sorted(set(order_ids))),
        )
        if line_ids:
            owned = or_(
                owned,
                and_(
                    attributes.c.owner_type == OwnerType.order_line.value,
                    attributes.c.owner_id.in_(sorted(set(line_ids))),
                ),
            )
        rows = await self.conn.execute(
            select(attributes)
            .where(attributes.c.account_id == self.account_id, owned)
            .order_by(attributes.c.owner_type, attributes.c.owner_id, name)
        )
        orders: dict[int, list[StoredAttribute]] = {}
        lines: dict[int, list[StoredAttribute]] = {}
        for row in rows:
            m = row._mapping
            kept = orders if m["owner_type"] == OwnerType.order.value else lines
            kept.setdefault(m["owner_id"], []).append(_stored(row))
        return orders, lines
