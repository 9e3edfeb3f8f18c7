"""Bulk jobs between the core and the Bulk Status API's words."""

from datetime import UTC, datetime

from orderyard.dialects.orderdynamics.fields import wire_field
from orderyard.dialects.orderdynamics.schemas.bulk import (
    JobDetailsOut,
    JobOut,
    JobStatusWord,
    OperationDetailsOut,
    OperationOut,
    RowFailureOut,
)
from orderyard.domain.errors import InvalidRequestError
from orderyard.domain.jobs import Job, JobKind, JobOperation, JobStatus, RowFailure
from orderyard.domain.values import Page
from orderyard.services.jobs import OperationDetails

STATUS_WORDS: dict[JobStatus, JobStatusWord] = {
    JobStatus.queued: "Queued",
    JobStatus.in_progress: "InProgress",
    JobStatus.completed: "Completed",
    JobStatus.completed_with_errors: "CompletedWithErrors",
    JobStatus.failed: "Failed",
}
STATUSES = {word: status for status, word in STATUS_WORDS.items()}
KIND_WORDS = {JobKind.on_hand: "BulkOnhand"}


def as_utc(moment: datetime) -> datetime:
    """A query's time; one without an offset is taken as UTC, as the parameter's name says.

    Raises:
        InvalidRequestError: the time with its offset falls outside what a date can hold.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise InvalidRequestError(
            "DateSubmittedUTC is out of range", field="DateSubmittedUTC"
        ) from None


def job_out(job: Job) -> JobOut:
    """A job's status and counts."""
    return JobOut.model_validate(_job_fields(job))


def _job_fields(job: Job) -> dict[str, object]:
    return {
        "JobId": job.id,
        "JobType": KIND_WORDS[job.kind],
        "JobStatus": STATUS_WORDS[job.status],
        "DateSubmittedUTC": job.submitted_at,
        "StartedDateTimeUtc": job.started_at,
        "CompletedDateTimeUtc": job.finished_at,
        "RowCount": job.total_rows,
        "ProcessedRowCount": job.applied_rows + job.failed_rows,
        "SucceededRowCount": job.applied_rows,
        "FailedRowCount": job.failed_rows,
        "OperationCount": job.operation_count,
        "CompletedOperationCount": job.operations_done,
        "Error": job.error,
    }


def _operation_fields(operation: JobOperation) -> dict[str, object]:
    return {
        "OperationId": operation.operation_id,
        "OperationStatus": STATUS_WORDS[operation.status],
        "FirstRow": operation.first_row,
        "RowCount": operation.row_count,
        "SucceededCount": operation.applied,
        "FailedCount": operation.failed,
        "CompletedDateTimeUtc": operation.finished_at,
    }


def job_details_out(job: Job, operations: Page[JobOperation]) -> JobDetailsOut:
    """A job and a page of its operations, in the vendor's page envelope."""
    return JobDetailsOut.model_validate(
        {
            **_job_fields(job),
            "PageNumber": operations.request.page,
            "PageSize": operations.request.per_page,
            "TotalCount": operations.total,
            "TotalPages": operations.total_pages,
            "Items": [OperationOut.model_validate(_operation_fields(o)) for o in operations.items],
        }
    )


def failure_out(failure: RowFailure) -> RowFailureOut:
    """A failed row, its field named as the client sent it (``Items[41].Sku``)."""
    field = wire_field(failure.field) or "Items"
    return RowFailureOut(
        row=failure.row, field=f"Items[{failure.row}].{field}", message=failure.message
    )


def operation_details_out(details: OperationDetails) -> OperationDetailsOut:
    """One operation and its failed rows."""
    return OperationDetailsOut.model_validate(
        {
            **_operation_fields(details.operation),
            "JobId": details.job.id,
            "JobStatus": STATUS_WORDS[details.job.status],
            "Failures": [failure_out(f) for f in details.failures],
        }
    )
