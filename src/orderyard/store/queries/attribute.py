"""Attribute reads: one owner's attributes a page at a time, or several owners' at once."""

from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, BigInteger, Row, Select, and_, any_, bindparam, or_, select

from orderyard.domain.attribute import OwnerKey, OwnerType, StoredAttribute
from orderyard.domain.values import Page, PageRequest
from orderyard.store.driver import DriverStatement
from orderyard.store.planning import unseen, unseen_array
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories import item_location
from orderyard.store.repositories.attribute import find_owner, values_of
from orderyard.store.repositories.item_location import Pair
from orderyard.store.scope import TenantScoped
from orderyard.store.tables import Id, attributes


@cache
def _of_owners(kinds: tuple[OwnerType, ...], *, postgres: bool) -> Select[Any]:
    """Attributes of owners of ``kinds``, each kind's ids one list parameter ``ids_<kind>``.

    Built once per set of kinds; on PostgreSQL the lists are arrays (``= ANY``), so the
    statement keeps one text whatever the number of ids, and is sent on the driver.
    """
    name: Any = attributes.c.name.collate("C") if postgres else attributes.c.name
    account: Any = bindparam("account_id", type_=Id)
    wanted = []
    for kind in kinds:
        ids = bindparam(f"ids_{kind.value}", type_=ARRAY(BigInteger), expanding=not postgres)
        among = (
            attributes.c.owner_id == any_(unseen_array(ids))
            if postgres
            else (attributes.c.owner_id.in_(ids))
        )
        wanted.append(and_(attributes.c.owner_type == kind.value, among))
    return (
        select(
            attributes.c.owner_type,
            attributes.c.owner_id,
            attributes.c.name,
            attributes.c.value,
            attributes.c.created_at,
            attributes.c.updated_at,
        )
        .where(attributes.c.account_id == (unseen(account) if postgres else account), or_(*wanted))
        .order_by(attributes.c.owner_type, attributes.c.owner_id, name)
    )


@cache
def _pg_of_owners(kinds: tuple[OwnerType, ...]) -> DriverStatement:
    return DriverStatement(_of_owners(kinds, postgres=True))


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

    async def of_owners(
        self, owners: Mapping[OwnerType, Sequence[int]]
    ) -> dict[OwnerType, dict[int, list[StoredAttribute]]]:
        """The attributes of owners of several types, by type and owner id: one statement.

        An order's, its lines' and its payments', say; each owner's by name (code points).
        """
        found: dict[OwnerType, dict[int, list[StoredAttribute]]] = {kind: {} for kind in owners}
        kinds = tuple(kind for kind, ids in owners.items() if ids)
        if not kinds:
            return found
        params: dict[str, Any] = {"account_id": self.account_id}
        for kind in kinds:
            params[f"ids_{kind.value}"] = sorted(set(owners[kind]))
        if self.conn.dialect.name == "postgresql":
            rows: Sequence[Any] = await _pg_of_owners(kinds).fetch(self.conn, params)
        else:
            rows = (await self.conn.execute(_of_owners(kinds, postgres=False), params)).all()
        for kind, owner_id, name, value, created_at, updated_at in rows:
            at = found[OwnerType(kind)].setdefault(owner_id, [])
            at.append(StoredAttribute(name, value, created_at, updated_at))
        return found
