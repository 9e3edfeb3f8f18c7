"""The Images API: create images of a product or an item, delete them all, fetch one.

Bytes go to the blob store (``kit/storage.py``); each stored image is served back at the
``Url`` the API answers, ``GET /v1/images/Content?ImageId=``, to the account's callers only.
The upload routes' bodies are limited while they stream in (``upload_limits``).
"""

import re
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import media as mappers
from orderyard.dialects.orderdynamics.schemas.media import (
    ImagesDeletedOut,
    ImagesIn,
    ImagesOut,
    OwnerIn,
    request_body,
)
from orderyard.domain.values import ID_MAX
from orderyard.http.deps import app_state
from orderyard.http.guard import LargerBodies
from orderyard.services import media as media_service
from orderyard.services.media import Download, Files

IMAGES = "/v1/images"
NOTES = "/v1/notes"
BODY_SLACK = 64 * 1024
"""Room for a body's JSON or multipart framing and text fields around its files."""
router = APIRouter(tags=["images"])


async def files_of(request: Request) -> Files:
    """The server's blob store and file size limit."""
    return app_state(request).files


FilesDep = Annotated[Files, Depends(files_of)]
OwnerName = Annotated[str, Query(alias="OwnerName", max_length=16, description="Product or Item.")]
OwnerId = Annotated[
    str,
    Query(
        alias="OwnerId",
        min_length=1,
        max_length=200,
        description="The product's backend name or the SKU (`OwnerID`: names match in any case).",
    ),
]


def upload_limits(max_file_bytes: int) -> tuple[LargerBodies, ...]:
    """The upload routes' body limit: one largest file, base64-encoded, plus framing.

    ``RequestGuard`` counts the body as it streams in and answers 413 once it passes the
    limit, so a body far larger than the limit is never held whole.
    """
    limit = -(-max_file_bytes // 3) * 4 + BODY_SLACK
    return tuple(
        LargerBodies(method, re.compile(re.escape(path) + "/?", re.IGNORECASE), limit)
        for method, path in (("POST", IMAGES), ("POST", NOTES), ("PUT", NOTES))
    )


@router.post(
    IMAGES,
    status_code=201,
    response_model=ImagesOut,
    responses=documented(404, 413),
    openapi_extra=request_body(ImagesIn, "ImagesForm"),
    name="Create images for entities",
)
async def create_images(request: Request, uow: UowDep, files: FilesDep) -> ImagesOut:
    """Add images to a product or an item: uploaded (base64 JSON or multipart) or linked."""
    limit = files.max_file_bytes
    if mappers.is_form(request):
        form = await mappers.read_form(request)
        body = mappers.form_model(form, OwnerIn)
        uploads = await mappers.form_files(form, "Images", limit)
        wanted = [media_service.ImageIn(upload) for upload in uploads] + mappers.form_urls(form)
    else:
        sent = await mappers.json_body(request, ImagesIn)
        body, wanted = sent, mappers.images_in(sent, limit)
    owner = mappers.owner_of(body.owner_name, body.owner_id)
    created = await media_service.create_images(uow, files, owner, wanted)
    link = mappers.link_for(request)
    return ImagesOut.model_validate(
        {
            "OwnerName": owner[0].value,
            "OwnerID": owner[1],
            "Images": [mappers.image_out(image, link) for image in created],
        }
    )


@router.delete(IMAGES, responses=documented(404), name="Delete all images of an owner")
async def delete_images(
    uow: UowDep, files: FilesDep, owner_name: OwnerName, owner_id: OwnerId
) -> ImagesDeletedOut:
    """Delete every image of a product or an item (none is not an error: `DeletedCount` 0)."""
    owner = mappers.owner_of(owner_name, owner_id)
    count = await media_service.delete_images(uow, files, owner)
    return ImagesDeletedOut.model_validate(
        {"OwnerName": owner[0].value, "OwnerID": owner[1], "DeletedCount": count}
    )


@router.get(
    f"{IMAGES}/Content",
    response_class=StreamingResponse,
    responses={
        **documented(404),
        200: {
            "description": "The image's bytes, with its content type.",
            "content": {"image/*": {"schema": {"type": "string", "format": "binary"}}},
        },
    },
    name="Get an image",
)
async def image_content(
    read: ReadUowDep,
    files: FilesDep,
    image_id: Annotated[int, Query(alias="ImageId", ge=1, le=ID_MAX)],
) -> StreamingResponse:
    """One stored image's bytes, as uploaded, with its content type."""
    download = await media_service.image_content(read, files, image_id)
    return await streamed(download, "inline")


async def streamed(download: Download, disposition: str) -> StreamingResponse:
    """The file's bytes with its type, size and name; the first chunk read before answering.

    Reading it first turns a file missing from the store into a 500 problem instead of a
    connection cut after the headers. ``nosniff``: a browser shows the type as declared.
    """
    first = await anext(download.chunks, b"")

    async def body() -> AsyncIterator[bytes]:
        yield first
        async for chunk in download.chunks:
            yield chunk

    stored = download.file
    name = quote(stored.file_name or "file", safe="")
    return StreamingResponse(
        body(),
        headers={  # not media_type=: Starlette would add "; charset=utf-8" to a text type
            "Content-Type": stored.content_type,
            "Content-Length": str(stored.byte_size),
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
        },
    )


ROUTERS = (router,)
