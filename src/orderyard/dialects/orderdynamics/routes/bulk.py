"""Bulk jobs: ``PUT /v1/inventory/BulkOnhand`` queues one; the Bulk Status API answers it.

``BulkOnhand`` checks the body's shape at once (a malformed one is a 400 and queues
nothing), queues a job and answers 202 with its ``JobId`` and ``DateSubmittedUTC``; a
worker applies the rows later, and rows naming an unknown SKU or location fail alone.
"""

import re
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from orderyard.dialects.orderdynamics import errors
from orderyard.dialects.orderdynamics.auth import ReadUowDep, UowDep
from orderyard.dialects.orderdynamics.errors import documented
from orderyard.dialects.orderdynamics.mappers import bulk as mappers
from orderyard.dialects.orderdynamics.paging import Paged, PageDep, paged
from orderyard.dialects.orderdynamics.schemas.bulk import (
    BulkBodyError,
    JobDetailsOut,
    JobOut,
    JobStatusWord,
    JobSubmittedOut,
    OperationDetailsOut,
    on_hand_rows,
)
from orderyard.domain.values import COUNT_MAX, ID_MAX
from orderyard.http.guard import LargerBodies
from orderyard.services import jobs as jobs_service

BULK_ONHAND = "/v1/inventory/BulkOnhand"
router = APIRouter(tags=["bulk jobs"])
Submitted = Annotated[
    datetime,
    Query(
        alias="DateSubmittedUTC",
        description="The job's DateSubmittedUTC as answered (its UTC day locates the job).",
    ),
]
JobId = Annotated[int, Path(alias="JobId", ge=1, le=ID_MAX)]


def larger_bodies(max_body_bytes: int) -> tuple[LargerBodies, ...]:
    """The routes that admit bodies up to ``max_body_bytes`` (``RequestGuard``)."""
    path = re.compile(re.escape(BULK_ONHAND) + "/?", re.IGNORECASE)
    return (LargerBodies("PUT", path, max_body_bytes),)


@router.put(
    BULK_ONHAND,
    status_code=202,
    response_model=JobSubmittedOut,
    responses=documented(),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/BulkOnhandIn"}}
            },
        }
    },
)
async def bulk_onhand(request: Request, uow: UowDep) -> JobSubmittedOut | JSONResponse:
    """Queue counted on-hand quantities (up to 100,000 rows); answers 202 with the job."""
    try:
        rows = on_hand_rows(await request.body())
    except BulkBodyError as malformed:
        return errors.problem(400, errors=malformed.errors)
    job = await jobs_service.submit_on_hand(uow, rows)
    return JobSubmittedOut.model_validate({"JobId": job.id, "DateSubmittedUTC": job.submitted_at})


@router.get("/v1/StatusManagement/{JobId}", responses=documented(404))
async def job_details(
    uow: ReadUowDep,
    job_id: JobId,
    submitted: Submitted,
    page: PageDep,
    status: Annotated[JobStatusWord | None, Query(alias="JobStatus")] = None,
) -> JobDetailsOut:
    """A job's status and counts, with a page of its finished operations."""
    wanted = None if status is None else mappers.STATUSES[status]
    job, operations = await jobs_service.get_job(
        uow, job_id, mappers.as_utc(submitted), page, status=wanted
    )
    return mappers.job_details_out(job, operations)


@router.get("/StatusManagement/{JobId}/{OperationId}/v1", responses=documented(404))
async def operation_details(
    uow: ReadUowDep,
    job_id: JobId,
    operation_id: Annotated[int, Path(alias="OperationId", ge=1, le=COUNT_MAX)],
    submitted: Submitted,
) -> OperationDetailsOut:
    """One finished operation of a job: its counts and the rows that failed, and why."""
    details = await jobs_service.get_operation(uow, job_id, operation_id, mappers.as_utc(submitted))
    return mappers.operation_details_out(details)


@router.get("/StatusManagement/v1", responses=documented())
async def list_jobs(uow: ReadUowDep, page: PageDep) -> Paged[JobOut]:
    """The account's jobs, newest first."""
    jobs = await jobs_service.list_jobs(uow, page)
    return paged(jobs, [mappers.job_out(job) for job in jobs.items])


ROUTERS = (router,)
