"""Bulk jobs: large bulk operations run in the background, in operations of a few rows each.

A job's rows are applied one operation (a chunk of consecutive rows) at a time; each
operation commits with the rows it applied and the rows that failed and why, so a job whose
worker died resumes after its last committed operation and never applies a row twice.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from orderyard.domain.errors import ConflictError
from orderyard.domain.values import COUNT_MAX


class JobStatus(StrEnum):
    """Where a job, or one of its operations, stands."""

    queued = "queued"
    in_progress = "in_progress"
    completed = "completed"
    completed_with_errors = "completed_with_errors"
    failed = "failed"


class JobKind(StrEnum):
    """What a job does with its rows."""

    on_hand = "on_hand"


class LeaseLostError(ConflictError):
    """Another worker holds the job now, or the operation was already committed: roll back."""


MAX_ATTEMPTS = 5
"""Failed runs of one job (an unexpected error, or a worker that died: its lease expired)
before it fails for good; a worker that stops cleanly releases its job and counts none."""


def outcome(applied: int, failed: int) -> JobStatus:
    """The status of finished work from its counts: all, some or none of its rows applied."""
    if failed == 0:
        return JobStatus.completed
    return JobStatus.completed_with_errors if applied else JobStatus.failed


@dataclass(frozen=True, slots=True)
class RowFailure:
    """A row that was not applied: its 0-based position in the request, and why."""

    row: int
    field: str
    message: str


SKU_LENGTH = 100
LOCATION_LENGTH = 64
"""The longest SKU and location code an on-hand row may name (their columns' lengths)."""


def on_hand_row_fault(row: int, sku: object, location: object, count: object) -> RowFailure | None:
    """Why an on-hand row cannot be applied as written, or None when its cells are sound.

    The API checks its rows before queuing them; an uploaded file's rows are queued as
    read (a quantity that is not a whole number stays its text), and the job refuses the
    malformed ones here, each alone, so the file's good rows are still applied.
    """
    if not isinstance(sku, str) or not 0 < len(sku) <= SKU_LENGTH:
        return RowFailure(row, "sku", f"the SKU must be 1 to {SKU_LENGTH} characters")
    if not isinstance(location, str) or not 0 < len(location) <= LOCATION_LENGTH:
        message = f"the location must be 1 to {LOCATION_LENGTH} characters"
        return RowFailure(row, "location", message)
    if type(count) is not int or not 0 <= count <= COUNT_MAX:
        shown = "empty" if count == "" else repr(count)
        message = f"the quantity must be a whole number from 0 to {COUNT_MAX}, not {shown}"
        return RowFailure(row, "quantity", message)
    return None


@dataclass(frozen=True, slots=True)
class Job:
    """A job as its account sees it."""

    id: int
    kind: JobKind
    status: JobStatus
    submitted_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    total_rows: int
    chunk_rows: int
    operations_done: int
    applied_rows: int
    failed_rows: int
    error: str | None

    @property
    def operation_count(self) -> int:
        """How many operations the job's rows make."""
        return -(-self.total_rows // self.chunk_rows)


@dataclass(frozen=True, slots=True)
class JobOperation:
    """One finished operation of a job: rows ``first_row`` .. ``first_row + row_count - 1``."""

    operation_id: int
    first_row: int
    row_count: int
    applied: int
    failed: int
    finished_at: datetime

    @property
    def status(self) -> JobStatus:
        """Completed, CompletedWithErrors or Failed, from its counts."""
        return outcome(self.applied, self.failed)


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """A job a worker has leased: what it needs to run it from where it stopped."""

    id: int
    account_id: int
    kind: JobKind
    attempt: int
    chunk_rows: int
    total_rows: int
    operations_done: int
