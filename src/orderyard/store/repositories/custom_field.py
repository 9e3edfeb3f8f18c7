"""Custom field metadata of the account: one definition per (owner type, system name).

Read and written through this one repository (the read unit of work holds it too): the
definitions are few per account, and every read of them is an index range of the unique key.
"""

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, delete, insert, select
from sqlalchemy.exc import IntegrityError

from orderyard.domain.attribute import OwnerType
from orderyard.domain.custom_field import CustomField, DataType, NewCustomField
from orderyard.domain.errors import DuplicateError
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.tables import custom_fields


def _custom_field(row: Row[Any]) -> CustomField:
    m = row._mapping
    return CustomField(
        id=m["id"],
        owner_type=OwnerType(m["owner_type"]),
        system_name=m["system_name"],
        display_name=m["display_name"],
        data_type=DataType(m["data_type"]),
        required=m["required"],
        allowed_values=tuple(json.loads(m["allowed_values"])),
        created_at=m["created_at"],
    )


class CustomFieldRepository(TenantRepository):
    """The account's custom field definitions."""

    def _of(self, owner_type: OwnerType) -> Any:
        return select(custom_fields).where(
            custom_fields.c.account_id == self.account_id,
            custom_fields.c.owner_type == owner_type.value,
        )

    async def add(self, new: NewCustomField) -> CustomField:
        """Store a new definition.

        Raises:
            DuplicateError: the owner type has a field of that system name already.
        """
        values = {
            "account_id": self.account_id,
            "owner_type": new.owner_type.value,
            "system_name": new.system_name,
            "display_name": new.display_name,
            "data_type": new.data_type.value,
            "required": new.required,
            "allowed_values": json.dumps(list(new.allowed_values)),
            "created_at": utcnow(),
        }
        try:
            async with self.conn.begin_nested():
                row = (
                    await self.conn.execute(
                        insert(custom_fields).values(values).returning(custom_fields)
                    )
                ).one()
        except IntegrityError as error:
            if violates(error, "custom_fields", "account_id", "owner_type", "system_name"):
                raise DuplicateError(
                    f"custom field {new.system_name!r} is already defined for {new.owner_type}",
                    field="system_name",
                ) from error
            raise
        return _custom_field(row)

    async def remove(self, owner_type: OwnerType, system_name: str) -> int | None:
        """Delete one definition and return its id; None when there is none of that name."""
        removed = (
            await self.conn.execute(
                delete(custom_fields)
                .where(
                    custom_fields.c.account_id == self.account_id,
                    custom_fields.c.owner_type == owner_type.value,
                    custom_fields.c.system_name == system_name,
                )
                .returning(custom_fields.c.id)
            )
        ).scalar_one_or_none()
        return None if removed is None else int(removed)

    async def required_names(self, kinds: Iterable[OwnerType]) -> dict[OwnerType, set[str]]:
        """The system names of the required fields of each owner type (all of ``kinds``)."""
        wanted = list(kinds)
        rows = await self.conn.execute(
            select(custom_fields.c.owner_type, custom_fields.c.system_name).where(
                custom_fields.c.account_id == self.account_id,
                custom_fields.c.owner_type.in_([kind.value for kind in wanted]),
                custom_fields.c.required,
            )
        )
        found: dict[OwnerType, set[str]] = {kind: set() for kind in wanted}
        for owner_type, name in rows:
            found[OwnerType(owner_type)].add(name)
        return found

    async def by_names(
        self, owner_type: OwnerType, system_names: Iterable[str]
    ) -> dict[str, CustomField]:
        """The definitions of the given names (unknown names are absent)."""
        wanted = sorted(set(system_names))
        if not wanted:
            return {}
        rows = await self.conn.execute(
            self._of(owner_type).where(custom_fields.c.system_name.in_(wanted))
        )
        return {row.system_name: _custom_field(row) for row in rows}

    async def page(self, owner_type: OwnerType, page: PageRequest) -> Page[CustomField]:
        """A page of the owner type's definitions, by system name (code point order)."""
        name: Any = custom_fields.c.system_name
        if self.conn.dialect.name == "postgresql":
            name = name.collate("C")
        of_type = self._of(owner_type)
        rows = await self.conn.execute(
            of_type.order_by(name).limit(page.per_page).offset(page.offset)
        )
        total, exact = await bounded_count(self.conn, of_type, page)
        return Page([_custom_field(row) for row in rows], total, page, count_is_exact=exact)
