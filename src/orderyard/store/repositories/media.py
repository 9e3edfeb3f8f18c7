"""Images and notes: their rows, and the records they are attached to.

The bytes live in the blob store (``kit/storage.py``); these rows hold their keys. Used by
the write and the read units of work alike (the reads are plain selects).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Select, Table, delete, insert, select, update

from orderyard.domain.media import (
    AttachmentRecord,
    ImageOwner,
    ImageRecord,
    NoteRecord,
    NoteSort,
    NoteTable,
    StoredFile,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.clock import utcnow
from orderyard.store.queries.paging import bounded_count
from orderyard.store.repositories.base import TenantRepository
from orderyard.store.tables import (
    customers,
    images,
    items,
    note_attachments,
    notes,
    orders,
    products,
)

KEYS: dict[str, tuple[Table, Column[Any]]] = {
    NoteTable.ORDER: (orders, orders.c.id),
    NoteTable.CUSTOMER: (customers, customers.c.id),
    NoteTable.ITEM: (items, items.c.sku),
    NoteTable.PRODUCT: (products, products.c.backend_name),
}
"""How each kind of record is found by its key (image owners are items and products)."""


def _file(row: Mapping[Any, Any]) -> StoredFile:
    return StoredFile(row["storage_key"], row["file_name"], row["content_type"], row["byte_size"])


def image_from_row(row: Mapping[Any, Any]) -> ImageRecord:
    """The image an ``images`` row holds."""
    return ImageRecord(
        id=row["id"],
        owner_name=ImageOwner(row["owner_name"]),
        owner_key=row["owner_key"],
        file=None if row["storage_key"] is None else _file(row),
        source_url=row["source_url"],
        created_at=row["created_at"],
    )


def attachment_from_row(row: Mapping[Any, Any]) -> AttachmentRecord:
    """The attachment a ``note_attachments`` row holds."""
    return AttachmentRecord(row["id"], row["note_id"], _file(row), row["created_at"])


def note_from_row(row: Mapping[Any, Any], attached: Sequence[AttachmentRecord]) -> NoteRecord:
    """The note a ``notes`` row holds, with its attachments."""
    return NoteRecord(
        id=row["id"],
        table_name=NoteTable(row["table_name"]),
        key_value=row["key_value"],
        text=row["note_text"],
        actor=row["actor"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        attachments=tuple(attached),
    )


class MediaRepository(TenantRepository):
    """The account's images, notes and note attachments."""

    async def record_id(self, table: str, key: str | int) -> int | None:
        """The id of the account's record of ``table`` whose key is ``key``, if any."""
        source, column = KEYS[table]
        found = await self.conn.execute(
            select(source.c.id).where(source.c.account_id == self.account_id, column == key)
        )
        return found.scalar_one_or_none()

    async def add_image(
        self,
        owner: tuple[ImageOwner, int, str],
        file: StoredFile | None,
        source_url: str | None,
    ) -> ImageRecord:
        """Insert one image of ``owner`` (name, id, key as sent): a stored file or a URL."""
        name, owner_id, owner_key = owner
        values = {
            "account_id": self.account_id,
            "owner_name": name.value,
            "owner_id": owner_id,
            "owner_key": owner_key,
            "storage_key": None if file is None else file.storage_key,
            "file_name": "" if file is None else file.file_name,
            "content_type": None if file is None else file.content_type,
            "byte_size": None if file is None else file.byte_size,
            "source_url": source_url,
            "created_at": utcnow(),
        }
        row = (await self.conn.execute(insert(images).values(values).returning(images))).one()
        return image_from_row(row._mapping)

    def _of_owner(self, name: ImageOwner, owner_id: int) -> Select[Any]:
        return select(images).where(
            images.c.account_id == self.account_id,
            images.c.owner_name == name.value,
            images.c.owner_id == owner_id,
        )

    async def remove_images(self, name: ImageOwner, owner_id: int) -> list[ImageRecord]:
        """Delete every image of the owner; the images deleted, oldest first."""
        rows = await self.conn.execute(self._of_owner(name, owner_id).order_by(images.c.id))
        found = [image_from_row(row._mapping) for row in rows]
        await self.conn.execute(
            delete(images).where(
                images.c.account_id == self.account_id,
                images.c.id.in_([image.id for image in found]),
            )
        )
        return found

    async def image(self, image_id: int) -> ImageRecord | None:
        """The account's image ``image_id``."""
        rows = await self.conn.execute(
            select(images).where(images.c.account_id == self.account_id, images.c.id == image_id)
        )
        row = rows.one_or_none()
        return None if row is None else image_from_row(row._mapping)

    async def add_note(self, on: tuple[NoteTable, int, str], text: str, *, actor: str) -> int:
        """Insert a note on the record ``on`` (table, id, key as sent) by ``actor``; its id."""
        table, record_id, key_value = on
        now = utcnow()
        values = {
            "account_id": self.account_id,
            "table_name": table.value,
            "record_id": record_id,
            "key_value": key_value,
            "note_text": text,
            "actor": actor,
            "created_at": now,
            "updated_at": now,
        }
        inserted = await self.conn.execute(insert(notes).values(values).returning(notes.c.id))
        note_id: int = inserted.scalar_one()
        return note_id

    async def change_note(self, note_id: int, text: str | None) -> None:
        """Set the note's text (when given) and its last change to now."""
        values: dict[str, Any] = {"updated_at": utcnow()}
        if text is not None:
            values["note_text"] = text
        await self.conn.execute(
            update(notes)
            .where(notes.c.account_id == self.account_id, notes.c.id == note_id)
            .values(values)
        )

    async def add_attachment(self, note_id: int, file: StoredFile) -> AttachmentRecord:
        """Attach a stored file to the note."""
        values = {
            "account_id": self.account_id,
            "note_id": note_id,
            "storage_key": file.storage_key,
            "file_name": file.file_name,
            "content_type": file.content_type,
            "byte_size": file.byte_size,
            "created_at": utcnow(),
        }
        inserted = insert(note_attachments).values(values).returning(note_attachments)
        return attachment_from_row((await self.conn.execute(inserted)).one()._mapping)

    async def note(self, note_id: int, *, for_update: bool = False) -> NoteRecord | None:
        """The account's note ``note_id`` with its attachments (its row locked if asked)."""
        query = select(notes).where(notes.c.account_id == self.account_id, notes.c.id == note_id)
        row = (await self.conn.execute(query.with_for_update() if for_update else query)).first()
        if row is None:
            return None
        return note_from_row(row._mapping, (await self._attached([note_id])).get(note_id, []))

    async def notes_of(
        self, table: NoteTable, record_id: int, page: PageRequest, sort: tuple[NoteSort, bool]
    ) -> Page[NoteRecord]:
        """A page of the notes on one record, by ``sort`` (column, descending) then id."""
        column, descending = sort
        matching = select(notes).where(
            notes.c.account_id == self.account_id,
            notes.c.table_name == table.value,
            notes.c.record_id == record_id,
        )
        keys = (notes.c[column.value], notes.c.id) if column is not NoteSort.ID else (notes.c.id,)
        order = [key.desc() for key in keys] if descending else list(keys)
        rows = list(
            await self.conn.execute(
                matching.order_by(*order).limit(page.per_page).offset(page.offset)
            )
        )
        attached = await self._attached([row.id for row in rows])
        found = [note_from_row(row._mapping, attached.get(row.id, [])) for row in rows]
        total, exact = await bounded_count(
            self.conn,
            matching,
            page,
            along=(notes.c.account_id, notes.c.table_name, notes.c.record_id, notes.c.id),
        )
        return Page(found, total, page, count_is_exact=exact)

    async def _attached(self, note_ids: Sequence[int]) -> dict[int, list[AttachmentRecord]]:
        if not note_ids:
            return {}
        rows = await self.conn.execute(
            select(note_attachments)
            .where(
                note_attachments.c.account_id == self.account_id,
                note_attachments.c.note_id.in_(note_ids),
            )
            .order_by(note_attachments.c.id)
        )
        attached: dict[int, list[AttachmentRecord]] = {}
        for row in rows:
            attached.setdefault(row.note_id, []).append(attachment_from_row(row._mapping))
        return attached

    async def attachment(self, attachment_id: int) -> AttachmentRecord | None:
        """The account's note attachment ``attachment_id``."""
        rows = await self.conn.execute(
            select(note_attachments).where(
                note_attachments.c.account_id == self.account_id,
                note_attachments.c.id == attachment_id,
            )
        )
        row = rows.one_or_none()
        return None if row is None else attachment_from_row(row._mapping)
