"""Bodies of the Images and Notes APIs (docs/dialects/orderdynamics.md, "Images", "Notes").

A file comes either base64-encoded in JSON (``Base64Content``) or as a part of a
``multipart/form-data`` body; the JSON shapes are below, the multipart ones in ``FORMS``.
"""

from datetime import datetime
from typing import Annotated, Any, Final

from pydantic import Field

from orderyard.dialects.orderdynamics.wire import WireIn, WireOut

FILES_MAX: Final = 20
"""Files one request may carry."""
FileName = Annotated[str, Field(max_length=255, description="Kept and sent back as sent.")]
ContentType = Annotated[
    str,
    Field(
        max_length=130,
        description="The file's media type (`image/png`); empty: the type the bytes are.",
    ),
]
Base64 = Annotated[str, Field(description="The file's bytes, base64 (RFC 4648, padded).")]
Key = Annotated[str, Field(min_length=1, max_length=200)]


class ImageFileIn(WireIn):
    """One image: its bytes (`Base64Content`) or a URL to record as is (`Url`), one of two."""

    file_name: FileName = ""
    content_type: ContentType = ""
    base64_content: Base64 | None = None
    url: Annotated[
        str | None,
        Field(max_length=2000, description="An http(s) URL, recorded without being fetched."),
    ] = None


class OwnerIn(WireIn):
    """A product (`OwnerName` `Product`, `OwnerID` its backend name) or an item (its SKU)."""

    owner_name: Annotated[str, Field(alias="OwnerName", min_length=1, max_length=16)]
    owner_id: Annotated[str, Field(alias="OwnerID", min_length=1, max_length=200)]


class ImagesIn(OwnerIn):
    """Images for one product or item."""

    images: Annotated[list[ImageFileIn], Field(min_length=1, max_length=FILES_MAX)]


class AttachmentIn(WireIn):
    """One file attached to a note."""

    file_name: FileName = ""
    content_type: Annotated[
        str,
        Field(max_length=130, description="Kept as sent; empty: `application/octet-stream`."),
    ] = ""
    base64_content: Base64


class NoteFieldsIn(WireIn):
    """A note on a record: `TableName` (Order, Customer, Item, Product) and its `KeyValue`."""

    table_name: Annotated[str, Field(min_length=1, max_length=16)]
    key_value: Key
    note_text: Annotated[str, Field(min_length=1)]


class NoteIn(NoteFieldsIn):
    """A note and its attachments."""

    attachments: Annotated[list[AttachmentIn], Field(default_factory=list, max_length=FILES_MAX)]


class NoteTextIn(WireIn):
    """A note's new text (absent or null: unchanged)."""

    note_text: str | None = None


class NotePatchIn(NoteTextIn):
    """A note's new text and files to attach to it."""

    attachments: Annotated[list[AttachmentIn], Field(default_factory=list, max_length=FILES_MAX)]


class ImageOut(WireOut):
    """One image: where to fetch it (`Url`), and what it is when stored here."""

    image_id: int
    file_name: str
    content_type: str | None
    size: int | None
    url: str
    """``GET /v1/images/Content?ImageId=`` for a stored image; the recorded URL otherwise."""
    is_stored: bool
    created_date_time_utc: datetime


class ImagesOut(WireOut):
    """An owner's images created by the request."""

    owner_name: str
    owner_id: str = Field(alias="OwnerID")
    images: list[ImageOut]


class ImagesDeletedOut(WireOut):
    """How many images an owner had."""

    owner_name: str
    owner_id: str = Field(alias="OwnerID")
    deleted_count: int


class AttachmentOut(WireOut):
    """A file attached to a note, fetched at `Url`."""

    attachment_id: int
    file_name: str
    content_type: str
    size: int
    url: str
    created_date_time_utc: datetime


class NoteOut(WireOut):
    """A note and its attachments."""

    note_id: int
    table_name: str
    key_value: str
    note_text: str
    created_by: str
    created_date_time_utc: datetime
    last_updated_date_time_utc: datetime
    attachments: list[AttachmentOut]


def _form(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required}


_FILES: Final = {"type": "array", "items": {"type": "string", "format": "binary"}}
FORMS: Final[dict[str, dict[str, Any]]] = {
    "ImagesForm": _form(
        {
            "OwnerName": {"type": "string", "enum": ["Product", "Item"]},
            "OwnerID": {"type": "string", "maxLength": 200},
            "Images": _FILES,
            "Url": {"type": "array", "items": {"type": "string", "maxLength": 2000}},
        },
        ["OwnerName", "OwnerID"],
    ),
    "NoteForm": _form(
        {
            "TableName": {"type": "string", "enum": ["Order", "Customer", "Item", "Product"]},
            "KeyValue": {"type": "string", "maxLength": 200},
            "NoteText": {"type": "string"},
            "Attachments": _FILES,
        },
        ["TableName", "KeyValue", "NoteText"],
    ),
    "NotePatchForm": _form({"NoteText": {"type": "string"}, "Attachments": _FILES}, []),
}
"""The ``multipart/form-data`` bodies: text fields, and files as parts with a file name
and a ``Content-Type`` (each part's type is its declared type)."""
DOCUMENTED: Final = (ImagesIn, NoteIn, NotePatchIn)
"""The JSON bodies the app adds to its OpenAPI components (``app.py``)."""


def request_body(json_model: type[WireIn], form: str) -> dict[str, Any]:
    """An ``openapi_extra`` request body: the JSON model or the multipart form."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": f"#/components/schemas/{json_model.__name__}"}
                },
                "multipart/form-data": {"schema": {"$ref": f"#/components/schemas/{form}"}},
            },
        }
    }
