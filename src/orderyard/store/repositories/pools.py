"""Inventory pools and pool groups of the account (virtual inventory's definitions).

Read and written through this one repository (the read unit of work holds it too): an
account has few pools, and every read is an index range of a key led by the account. The
writes that name other records lock them for share (a pool's locations, a group's pools), so
a concurrent delete of one of them waits, then sees the new member and refuses.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, Select, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from orderyard.domain.errors import DuplicateError
from orderyard.domain.values import Page, PageRequest
from orderyard.domain.virtual_inventory import Calculation, InventoryPool, PoolGroup
from orderyard.kit.clock import utcnow
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.scope import same_account
from orderyard.store.tables import (
    inventory_pool_group_members,
    inventory_pool_groups,
    inventory_pool_locations,
    inventory_pools,
    locations,
)

pools = inventory_pools
groups = inventory_pool_groups
members = inventory_pool_group_members


class PoolRepository(TenantRepository):
    """The account's inventory pools and pool groups."""

    def _named(self, table: Table, names: Iterable[str]) -> Select[Any]:
        return select(table).where(
            table.c.account_id == self.account_id, table.c.internal_name.in_(sorted(set(names)))
        )

    def _by_name(self, table: Table) -> Any:
        """The internal name column, in code-point order on both backends."""
        name: Any = table.c.internal_name
        return name.collate("C") if self.conn.dialect.name == "postgresql" else name

    async def location_ids(self, codes: Iterable[str]) -> dict[str, int]:
        """The live locations of these codes, locked for share; unknown codes are absent."""
        statement = (
            select(locations.c.code, locations.c.id)
            .where(
                locations.c.account_id == self.account_id,
                locations.c.deleted_at.is_(None),
                locations.c.code.in_(sorted(set(codes))),
            )
            .with_for_update(read=True)
        )
        rows = await self.conn.execute(statement)
        return {row.code: row.id for row in rows}

    async def add_pool(
        self, name: str, display_name: str, calculation: Calculation, location_ids: Sequence[int]
    ) -> None:
        """Store a new pool over ``location_ids``.

        Raises:
            DuplicateError: the account has a pool of that internal name.
        """
        values = {
            "account_id": self.account_id,
            "internal_name": name,
            "display_name": display_name,
            "percentage": calculation.percentage,
            "buffer": calculation.buffer,
            "created_at": utcnow(),
        }
        pool_id = await self._insert(pools, values, f"inventory pool {name!r}")
        await self.set_pool_locations(pool_id, location_ids)

    async def _insert(self, table: Table, values: dict[str, Any], what: str) -> int:
        try:
            async with self.conn.begin_nested():
                inserted = await self.conn.execute(
                    insert(table).values(values).returning(table.c.id)
                )
        except IntegrityError as error:
            if violates(error, table.name, "account_id", "internal_name"):
                raise DuplicateError(f"{what} already exists", field="internal_name") from error
            raise
        return int(inserted.scalar_one())

    async def pools_by_names(
        self, names: Iterable[str], *, lock: bool = False
    ) -> dict[str, InventoryPool]:
        """The pools of these internal names (unknown ones are absent); ``lock``: for share."""
        statement = self._named(pools, names)
        if lock:
            statement = statement.with_for_update(read=True)
        return {pool.internal_name: pool for pool in await self._pools(statement)}

    async def lock_pool(self, name: str) -> InventoryPool | None:
        """The pool of this internal name, locked for a change or a delete; None if none."""
        found = await self._pools(self._named(pools, [name]).with_for_update())
        return found[0] if found else None

    async def pool_page(self, page: PageRequest) -> Page[InventoryPool]:
        """A page of the account's pools, by internal name (code-point order)."""
        mine = select(pools).where(pools.c.account_id == self.account_id)
        found = await self._pools(
            mine.order_by(self._by_name(pools)).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, mine, page)
        return Page(found, total, page, count_is_exact=exact)

    async def _pools(self, statement: Select[Any]) -> list[InventoryPool]:
        """The pools ``statement`` selects (in its order), each with its locations by code."""
        rows = (await self.conn.execute(statement)).all()
        if not rows:
            return []
        placed = await self.conn.execute(
            select(inventory_pool_locations.c.pool_id, locations.c.code, locations.c.id)
            .join(
                locations,
                same_account(locations, inventory_pool_locations)
                & (locations.c.id == inventory_pool_locations.c.location_id),
            )
            .where(
                inventory_pool_locations.c.account_id == self.account_id,
                inventory_pool_locations.c.pool_id.in_([row.id for row in rows]),
            )
        )
        where: dict[int, list[tuple[str, int]]] = {}
        for pool_id, code, location_id in placed:
            where.setdefault(pool_id, []).append((code, location_id))
        return [_pool(row, sorted(where.get(row.id, []))) for row in rows]

    async def save_pool(self, pool_id: int, display_name: str, calculation: Calculation) -> None:
        """Write a pool's display name and calculation."""
        await self.conn.execute(
            update(pools)
            .where(pools.c.account_id == self.account_id, pools.c.id == pool_id)
            .values(
                display_name=display_name,
                percentage=calculation.percentage,
                buffer=calculation.buffer,
            )
        )

    async def set_pool_locations(self, pool_id: int, location_ids: Sequence[int]) -> None:
        """Make ``location_ids`` the pool's locations."""
        await self._replace(
            inventory_pool_locations, "pool_id", pool_id, "location_id", location_ids
        )

    async def _replace(
        self, table: Table, owner: str, owner_id: int, member: str, member_ids: Sequence[int]
    ) -> None:
        await self.conn.execute(
            delete(table).where(table.c.account_id == self.account_id, table.c[owner] == owner_id)
        )
        if member_ids:
            await self.conn.execute(
                insert(table),
                [
                    {"account_id": self.account_id, owner: owner_id, member: member_id}
                    for member_id in member_ids
                ],
            )

    async def remove_pool(self, pool_id: int) -> None:
        """Delete a pool that no group holds, with its locations."""
        await self._replace(inventory_pool_locations, "pool_id", pool_id, "location_id", [])
        await self.conn.execute(
            delete(pools).where(pools.c.account_id == self.account_id, pools.c.id == pool_id)
        )

    async def groups_of_pool(self, pool_id: int) -> list[str]:
        """The internal names of the groups holding the pool (code-point order)."""
        rows = await self.conn.execute(
            select(groups.c.internal_name)
            .join(members, same_account(members, groups) & (members.c.group_id == groups.c.id))
            .where(members.c.account_id == self.account_id, members.c.pool_id == pool_id)
        )
        return sorted(rows.scalars())

    async def pools_of_location(self, location_id: int) -> list[str]:
        """The internal names of the pools combining the location (code-point order)."""
        rows = await self.conn.execute(
            select(pools.c.internal_name)
            .join(
                inventory_pool_locations,
                same_account(inventory_pool_locations, pools)
                & (inventory_pool_locations.c.pool_id == pools.c.id),
            )
            .where(
                inventory_pool_locations.c.account_id == self.account_id,
                inventory_pool_locations.c.location_id == location_id,
            )
        )
        return sorted(rows.scalars())

    async def add_group(self, name: str, display_name: str, pool_ids: Sequence[int]) -> None:
        """Store a new group of ``pool_ids``.

        Raises:
            DuplicateError: the account has a group of that internal name.
        """
        values = {
            "account_id": self.account_id,
            "internal_name": name,
            "display_name": display_name,
            "created_at": utcnow(),
        }
        group_id = await self._insert(groups, values, f"inventory pool group {name!r}")
        await self.set_group_pools(group_id, pool_ids)

    async def groups_by_names(self, names: Iterable[str]) -> dict[str, PoolGroup]:
        """The groups of these internal names (unknown ones are absent)."""
        return {
            group.internal_name: group for group in await self._groups(self._named(groups, names))
        }

    async def lock_group(self, name: str) -> PoolGroup | None:
        """The group of this internal name, locked for a change or a delete; None if none."""
        found = await self._groups(self._named(groups, [name]).with_for_update())
        return found[0] if found else None

    async def group_page(self, page: PageRequest) -> Page[PoolGroup]:
        """A page of the account's groups, by internal name (code-point order)."""
        mine = select(groups).where(groups.c.account_id == self.account_id)
        found = await self._groups(
            mine.order_by(self._by_name(groups)).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, mine, page)
        return Page(found, total, page, count_is_exact=exact)

    async def _groups(self, statement: Select[Any]) -> list[PoolGroup]:
        rows = (await self.conn.execute(statement)).all()
        if not rows:
            return []
        held = await self.conn.execute(
            select(members.c.group_id, pools.c.internal_name)
            .join(pools, same_account(pools, members) & (pools.c.id == members.c.pool_id))
            .where(
                members.c.account_id == self.account_id,
                members.c.group_id.in_([row.id for row in rows]),
            )
        )
        names: dict[int, list[str]] = {}
        for group_id, name in held:
            names.setdefault(group_id, []).append(name)
        return [_group(row, sorted(names.get(row.id, []))) for row in rows]

    async def save_group(self, group_id: int, display_name: str) -> None:
        """Write a group's display name."""
        await self.conn.execute(
            update(groups)
            .where(groups.c.account_id == self.account_id, groups.c.id == group_id)
            .values(display_name=display_name)
        )

    async def set_group_pools(self, group_id: int, pool_ids: Sequence[int]) -> None:
        """Make ``pool_ids`` the group's pools."""
        await self._replace(members, "group_id", group_id, "pool_id", pool_ids)

    async def remove_group(self, group_id: int) -> None:
        """Delete a group (its pools stay)."""
        await self._replace(members, "group_id", group_id, "pool_id", [])
        await self.conn.execute(
            delete(groups).where(groups.c.account_id == self.account_id, groups.c.id == group_id)
        )


def _pool(row: Row[Any], placed: list[tuple[str, int]]) -> InventoryPool:
    m = row._mapping
    return InventoryPool(
        id=m["id"],
        internal_name=m["internal_name"],
        display_name=m["display_name"],
        location_codes=tuple(code for code, _ in placed),
        location_ids=tuple(location_id for _, location_id in placed),
        calculation=Calculation(m["percentage"], m["buffer"]),
        created_at=m["created_at"],
    )


def _group(row: Row[Any], pool_names: list[str]) -> PoolGroup:
    m = row._mapping
    return PoolGroup(
        id=m["id"],
        internal_name=m["internal_name"],
        display_name=m["display_name"],
        pool_names=tuple(pool_names),
        created_at=m["created_at"],
    )
