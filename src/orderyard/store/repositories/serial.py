"""Serial numbers of the account's items."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.exc import IntegrityError

from orderyard.domain.errors import DuplicateError
from orderyard.domain.serial import SerialRange
from orderyard.kit.clock import utcnow
from orderyard.store.repositories.base import TenantRepository, violates
from orderyard.store.tables import serials

CHUNK = 5000
"""Rows per statement: SQLite allows at most 32,766 bound parameters."""


class SerialRepository(TenantRepository):
    """The serials of the account, each belonging to one item."""

    async def existing(self, item_id: int, wanted: Iterable[str]) -> set[str]:
        """Which of ``wanted`` the item already has."""
        names = sorted(set(wanted))
        found: set[str] = set()
        for start in range(0, len(names), CHUNK):
            rows = await self.conn.execute(
                select(serials.c.serial).where(
                    serials.c.account_id == self.account_id,
                    serials.c.item_id == item_id,
                    serials.c.serial.in_(names[start : start + CHUNK]),
                )
            )
            found.update(rows.scalars())
        return found

    async def add(self, item_id: int, new: Sequence[str]) -> list[int]:
        """Store new serials of an item; return their ids in the order given.

        The ids are read back by serial: ``RETURNING`` in parameter order makes SQLAlchemy
        insert one row per statement on SQLite, twenty times slower for large batches.

        Raises:
            DuplicateError: a serial exists already (a concurrent request stored it first).
        """
        now = utcnow()
        rows = [
            {"account_id": self.account_id, "item_id": item_id, "serial": s, "created_at": now}
            for s in new
        ]
        try:
            async with self.conn.begin_nested():
                for start in range(0, len(rows), CHUNK):
                    await self.conn.execute(insert(serials), rows[start : start + CHUNK])
        except IntegrityError as error:
            if violates(error, "serials", "account_id", "item_id", "serial"):
                raise DuplicateError("a serial of this request already exists") from error
            raise
        ids = await self._ids(item_id, new)
        return [ids[serial] for serial in new]

    async def _ids(self, item_id: int, wanted: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(wanted), CHUNK):
            rows = await self.conn.execute(
                select(serials.c.serial, serials.c.id).where(
                    serials.c.account_id == self.account_id,
                    serials.c.item_id == item_id,
                    serials.c.serial.in_(wanted[start : start + CHUNK]),
                )
            )
            for serial, serial_id in rows:
                found[serial] = serial_id
        return found

    async def ids_in_range(self, item_id: int, span: SerialRange) -> list[int]:
        """Ids of the item's serials that ``span`` contains, in serial id order.

        SQL narrows the candidates (by prefix, or by code point order); ``span.contains`` has
        the last word, so the rule lives in one place: the domain.
        """
        rows = await self.conn.execute(
            select(serials.c.id, serials.c.serial)
            .where(
                serials.c.account_id == self.account_id,
                serials.c.item_id == item_id,
                *self._narrowing(span),
            )
            .order_by(serials.c.id)
        )
        return [serial_id for serial_id, serial in rows if span.contains(serial)]

    def _narrowing(self, span: SerialRange) -> list[ColumnElement[bool]]:
        """Conditions that keep every serial of ``span`` (a superset, never fewer).

        Text ranges compare in code point order: SQLite's default BINARY collation does;
        PostgreSQL's database collation may not, so its comparison is made in "C".
        """
        if span.prefix is not None:
            if not span.prefix:
                return []
            length = len(span.prefix)
            return [
                func.length(serials.c.serial) > length,
                func.substr(serials.c.serial, 1, length) == span.prefix,
            ]
        column: Any = serials.c.serial
        if self.conn.dialect.name == "postgresql":
            column = column.collate("C")
        return [column >= span.start, column <= span.end]
