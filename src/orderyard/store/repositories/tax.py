"""Tax rates of the account: defined by backend name, read by page or by address.

An account has few rates (a few per country it sells to), and every read is an index range
of a key led by the account: by id, by rate, by backend name (unique) or by country. The
rates of an address are ONE statement (``in_force_for``), built once, so that order
placement can ask for them without a round trip per candidate.
"""

from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    Row,
    Select,
    String,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from orderyard.domain.errors import DuplicateError
from orderyard.domain.tax import Destination, TaxRate, TaxRateSpec
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.tables import tax_rates
from orderyard.store.types import UTCDateTime

rates = tax_rates
SORTS: Final = ("id", "backend_name", "rate", "country_code")
"""The columns a page may be sorted by (each an index led by the account)."""


def _in_force_statement() -> Select[Any]:
    """The rates that apply to one destination at one moment, the most specific first.

    The order is ``domain.tax.TaxRate.precedence`` in SQL: the longest postal prefix, a
    region over none, a dated window over an undated one and the later start first, the
    lowest id. A postal prefix matches when it is the start of the address's postal code
    (``substr``, exact on both backends, where ``LIKE`` would fold case on SQLite).
    """
    postal = bindparam("at_postal", type_=String())
    at = bindparam("at_moment", type_=UTCDateTime())
    return (
        select(rates)
        .where(
            rates.c.account_id == bindparam("at_account"),
            rates.c.country_code == bindparam("at_country"),
            rates.c.region.in_(["", bindparam("at_region")]),
            func.substr(postal, 1, func.length(rates.c.postal_prefix)) == rates.c.postal_prefix,
            or_(rates.c.valid_from.is_(None), rates.c.valid_from <= at),
            or_(rates.c.valid_to.is_(None), rates.c.valid_to > at),
        )
        .order_by(
            func.length(rates.c.postal_prefix).desc(),
            (rates.c.region != "").desc(),
            rates.c.valid_from.is_(None),
            rates.c.valid_from.desc(),
            rates.c.id,
        )
    )


IN_FORCE: Final = _in_force_statement()


def _values(spec: TaxRateSpec) -> dict[str, Any]:
    return {
        "backend_name": spec.backend_name,
        "display_name": spec.display_name,
        "rate": spec.rate,
        "country_code": spec.country_code,
        "region": spec.region,
        "postal_prefix": spec.postal_prefix,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
    }


def _rate(row: Row[Any]) -> TaxRate:
    spec = TaxRateSpec(
        backend_name=row.backend_name,
        rate=row.rate,
        country_code=row.country_code,
        region=row.region,
        postal_prefix=row.postal_prefix,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        display_name=row.display_name,
    )
    return TaxRate(row.id, spec, row.created_at, row.updated_at)


class TaxRepository(TenantRepository):
    """The account's tax rates."""

    def _mine(self) -> Select[Any]:
        return select(rates).where(rates.c.account_id == self.account_id)

    async def _one(self, statement: Select[Any]) -> TaxRate | None:
        row = (await self.conn.execute(statement)).one_or_none()
        return None if row is None else _rate(row)

    async def by_name(self, name: str, *, lock: bool = False) -> TaxRate | None:
        """The rate of this backend name; ``lock``: for a change or a delete."""
        statement = self._mine().where(rates.c.backend_name == name)
        return await self._one(statement.with_for_update() if lock else statement)

    async def by_id(self, rate_id: int, *, lock: bool = False) -> TaxRate | None:
        """The rate of this id (another account's is None); ``lock``: for a change or a delete."""
        statement = self._mine().where(rates.c.id == rate_id)
        return await self._one(statement.with_for_update() if lock else statement)

    async def add(self, spec: TaxRateSpec) -> int:
        """Store a new rate; its id.

        Raises:
            DuplicateError: the account has a rate of that backend name.
        """
        now = utcnow()
        values = {**_values(spec), "account_id": self.account_id, "created_at": now}
        statement = insert(rates).values(**values, updated_at=now).returning(rates.c.id)
        return int((await self._write(statement, spec.backend_name)).scalar_one())

    async def save(self, rate_id: int, spec: TaxRateSpec) -> None:
        """Replace a rate's definition (its backend name included).

        Raises:
            DuplicateError: another rate of the account has the new backend name.
        """
        statement = (
            update(rates)
            .where(rates.c.account_id == self.account_id, rates.c.id == rate_id)
            .values(**_values(spec), updated_at=utcnow())
        )
        await self._write(statement, spec.backend_name)

    async def _write(self, statement: Any, name: str) -> Any:
        try:
            async with self.conn.begin_nested():
                return await self.conn.execute(statement)
        except IntegrityError as error:
            if violates(error, rates.name, "account_id", "backend_name"):
                raise DuplicateError(
                    f"tax rate {name!r} already exists", field="backend_name"
                ) from error
            raise

    async def remove(self, rate_id: int) -> None:
        """Delete a rate."""
        await self.conn.execute(
            delete(rates).where(rates.c.account_id == self.account_id, rates.c.id == rate_id)
        )

    async def page(
        self, page: PageRequest, *, sort: str = "id", descending: bool = False
    ) -> Page[TaxRate]:
        """A page of the account's rates sorted by one of ``SORTS``, ties by id."""
        mine = self._mine()
        first: Any = rates.c[sort]
        if sort == "backend_name" and self.conn.dialect.name == "postgresql":
            first = first.collate("C")
        keys = [first] if sort == "id" else [first, rates.c.id]
        if sort == "country_code":
            keys = [first, rates.c.region, rates.c.postal_prefix, rates.c.id]
        ordered = [key.desc() if descending else key for key in keys]
        found = await self.conn.execute(
            mine.order_by(*ordered).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, mine, page)
        return Page([_rate(row) for row in found], total, page, count_is_exact=exact)

    async def in_force_for(self, where: Destination, at: datetime) -> list[TaxRate]:
        """Every rate that applies to ``where`` at ``at``, the one in force first: ONE statement.

        The first is ``domain.tax.in_force`` of the account's rates (tests hold the two to
        agree); the others are what it overrides, for a client that shows them.
        """
        found = await self.conn.execute(
            IN_FORCE,
            {
                "at_account": self.account_id,
                "at_country": where.country_code,
                "at_region": where.region,
                "at_postal": where.postal_code,
                "at_moment": at,
            },
        )
        return [_rate(row) for row in found]
