"""Customer reads: one by id, the search, a customer's address book."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.customer import CustomerAddress, CustomerRecord
from orderyard.domain.values import Page, PageRequest
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.customer import (
    address_from_row,
    address_lookup,
    addresses_of,
    customer_from_row,
    customer_lookup,
)
from orderyard.store.scope import TenantScoped
from orderyard.store.tables import customer_addresses, customers, events


class CustomerSort(StrEnum):
    """The orders a search can come in; each is an (account_id, column, id) index."""

    id = "id"
    external_id = "external_id"
    email = "email"
    first_name = "first_name"
    last_name = "last_name"
    phone = "phone"
    created_at = "created_at"


SEARCHED = ("first_name", "last_name", "email", "phone", "external_id")
"""The columns a keyword is looked for in."""


def _keyword_matches(keyword: str) -> ColumnElement[bool]:
    """Any searched column contains the keyword, whatever its case."""
    pattern = "%" + keyword.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(
        *(func.lower(customers.c[name]).like(pattern + "%", escape="\\") for name in SEARCHED)
    )


class CustomerQueries(TenantScoped):
    """Read-only access to the account's customers and their addresses."""

    async def get(self, field: str, value: str | int) -> CustomerRecord | None:
        """The customer whose ``field`` (id or external_id) is ``value``."""
        statement = customer_lookup(self.account_id, field, value)
        row = (await self.conn.execute(statement)).one_or_none()
        return None if row is None else customer_from_row(row._mapping)

    async def search(
        self, keyword: str, page: PageRequest, *, sort: CustomerSort, descending: bool
    ) -> Page[CustomerRecord]:
        """A page of customers whose names, e-mail, phone or external id contain ``keyword``.

        An empty keyword matches every customer. The page walks the sort's index; the
        keyword is a condition on the rows it reads (a substring cannot use an index).
        """
        conditions = [customers.c.account_id == self.account_id]
        if keyword:
            conditions.append(_keyword_matches(keyword))
        keys = (customers.c.account_id, customers.c[sort.value], customers.c.id)
        order = [key.desc() for key in keys] if descending else list(keys)
        matching = select(customers).where(*conditions)
        rows = await self.conn.execute(
            matching.order_by(*order).limit(page.per_page).offset(page.offset)
        )
        records = [customer_from_row(row._mapping) for row in rows]
        total, exact = await bounded_count(
            self.conn, matching, page, along=(customers.c.account_id, customers.c.id)
        )
        return Page(records, total, page, count_is_exact=exact)

    async def find_address(self, field: str, value: str | int) -> CustomerAddress | None:
        """The address whose ``field`` (id or external_id) is ``value``, of any customer."""
        row = (await self.conn.execute(address_lookup(self.account_id, field, value))).one_or_none()
        return None if row is None else address_from_row(row._mapping)

    async def addresses(self, customer_id: int, page: PageRequest) -> Page[CustomerAddress]:
        """A page of a customer's addresses, oldest first."""
        matching = addresses_of(self.account_id, customer_id)
        rows = await self.conn.execute(matching.limit(page.per_page).offset(page.offset))
        found = [address_from_row(row._mapping) for row in rows]
        total, exact = await bounded_count(
            self.conn,
            matching,
            page,
            along=(customer_addresses.c.account_id, customer_addresses.c.customer_id,
                   customer_addresses.c.id),
        )  # fmt: skip
        return Page(found, total, page, count_is_exact=exact)

    async def history(self, record_type: str, record_ids: Sequence[int]) -> list["EventView"]:
        """The event log's entries about these records (of this account), oldest first."""
        return await events_of(self.conn, self.account_id, record_type, record_ids)

    async def all_addresses(self, customer_id: int) -> list[CustomerAddress]:
        """Every address of a customer, oldest first (an export)."""
        rows = await self.conn.execute(addresses_of(self.account_id, customer_id))
        return [address_from_row(row._mapping) for row in rows]


@dataclass(frozen=True, slots=True)
class EventView:
    """One entry of the event log about a record: what happened, who did it, when."""

    kind: str
    actor: str
    created_at: datetime
    data: str


async def events_of(
    conn: AsyncConnection, account_id: int, record_type: str, record_ids: Sequence[int]
) -> list[EventView]:
    """The event log's entries about these records, oldest first."""
    if not record_ids:
        return []
    rows = await conn.execute(
        select(events.c.kind, events.c.actor, events.c.created_at, events.c.data)
        .where(
            events.c.account_id == account_id,
            events.c.record_type == record_type,
            events.c.record_id.in_(list(record_ids)),
        )
        .order_by(events.c.id)
    )
    return [EventView(*row) for row in rows]
