"""Images and notes: files checked, kept in the blob store, and recorded in one transaction.

Every upload is checked (size, type) before anything is written. The bytes are put in the
blob store inside the write's unit of work, before its rows; if the write fails after that,
the files it put are deleted again, so a refused or failed request leaves neither rows nor
files. Deleting images removes their rows first and their files after the commit: a crash
in between leaves unreferenced files, never rows without bytes.
"""

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.media import (
    AttachmentRecord,
    ImageOwner,
    ImageRecord,
    NoteRecord,
    NoteSort,
    NoteTable,
    StoredFile,
    Upload,
    attachment_type,
    image_type,
    image_url,
    note_key,
)
from orderyard.domain.values import Page, PageRequest
from orderyard.kit.storage import BlobStore
from orderyard.store.uow import ReadUnitOfWork, UnitOfWork

NOTE_TEXT_MAX = 100_000
"""Characters in one note."""


@dataclass(frozen=True, slots=True)
class Files:
    """Where uploads go and how large one may be."""

    store: BlobStore
    max_file_bytes: int


@dataclass(frozen=True, slots=True)
class ImageIn:
    """One image to create: an upload, or a URL to record as it is."""

    upload: Upload | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Download:
    """A stored file to send back: its type, size, name and bytes."""

    file: StoredFile
    chunks: AsyncIterator[bytes]


class _Puts:
    """The files one write has put in the store, deleted again if the write fails."""

    def __init__(self, files: Files, account_id: int, kind: str) -> None:
        self.files = files
        self.prefix = f"{account_id}/{kind}"
        self.keys: list[str] = []

    async def put(self, upload: Upload, content_type: str) -> StoredFile:
        key = f"{self.prefix}/{uuid.uuid4().hex}"
        self.keys.append(key)
        await self.files.store.put(key, upload.data)
        return StoredFile(key, upload.file_name, content_type, len(upload.data))

    async def undo(self) -> None:
        for key in self.keys:
            await self.files.store.delete(key)


async def create_images(
    uow: UnitOfWork,
    files: Files,
    owner: tuple[ImageOwner, str],
    wanted: Sequence[ImageIn],
) -> list[ImageRecord]:
    """Add images to a product or an item (``owner``: its kind and key), all or none.

    Raises:
        InvalidRequestError: no image, an image neither uploaded nor linked, or a bad URL.
        ContentTooLargeError: an upload larger than the limit.
        NotFoundError: no such product or item in the account.
    """
    if not wanted:
        raise InvalidRequestError("at least one image is required", field="images")
    checked = [_checked_image(image, files, f"images[{n}]") for n, image in enumerate(wanted)]
    name, key = owner
    async with uow:
        owner_id = await uow.media.record_id(name, key)
        if owner_id is None:
            raise NotFoundError(f"{name.value.lower()} {key!r} not found", field="owner")
        puts = _Puts(files, uow.account_id, "images")
        try:
            created = []
            for image, content_type in checked:
                stored = (
                    None if image.upload is None else await puts.put(image.upload, content_type)
                )
                record = await uow.media.add_image((name, owner_id, key), stored, image.url)
                await uow.events.record(
                    "image_created", "image", record.id, {"owner": name.value, "key": key}
                )
                created.append(record)
            await uow.commit()
        except BaseException:
            await puts.undo()
            raise
    return created


def _checked_image(image: ImageIn, files: Files, field: str) -> tuple[ImageIn, str]:
    if (image.upload is None) == (image.url is None):
        raise InvalidRequestError(
            "send the image's content or its URL, one of the two", field=field
        )
    if image.upload is None:
        return image, image_url(image.url or "", field)
    return image, image_type(image.upload, files.max_file_bytes, field)


async def delete_images(uow: UnitOfWork, files: Files, owner: tuple[ImageOwner, str]) -> int:
    """Delete every image of a product or an item; how many there were.

    Raises:
        NotFoundError: no such product or item in the account.
    """
    name, key = owner
    async with uow:
        owner_id = await uow.media.record_id(name, key)
        if owner_id is None:
            raise NotFoundError(f"{name.value.lower()} {key!r} not found", field="owner")
        removed = await uow.media.remove_images(name, owner_id)
        for image in removed:
            await uow.events.record(
                "image_deleted", "image", image.id, {"owner": name.value, "key": key}
            )
        await uow.commit()
    for image in removed:
        if image.file is not None:
            await files.store.delete(image.file.storage_key)
    return len(removed)


async def image_content(read: ReadUnitOfWork, files: Files, image_id: int) -> Download:
    """The bytes of one of the account's stored images.

    Raises:
        NotFoundError: no such image in the account, or one recorded by its URL only.
    """
    async with read:
        image = await read.media.image(image_id)
    if image is None or image.file is None:
        raise NotFoundError(f"image {image_id} not found", field="image_id")
    return Download(image.file, files.store.chunks(image.file.storage_key))


@dataclass(frozen=True, slots=True)
class NoteIn:
    """A new note: the record it is about, its text, its files."""

    table_name: str
    key_value: str
    text: str
    attachments: Sequence[Upload] = ()


async def create_note(uow: UnitOfWork, files: Files, note: NoteIn) -> NoteRecord:
    """Write a note on a record of the account, with its attachments.

    Raises:
        InvalidRequestError: an unknown table, a malformed key, text too long, a bad file.
        ContentTooLargeError: an attachment larger than the limit.
        NotFoundError: no such record in the account.
    """
    table = _table(note.table_name)
    key = note_key(table, note.key_value, "key_value")
    text = _text(note.text)
    typed = _checked_attachments(note.attachments, files)
    async with uow:
        record_id = await uow.media.record_id(table, key)
        if record_id is None:
            raise NotFoundError(f"{table.value} {note.key_value!r} not found", field="key_value")
        puts = _Puts(files, uow.account_id, "notes")
        try:
            note_id = await uow.media.add_note((table, record_id, str(key)), text, actor=uow.actor)
            added = await _attach(uow, puts, note_id, typed)
            await uow.events.record(
                "note_created", "note", note_id, {"table": table.value, "attachments": added}
            )
            created = await uow.media.note(note_id)
            await uow.commit()
        except BaseException:
            await puts.undo()
            raise
    assert created is not None  # noqa: S101 - written in this transaction
    return created


async def update_note(
    uow: UnitOfWork, files: Files, note_id: int, change: tuple[str | None, Sequence[Upload]]
) -> NoteRecord:
    """Change a note's text (when given) and attach more files (``change``: text, files).

    Raises:
        InvalidRequestError: nothing to change, text too long, a bad file.
        ContentTooLargeError: an attachment larger than the limit.
        NotFoundError: no such note in the account.
    """
    text, uploads = change
    if text is None and not uploads:
        raise InvalidRequestError("send a new NoteText or attachments", field="note_text")
    new_text = None if text is None else _text(text)
    typed = _checked_attachments(uploads, files)
    async with uow:
        if await uow.media.note(note_id, for_update=True) is None:
            raise NotFoundError(f"note {note_id} not found", field="note_id")
        puts = _Puts(files, uow.account_id, "notes")
        try:
            await uow.media.change_note(note_id, new_text)
            added = await _attach(uow, puts, note_id, typed)
            await uow.events.record(
                "note_updated",
                "note",
                note_id,
                {"text_changed": new_text is not None, "attachments": added},
            )
            updated = await uow.media.note(note_id)
            await uow.commit()
        except BaseException:
            await puts.undo()
            raise
    assert updated is not None  # noqa: S101 - locked in this transaction
    return updated


async def _attach(
    uow: UnitOfWork, puts: _Puts, note_id: int, typed: Sequence[tuple[Upload, str]]
) -> list[int]:
    added = []
    for upload, content_type in typed:
        attached = await uow.media.add_attachment(note_id, await puts.put(upload, content_type))
        added.append(attached.id)
    return added


def _table(name: str) -> NoteTable:
    found = next((t for t in NoteTable if t.value.lower() == name.strip().lower()), None)
    if found is None:
        choices = ", ".join(t.value for t in NoteTable)
        raise InvalidRequestError(f"unknown table {name!r} (one of {choices})", field="table_name")
    return found


def _text(text: str) -> str:
    if not text.strip():
        raise InvalidRequestError("is required", field="note_text")
    if len(text) > NOTE_TEXT_MAX:
        raise InvalidRequestError(f"longer than {NOTE_TEXT_MAX} characters", field="note_text")
    return text


def _checked_attachments(uploads: Sequence[Upload], files: Files) -> list[tuple[Upload, str]]:
    return [
        (upload, attachment_type(upload, files.max_file_bytes, f"attachments[{n}]"))
        for n, upload in enumerate(uploads)
    ]


async def get_note(read: ReadUnitOfWork, note_id: int) -> NoteRecord:
    """One of the account's notes.

    Raises:
        NotFoundError: no such note in the account.
    """
    async with read:
        found = await read.media.note(note_id)
    if found is None:
        raise NotFoundError(f"note {note_id} not found", field="note_id")
    return found


async def notes_of(
    read: ReadUnitOfWork,
    on: tuple[str, str],
    page: PageRequest,
    sort: tuple[NoteSort, bool] = (NoteSort.ID, False),
) -> Page[NoteRecord]:
    """A page of the notes on one record (``on``: table name and key), by ``sort``.

    Raises:
        InvalidRequestError: an unknown table or a malformed key.
        NotFoundError: no such record in the account.
    """
    table = _table(on[0])
    key = note_key(table, on[1], "key_value")
    async with read:
        record_id = await read.media.record_id(table, key)
        if record_id is None:
            raise NotFoundError(f"{table.value} {on[1]!r} not found", field="key_value")
        return await read.media.notes_of(table, record_id, page, sort)


async def attachment_content(read: ReadUnitOfWork, files: Files, attachment_id: int) -> Download:
    """The bytes of one of the account's note attachments.

    Raises:
        NotFoundError: no such attachment in the account.
    """
    async with read:
        found: AttachmentRecord | None = await read.media.attachment(attachment_id)
    if found is None:
        raise NotFoundError(f"attachment {attachment_id} not found", field="attachment_id")
    return Download(found.file, files.store.chunks(found.file.storage_key))
