"""Locations and the per-account registries of names."""

from collections.abc import Iterable

from sqlalchemy import Row, Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import DuplicateError
from orderyard.domain.location import Location, NamedRecord
from orderyard.domain.values import AccountId, Address, Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.tables import locations


def _location(row: Row[tuple[object, ...]]) -> Location:
    m = row._mapping
    return Location(
        id=m["id"],
        code=m["code"],
        name=m["name"],
        kind=LocationKind(m["kind"]),
        priority=m["priority"],
        ships_orders=m["ships_orders"],
        active=m["active"],
        address=Address(
            address1=m["address1"],
            city=m["city"],
            state=m["state"],
            zip=m["zip"],
            country=m["country"],
        ),
        created_at=m["created_at"],
        latitude=m["latitude"],
        longitude=m["longitude"],
    )


class LocationRepository(TenantRepository):
    """The account's locations."""

    async def add(
        self,
        *,
        code: str,
        name: str,
        kind: LocationKind,
        priority: int,
        address: Address | None = None,
    ) -> Location:
        """Store a new location.

        Raises:
            DuplicateError: the code is taken in this account.
        """
        address = address or Address()
        values = {
            "account_id": self.account_id,
            "code": code,
            "name": name,
            "kind": kind.value,
            "priority": priority,
            "address1": address.address1,
            "city": address.city,
            "state": address.state,
            "zip": address.zip,
            "country": address.country,
            "created_at": utcnow(),
        }
        try:
            async with self.conn.begin_nested():
                row = (
                    await self.conn.execute(insert(locations).values(values).returning(locations))
                ).one()
        except IntegrityError as error:
            if violates(error, "locations", "account_id", "code"):
                raise DuplicateError(
                    f"location code {code!r} already exists", field="code"
                ) from error
            raise
        return _location(row)

    async def find(self, location_id: int) -> Location | None:
        """The location with this id in this account, or None."""
        row = (
            await self.conn.execute(
                select(locations).where(
                    locations.c.account_id == self.account_id, locations.c.id == location_id
                )
            )
        ).one_or_none()
        return None if row is None else _location(row)

    async def find_by_code(self, code: str) -> Location | None:
        """The location with this code in this account, or None."""
        row = (
            await self.conn.execute(
                select(locations).where(
                    locations.c.account_id == self.account_id, locations.c.code == code
                )
            )
        ).one_or_none()
        return None if row is None else _location(row)

    async def ids_by_code(self, codes: Iterable[str]) -> dict[str, int]:
        """Map the given codes to location ids; unknown codes are absent."""
        rows = await self.conn.execute(
            select(locations.c.code, locations.c.id).where(
                locations.c.account_id == self.account_id, locations.c.code.in_(set(codes))
            )
        )
        return dict(rows.all())

    async def all(self) -> list[Location]:
        """Every location of the account, by priority then id."""
        rows = await self.conn.execute(
            select(locations)
            .where(locations.c.account_id == self.account_id)
            .order_by(locations.c.priority, locations.c.id)
        )
        return [_location(row) for row in rows]


class RegistryRepository(TenantRepository):
    """One per-account registry of unique names (suppliers, shipping methods, ...)."""

    def __init__(self, conn: AsyncConnection, account_id: AccountId, table: Table) -> None:
        super().__init__(conn, account_id)
        self.table = table

    async def add(self, name: str) -> NamedRecord:
        """Register a name.

        Raises:
            DuplicateError: the name is already registered.
        """
        try:
            async with self.conn.begin_nested():
                row = (
                    await self.conn.execute(
                        insert(self.table)
                        .values(account_id=self.account_id, name=name, created_at=utcnow())
                        .returning(self.table.c.id, self.table.c.name, self.table.c.created_at)
                    )
                ).one()
        except IntegrityError as error:
            raise DuplicateError(f"{name!r} is already registered", field="name") from error
        return NamedRecord(row.id, row.name, row.created_at)

    async def id_of(self, name: str) -> int | None:
        """The id registered under ``name`` (exact, case-sensitive), or None."""
        return (
            await self.conn.execute(
                select(self.table.c.id).where(
                    self.table.c.account_id == self.account_id, self.table.c.name == name
                )
            )
        ).scalar_one_or_none()

    async def find(self, record_id: int) -> NamedRecord | None:
        """The entry with this id, or None."""
        row = (
            await self.conn.execute(
                select(self.table.c.id, self.table.c.name, self.table.c.created_at).where(
                    self.table.c.account_id == self.account_id, self.table.c.id == record_id
                )
            )
        ).one_or_none()
        return None if row is None else NamedRecord(row.id, row.name, row.created_at)

    async def page(self, page: PageRequest) -> Page[NamedRecord]:
        """A page of entries, by id."""
        scoped = self.table.c.account_id == self.account_id
        total = (
            await self.conn.execute(select(func.count()).select_from(self.table).where(scoped))
        ).scalar_one()
        rows = await self.conn.execute(
            select(self.table.c.id, self.table.c.name, self.table.c.created_at)
            .where(scoped)
            .order_by(self.table.c.id)
            .limit(page.per_page)
            .offset(page.offset)
        )
        return Page([NamedRecord(r.id, r.name, r.created_at) for r in rows], total, page)
