"""Upload on-hand counts as a CSV file: it runs as a bulk on-hand job.

The same job as the OrderDynamics ``PUT /v1/inventory/BulkOnhand`` (``services.jobs``): the
file is read and queued in one short transaction, and the browser is sent to the job's page,
which follows it live. A file that cannot be read is refused whole, naming the line
(``console/stock_csv.py``); once queued, each bad row fails alone and the good ones are
applied. Staff who may write only: a read-only member is refused (403) before the file is
read.
"""

import re
from typing import Final

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from orderyard.console.session import Change, ChangeDep, Signed, SignedDep
from orderyard.console.stock_csv import MAX_ROWS, on_hand_rows
from orderyard.console.web import redirect, render, status_of
from orderyard.domain.errors import DomainError, InvalidRequestError
from orderyard.domain.event_log import staff_actor
from orderyard.domain.staff import require_write
from orderyard.http.deps import write_uow
from orderyard.http.guard import LargerBodies
from orderyard.services.jobs import submit_on_hand

router = APIRouter()
UPLOAD = "/stock/upload"
UPLOAD_BYTES: Final = 8 * 1024 * 1024
"""The largest file: 100,000 rows of long SKUs and codes fit."""
LARGER_BODIES: Final = (LargerBodies("POST", re.compile(r".*/stock/upload"), UPLOAD_BYTES),)
"""The upload's body limit, above the console's 256 KiB for forms (``RequestGuard``)."""


def _form(request: Request, signed: Signed, *, error: str = "", status_code: int = 200) -> Response:
    context = {"error": error, "max_rows": MAX_ROWS, "max_megabytes": UPLOAD_BYTES // 2**20}
    return render(request, "stock_upload.html", context, signed=signed, status_code=status_code)


@router.get(UPLOAD)
async def upload_form(request: Request, signed: SignedDep) -> Response:
    """The upload form and the file's format (read-only members see the format only)."""
    return _form(request, signed)


async def _file_of(change: Change) -> bytes:
    """The uploaded file's content.

    Raises:
        InvalidRequestError: no file was chosen, or it is empty.
    """
    sent = change.form.get("file")
    content = await sent.read() if isinstance(sent, UploadFile) else b""
    if not content:
        raise InvalidRequestError("choose a CSV file to upload", field="file")
    return content


@router.post(UPLOAD)
async def upload(request: Request, change: ChangeDep) -> Response:
    """Queue the file's rows as a bulk on-hand job; answer with the job's page."""
    session = change.session
    try:
        require_write(session.role)
        rows = on_hand_rows(await _file_of(change))
        job = await submit_on_hand(
            write_uow(request, session.account_id, actor=staff_actor(session.staff_id)), rows
        )
    except DomainError as error:
        return _form(request, change.signed, error=error.message, status_code=status_of(error))
    return redirect(request, f"/jobs/{job.id}?uploaded=1")
