"""Locations and the per-account registries of names."""

from collections.abc import Iterable

from sqlalchemy import (
    ColumnElement,
    Row,
    Table,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.catalog import LocationKind
from orderyard.domain.errors import DuplicateError
from orderyard.domain.location import Holdings, Location, NamedRecord, NewLocation
from orderyard.domain.values import AccountId, Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.addresses import LOCATION_ADDRESS
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.stock_figures import ACTIVE_RESERVED
from orderyard.store.tables import allocations, locations, stock_levels


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
        address=LOCATION_ADDRESS.read(m),
        created_at=m["created_at"],
        allows_pickup=m["allows_pickup"],
    )


class LocationRepository(TenantRepository):
    """The account's locations; deleted ones are never read back."""

    def _live(self) -> ColumnElement[bool]:
        return and_(locations.c.account_id == self.account_id, locations.c.deleted_at.is_(None))

    async def add(self, new: NewLocation) -> Location:
        """Store a new location.

        Raises:
            DuplicateError: the code is taken in this account (deleted locations keep theirs).
        """
        values = {
            "account_id": self.account_id,
            "code": new.code,
            "name": new.name,
            "kind": new.kind.value,
            "priority": new.priority,
            "ships_orders": new.ships_orders,
            "allows_pickup": new.allows_pickup,
            "active": new.active,
            **LOCATION_ADDRESS.values(new.address),
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
                    f"location code {new.code!r} already exists", field="code"
                ) from error
            raise
        return _location(row)

    async def find(self, location_id: int) -> Location | None:
        """The location with this id in this account, or None."""
        row = (
            await self.conn.execute(
                select(locations).where(self._live(), locations.c.id == location_id)
            )
        ).one_or_none()
        return None if row is None else _location(row)

    async def find_by_code(self, code: str, *, for_update: bool = False) -> Location | None:
        """The location with this code in this account, or None (locked with ``for_update``)."""
        statement = select(locations).where(self._live(), locations.c.code == code)
        row = (
            await self.conn.execute(statement.with_for_update() if for_update else statement)
        ).one_or_none()
        return None if row is None else _location(row)

    async def ids_by_code(self, codes: Iterable[str]) -> dict[str, int]:
        """Map the given codes to location ids; unknown codes are absent."""
        rows = await self.conn.execute(
            select(locations.c.code, locations.c.id).where(
                self._live(), locations.c.code.in_(set(codes))
            )
        )
        return dict(rows.all())

    async def all(self) -> list[Location]:
        """Every location of the account, by priority then id."""
        rows = await self.conn.execute(
            select(locations).where(self._live()).order_by(locations.c.priority, locations.c.id)
        )
        return [_location(row) for row in rows]

    async def page(
        self, page: PageRequest, *, kinds: frozenset[LocationKind] | None = None
    ) -> Page[Location]:
        """A page of the account's locations of ``kinds`` (all when None), by priority then id."""
        where = [self._live()]
        if kinds is not None:
            where.append(locations.c.kind.in_(sorted(kind.value for kind in kinds)))
        rows = await self.conn.execute(
            select(locations)
            .where(*where)
            .order_by(locations.c.priority, locations.c.id)
            .limit(page.per_page)
            .offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, select(locations.c.id).where(*where), page)
        return Page([_location(row) for row in rows], total, page, count_is_exact=exact)

    async def save(self, location: Location) -> None:
        """Write a location's changeable fields (everything but its code and creation)."""
        await self.conn.execute(
            update(locations)
            .where(self._live(), locations.c.id == location.id)
            .values(
                name=location.name,
                kind=location.kind.value,
                priority=location.priority,
                ships_orders=location.ships_orders,
                allows_pickup=location.allows_pickup,
                active=location.active,
                **LOCATION_ADDRESS.values(location.address),
            )
        )

    async def holdings(self, location_id: int) -> Holdings:
        """What the location holds: its stock levels' sums and its open orders."""
        held = (
            await self.conn.execute(
                select(
                    func.coalesce(func.sum(stock_levels.c.on_hand), 0),
                    func.coalesce(func.sum(stock_levels.c.allocated), 0),
                    func.coalesce(func.sum(ACTIVE_RESERVED), 0),
                ).where(
                    stock_levels.c.account_id == self.account_id,
                    stock_levels.c.location_id == location_id,
                ),
                {"now": utcnow()},
            )
        ).one()
        orders = (
            await self.conn.execute(
                select(func.count(func.distinct(allocations.c.order_id))).where(
                    allocations.c.account_id == self.account_id,
                    allocations.c.location_id == location_id,
                    allocations.c.quantity > 0,
                )
            )
        ).scalar_one()
        return Holdings(int(held[0]), int(held[1]), int(held[2]), int(orders))

    async def mark_deleted(self, location_id: int) -> None:
        """Delete a location that holds nothing: inactive, marked, its empty levels gone."""
        await self.conn.execute(
            delete(stock_levels).where(
                stock_levels.c.account_id == self.account_id,
                stock_levels.c.location_id == location_id,
            )
        )
        await self.conn.execute(
            update(locations)
            .where(self._live(), locations.c.id == location_id)
            .values(active=False, deleted_at=utcnow())
        )


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
