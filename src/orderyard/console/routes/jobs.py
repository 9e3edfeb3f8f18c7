"""Bulk jobs: the list, one job's page with its live progress, and its failed rows when done.

A job's page polls a fragment of itself (``/jobs/{id}/progress``, htmx every second) while the
job is queued or running; the fragment of a finished job stops the polling and lists the rows
that were not applied and why. Jobs come from the console's on-hand upload and from the
OrderDynamics ``BulkOnhand`` API alike; rows are numbered from 1 (the first row of the file
under its header, or the request's ``Items[0]``).
"""

from typing import Final

from fastapi import APIRouter, Request
from starlette.responses import Response

from orderyard.console.forms import text, whole_number
from orderyard.console.listing import numbered_pages
from orderyard.console.session import SignedDep
from orderyard.console.web import render, status_of
from orderyard.domain.errors import DomainError, InvalidRequestError, NotFoundError
from orderyard.domain.jobs import JobStatus
from orderyard.domain.values import PageRequest, parse_id
from orderyard.http.deps import read_uow
from orderyard.services.jobs import job_report, list_jobs

router = APIRouter()
PER_PAGE: Final = 50
PAGE_MAX: Final = 20_000
RUNNING: Final = frozenset({JobStatus.queued, JobStatus.in_progress})


@router.get("/jobs")
async def jobs(request: Request, signed: SignedDep) -> Response:
    """The account's bulk jobs, newest first, of one status when asked."""
    query = request.query_params
    context: dict[str, object] = {"statuses": list(JobStatus), "query": {}, "found": None}
    try:
        status = text(query, "status", label="Status")
        if status and status not in JobStatus.__members__:
            raise InvalidRequestError(f"unknown status {status!r}", field="status")
        page = whole_number(query, "page", label="Page", high=PAGE_MAX) or 1
        context["query"] = asked = {"status": status} if status else {}
        found = await list_jobs(
            read_uow(request, signed.session.account_id),
            PageRequest(page, PER_PAGE),
            status=JobStatus(status) if status else None,
        )
    except DomainError as error:
        context["error"] = error.message
        return render(request, "jobs.html", context, signed=signed, status_code=status_of(error))
    context |= {"found": found, **numbered_pages(request, "/jobs", asked, found)}
    return render(request, "jobs.html", context, signed=signed)


def job_id_of(raw: str) -> int:
    """The job id a path names.

    Raises:
        NotFoundError: it cannot be a job's id.
    """
    job_id = parse_id(raw)
    if job_id is None:
        raise NotFoundError(f"job {raw} not found", field="job")
    return job_id


async def _report_context(request: Request, signed: SignedDep, raw_id: str) -> dict[str, object]:
    report = await job_report(read_uow(request, signed.session.account_id), job_id_of(raw_id))
    job = report.job
    processed = job.applied_rows + job.failed_rows
    return {
        "report": report,
        "job": job,
        "running": job.status in RUNNING,
        "processed": processed,
        "percent": 100 if not job.total_rows else processed * 100 // job.total_rows,
    }


@router.get("/jobs/{job_id}")
async def job(request: Request, signed: SignedDep, job_id: str) -> Response:
    """One job: its progress while it runs, its counts and failed rows once done."""
    context = await _report_context(request, signed, job_id)
    context["uploaded"] = request.query_params.get("uploaded") == "1"
    return render(request, "job.html", context, signed=signed)


@router.get("/jobs/{job_id}/progress")
async def job_progress(request: Request, signed: SignedDep, job_id: str) -> Response:
    """The job page's progress fragment (polled by htmx until the job is done)."""
    context = await _report_context(request, signed, job_id)
    return render(request, "job_progress.html", context, signed=signed)
