"""The Notes API: notes on any record, with attachments; get, update, fetch an attachment.

A note is about one record, named by ``TableName`` (Order, Customer, Item, Product) and its
``KeyValue`` (the order's or customer's internal id, the SKU, the product's backend name),
which must be the account's. Attachments go to the same blob store as images.
"""

from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import media as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.routes.images import NOTES, FilesDep, streamed
from orderyard.dialects.orderdynamics.schemas.media import (
    NoteFieldsIn,
    NoteIn,
    NoteOut,
    NotePatchIn,
    NoteTextIn,
    request_body,
)
from orderyard.domain.errors import InvalidRequestError, NotFoundError
from orderyard.domain.media import NoteSort
from orderyard.domain.values import ID_MAX, Page
from orderyard.services import media as media_service

router = APIRouter(tags=["notes"])
SORTS: Final = {
    "noteid": NoteSort.ID,
    "createddatetimeutc": NoteSort.CREATED_AT,
    "lastupdateddatetimeutc": NoteSort.UPDATED_AT,
}
SORT_NAMES: Final = "NoteId, CreatedDateTimeUtc, LastUpdatedDateTimeUtc"
NoteId = Annotated[int, Query(alias="NoteId", ge=1, le=ID_MAX, description="The note's id.")]


@router.post(
    NOTES,
    status_code=201,
    response_model=NoteOut,
    responses=documented(404, 413),
    openapi_extra=request_body(NoteIn, "NoteForm"),
    name="Create notes",
)
async def create_note(request: Request, uow: UowDep, files: FilesDep) -> NoteOut:
    """Write a note on a record of the account, with attachments (base64 JSON or multipart)."""
    limit = files.max_file_bytes
    if mappers.is_form(request):
        form = await mappers.read_form(request)
        fields: NoteFieldsIn = mappers.form_model(form, NoteFieldsIn)
        uploads = await mappers.form_files(form, "Attachments", limit)
    else:
        body = await mappers.json_body(request, NoteIn)
        fields, uploads = body, mappers.attachments_in(body.attachments, limit)
    note = media_service.NoteIn(fields.table_name, fields.key_value, fields.note_text, uploads)
    created = await media_service.create_note(uow, files, note)
    return mappers.note_out(created, mappers.link_for(request))


async def note_sort(
    sort: Annotated[
        str | None, Query(alias="SortByColumn", max_length=100, description=SORT_NAMES)
    ] = None,
    ascending: Annotated[bool, Query(alias="Ascending", description="Default true.")] = True,
) -> tuple[NoteSort, bool]:
    """The column a list of notes is sorted by (default `NoteId`), and whether descending."""
    if not sort:
        return NoteSort.ID, not ascending
    found = SORTS.get(sort.lower())
    if found is None:
        raise InvalidRequestError(f"one of {SORT_NAMES}", field="SortByColumn")
    return found, not ascending


@router.get(NOTES, responses=documented(404), name="Get notes")
async def get_notes(
    request: Request,
    read: ReadUowDep,
    page: PageDep,
    sort: Annotated[tuple[NoteSort, bool], Depends(note_sort)],
    note_id: Annotated[
        int | None, Query(alias="NoteId", ge=1, le=ID_MAX, description="`NoteID`, any case.")
    ] = None,
    table_name: Annotated[
        str | None, Query(alias="TableName", max_length=16, description="Order, Customer...")
    ] = None,
    key_value: Annotated[str | None, Query(alias="KeyValue", max_length=200)] = None,
) -> Paged[NoteOut]:
    """One note by `NoteID`, or a page of the notes on the record `TableName` + `KeyValue`."""
    link = mappers.link_for(request)
    if note_id is not None:
        note = await media_service.get_note(read, note_id)
        if (table_name and table_name.lower() != note.table_name.lower()) or (
            key_value and key_value != note.key_value
        ):
            raise NotFoundError(f"note {note_id} not found", field="NoteID")
        return paged(
            Page([note], 1, page), [mappers.note_out(note, link)] if page.page == 1 else []
        )
    if not table_name or not key_value:
        raise InvalidRequestError("send NoteID, or TableName and KeyValue", field="NoteID")
    found = await media_service.notes_of(read, (table_name, key_value), page, sort)
    return paged(found, [mappers.note_out(note, link) for note in found.items])


@router.put(
    NOTES,
    response_model=NoteOut,
    responses=documented(404, 413),
    openapi_extra=request_body(NotePatchIn, "NotePatchForm"),
    name="Update notes",
)
async def update_note(request: Request, uow: UowDep, files: FilesDep, note_id: NoteId) -> NoteOut:
    """Change a note's text and attach more files (the attachments it has stay)."""
    limit = files.max_file_bytes
    if mappers.is_form(request):
        form = await mappers.read_form(request)
        text: NoteTextIn = mappers.form_model(form, NoteTextIn)
        uploads = await mappers.form_files(form, "Attachments", limit)
    else:
        body = await mappers.json_body(request, NotePatchIn)
        text, uploads = body, mappers.attachments_in(body.attachments, limit)
    updated = await media_service.update_note(uow, files, note_id, (text.note_text, uploads))
    return mappers.note_out(updated, mappers.link_for(request))


@router.get(
    f"{NOTES}/Attachment",
    response_class=StreamingResponse,
    responses={
        **documented(404),
        200: {
            "description": "The file's bytes, with its content type.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        },
    },
    name="Get note attachment",
)
async def attachment_content(
    read: ReadUowDep,
    files: FilesDep,
    attachment_id: Annotated[int, Query(alias="AttachmentId", ge=1, le=ID_MAX)],
) -> StreamingResponse:
    """One attachment's bytes, as uploaded, with the content type it was given."""
    download = await media_service.attachment_content(read, files, attachment_id)
    return await streamed(download, "attachment")


ROUTERS = (router,)
