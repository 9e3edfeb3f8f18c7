"""Images and notes: what may be uploaded, and the records they become.

An image belongs to a catalog owner (a product or an item); a note to any record named by a
table and its key (an order, a customer, an item, a product). The bytes of an image or a
note's attachment live in a blob store (``kit/storage.py``); the rows only hold its key.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from orderyard.domain.errors import ContentTooLargeError, InvalidRequestError
from orderyard.domain.values import parse_id

IMAGE_TYPES: Final[dict[bytes, str]] = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
"""Magic bytes at the start of a file, and the image type they announce (WebP: ``sniff``)."""
IMAGE_NAMES: Final = "image/png, image/jpeg, image/gif, image/webp"
UNTYPED: Final = frozenset({"", "application/octet-stream"})
"""Declared types that say nothing: the sniffed type (image) or octet-stream (attachment)."""
MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}")
"""``type/subtype`` (RFC 6838 names), parameters left out."""
OCTET_STREAM: Final = "application/octet-stream"


class ImageOwner(StrEnum):
    """What an image belongs to; its owner id is the product's backend name or the SKU."""

    PRODUCT = "Product"
    ITEM = "Item"


class NoteTable(StrEnum):
    """The records a note may be attached to, and what their ``KeyValue`` is."""

    ORDER = "Order"
    """KeyValue: the order's internal id."""
    CUSTOMER = "Customer"
    """KeyValue: the customer's internal id."""
    ITEM = "Item"
    """KeyValue: the SKU."""
    PRODUCT = "Product"
    """KeyValue: the product's backend name."""


class NoteSort(StrEnum):
    """What a list of notes is sorted by (then by id)."""

    ID = "id"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


NUMERIC_KEYS: Final = frozenset({NoteTable.ORDER, NoteTable.CUSTOMER})


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as a client sent it: its name, its declared type and its bytes."""

    file_name: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file kept in the blob store: where, what type, how large."""

    storage_key: str
    file_name: str
    content_type: str
    byte_size: int


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """One image of an owner: stored bytes, or a URL recorded as sent."""

    id: int
    owner_name: ImageOwner
    owner_key: str
    file: StoredFile | None
    source_url: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AttachmentRecord:
    """One file attached to a note."""

    id: int
    note_id: int
    file: StoredFile
    created_at: datetime


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A note on a record, with its attachments (oldest first)."""

    id: int
    table_name: NoteTable
    key_value: str
    text: str
    actor: str
    created_at: datetime
    updated_at: datetime
    attachments: tuple[AttachmentRecord, ...] = ()


def sniff(data: bytes) -> str | None:
    """The image type the file's first bytes announce, or None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)


def checked_size(size: int, limit: int, field: str) -> int:
    """``size`` if within ``limit`` bytes.

    Raises:
        ContentTooLargeError: it is larger.
    """
    if size > limit:
        raise ContentTooLargeError(f"larger than the limit of {limit} bytes", field=field)
    return size


def _not_empty(upload: Upload, limit: int, field: str) -> None:
    checked_size(len(upload.data), limit, field)
    if not upload.data:
        raise InvalidRequestError("is empty", field=field)


def declared_type(content_type: str, field: str) -> str:
    """The media type a client declared, lower-cased and without its parameters.

    Raises:
        InvalidRequestError: not a ``type/subtype``.
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in UNTYPED:
        return kind
    if not MEDIA_TYPE.fullmatch(kind):
        raise InvalidRequestError(f"{content_type!r} is not a media type", field=field)
    return kind


def image_type(upload: Upload, limit: int, field: str) -> str:
    """The type an uploaded image is stored with: what its bytes are.

    Raises:
        ContentTooLargeError: larger than ``limit`` bytes.
        InvalidRequestError: empty, not a PNG, JPEG, GIF or WebP file, or declared as another type.
    """
    _not_empty(upload, limit, field)
    declared = declared_type(upload.content_type, field)
    found = sniff(upload.data)
    if found is None:
        raise InvalidRequestError(f"not an image of a known type ({IMAGE_NAMES})", field=field)
    if declared not in UNTYPED and declared != found:
        raise InvalidRequestError(f"declared {declared} but the file is {found}", field=field)
    return found


def attachment_type(upload: Upload, limit: int, field: str) -> str:
    """The type an attachment is stored with: the declared one, checked where it can be.

    A declared image type must match the bytes (they are sniffed); other types are kept as
    declared, and an undeclared file is ``application/octet-stream``.

    Raises:
        ContentTooLargeError: larger than ``limit`` bytes.
        InvalidRequestError: empty, not a media type, or an image type the bytes are not.
    """
    _not_empty(upload, limit, field)
    declared = declared_type(upload.content_type, field)
    if declared in UNTYPED:
        return OCTET_STREAM
    if declared in IMAGE_NAMES.split(", ") and sniff(upload.data) != declared:
        raise InvalidRequestError(f"declared {declared} but the file is not", field=field)
    return declared


def image_url(url: str, field: str) -> str:
    """A URL an image is recorded at (not fetched): absolute, http or https.

    Raises:
        InvalidRequestError: anything else.
    """
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url, flags=re.IGNORECASE):
        raise InvalidRequestError("must be an absolute http or https URL", field=field)
    return url


def note_key(table: NoteTable, key_value: str, field: str) -> str | int:
    """The key a note's record is looked up by: an id for orders and customers.

    Raises:
        InvalidRequestError: an id that is not a positive integer, or an empty key.
    """
    value = key_value.strip()
    if not value:
        raise InvalidRequestError("is required", field=field)
    if table in NUMERIC_KEYS:
        number = parse_id(value)
        if number is None:
            raise InvalidRequestError(f"{table.value} ids are positive integers", field=field)
        return number
    return value
