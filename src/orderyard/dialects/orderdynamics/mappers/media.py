"""Images and notes: request bodies (JSON with base64, or multipart) to core, records to wire.

A body is JSON unless its ``Content-Type`` is ``multipart/form-data``. Files arrive whole
here: the edge (``http/guard.py``) has already refused a body past the upload routes'
limit while it was streaming in (``routes/images.py``, ``upload_limits``).
"""

import base64
import binascii
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from orderyard.dialects.orderdynamics.schemas.media import (
    FILES_MAX,
    AttachmentIn,
    AttachmentOut,
    ImageFileIn,
    ImageOut,
    ImagesIn,
    NoteOut,
)
from orderyard.dialects.orderdynamics.wire import WireIn
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.media import (
    AttachmentRecord,
    ImageOwner,
    ImageRecord,
    NoteRecord,
    Upload,
    checked_size,
)
from orderyard.services.media import ImageIn

Model = TypeVar("Model", bound=WireIn)
FORM_FIELDS_MAX = 100
"""Text fields one multipart body may carry."""


def is_form(request: Request) -> bool:
    """Whether the body is ``multipart/form-data``."""
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


async def read_form(request: Request) -> FormData:
    """The multipart body's parts (a file part past 1 MiB is spooled to a temporary file)."""
    return await request.form(max_files=FILES_MAX, max_fields=FORM_FIELDS_MAX)


async def json_body(request: Request, model: type[Model]) -> Model:
    """The JSON body as ``model``; a 400 naming each bad field as FastAPI would."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as invalid:
        raise RequestValidationError(invalid.errors()) from None


def form_model(form: FormData, model: type[Model]) -> Model:
    """The text fields of a multipart body (names in any case) as ``model``."""
    texts = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    try:
        return model.model_validate(texts)
    except ValidationError as invalid:
        raise RequestValidationError(invalid.errors()) from None


async def form_files(form: FormData, name: str, limit: int) -> list[Upload]:
    """The file parts named ``name`` (any case), each checked against ``limit`` first."""
    parts = [value for key, value in form.multi_items() if key.lower() == name.lower()]
    uploads = []
    for index, part in enumerate(parts):
        field = f"{name}[{index}]"
        if not isinstance(part, UploadFile):
            raise InvalidRequestError("must be a file part", field=field)
        checked_size(part.size or 0, limit, field)
        data = await part.read()
        uploads.append(Upload(part.filename or "", part.content_type or "", data))
    return uploads


def decoded(text: str, limit: int, field: str) -> bytes:
    """The bytes a base64 text holds, refused before decoding when they must be too many."""
    checked_size(len(text) // 4 * 3 - text[-2:].count("="), limit, field)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequestError("is not base64", field=field) from None
    if not data:
        raise InvalidRequestError("is empty", field=field)
    return data


def owner_of(name: str, key: str) -> tuple[ImageOwner, str]:
    """The owner ``OwnerName`` and ``OwnerID`` name."""
    found = next((owner for owner in ImageOwner if owner.value.lower() == name.lower()), None)
    if found is None:
        raise InvalidRequestError("must be Product or Item", field="OwnerName")
    return found, key


def images_in(body: ImagesIn, limit: int) -> list[ImageIn]:
    """The images a JSON body sends."""
    return [_image_in(image, limit, f"Images[{n}]") for n, image in enumerate(body.images)]


def _image_in(image: ImageFileIn, limit: int, field: str) -> ImageIn:
    if image.base64_content is None:
        return ImageIn(url=image.url)
    data = decoded(image.base64_content, limit, f"{field}.Base64Content")
    return ImageIn(Upload(image.file_name, image.content_type, data), url=image.url)


def attachments_in(attachments: list[AttachmentIn], limit: int) -> list[Upload]:
    """The files a JSON body attaches."""
    return [
        Upload(
            file.file_name,
            file.content_type,
            decoded(file.base64_content, limit, f"Attachments[{n}].Base64Content"),
        )
        for n, file in enumerate(attachments)
    ]


def form_urls(form: FormData) -> list[ImageIn]:
    """The ``Url`` fields of a multipart body, one image each."""
    return [
        ImageIn(url=value)
        for key, value in form.multi_items()
        if key.lower() == "url" and isinstance(value, str)
    ]


Link = Callable[[str, int], str]
"""Builds an absolute URL of this server: (path, id) -> URL."""


def link_for(request: Request) -> Link:
    """URLs of this server as the client reached it."""
    base = str(request.base_url).rstrip("/")
    return lambda path, record_id: f"{base}{path}{record_id}"


def image_out(image: ImageRecord, link: Link) -> ImageOut:
    """One image on the wire."""
    stored = image.file
    values: dict[str, Any] = {
        "image_id": image.id,
        "file_name": "" if stored is None else stored.file_name,
        "content_type": None if stored is None else stored.content_type,
        "size": None if stored is None else stored.byte_size,
        "url": image.source_url if stored is None else link(IMAGE_CONTENT, image.id),
        "is_stored": stored is not None,
        "created_date_time_utc": image.created_at,
    }
    return ImageOut(**values)


IMAGE_CONTENT = "/v1/images/Content?ImageId="
ATTACHMENT_CONTENT = "/v1/notes/Attachment?AttachmentId="


def attachment_out(attachment: AttachmentRecord, link: Link) -> AttachmentOut:
    """One note attachment on the wire."""
    return AttachmentOut(
        attachment_id=attachment.id,
        file_name=attachment.file.file_name,
        content_type=attachment.file.content_type,
        size=attachment.file.byte_size,
        url=link(ATTACHMENT_CONTENT, attachment.id),
        created_date_time_utc=attachment.created_at,
    )


def note_out(note: NoteRecord, link: Link) -> NoteOut:
    """One note on the wire."""
    return NoteOut(
        note_id=note.id,
        table_name=note.table_name.value,
        key_value=note.key_value,
        note_text=note.text,
        created_by=note.actor,
        created_date_time_utc=note.created_at,
        last_updated_date_time_utc=note.updated_at,
        attachments=[attachment_out(file, link) for file in note.attachments],
    )
