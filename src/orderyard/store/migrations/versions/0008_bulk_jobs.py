"""Bulk jobs: the queue, each job's rows, its finished operations and its failed rows.

Revision ID: 0008_bulk_jobs
Revises: 0007_custom_field_metadata
Create Date: 2026-12-05 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_bulk_jobs"
down_revision: str | None = "0007_custom_field_metadata"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def _account(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts")
    )


def _job(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f(f"fk_{table}_job_id_jobs"))


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("submitted_at", WHEN, nullable=False),
        sa.Column("started_at", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("chunk_rows", sa.Integer(), nullable=False),
        sa.Column("operations_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("applied_rows", sa.Integer(), server_default="0", nullable=False),
        sa.Column("failed_rows", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("retries", sa.Integer(), server_default="0", nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("lease_until", WHEN, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _account("jobs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_account_id_id"), "jobs", ["account_id", "id"])
    op.create_index(op.f("ix_jobs_status_id"), "jobs", ["status", "id"])
    op.create_table(
        "job_payloads",
        sa.Column("job_id", ID, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        _job("job_payloads"),
        _account("job_payloads"),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_job_payloads")),
    )
    op.create_table(
        "job_operations",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("first_row", sa.Integer(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("finished_at", WHEN, nullable=False),
        _account("job_operations"),
        _job("job_operations"),
        sa.UniqueConstraint(
            "account_id",
            "job_id",
            "operation_id",
            name=op.f("uq_job_operations_account_id_job_id_operation_id"),
        ),
    )
    op.create_table(
        "job_failures",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("operation_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        _account("job_failures"),
        _job("job_failures"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_failures")),
    )
    op.create_index(
        op.f("ix_job_failures_account_id_job_id_operation_id_row_number"),
        "job_failures",
        ["account_id", "job_id", "operation_id", "row_number"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_job_failures_account_id_job_id_operation_id_row_number"), table_name="job_failures"
    )
    op.drop_table("job_failures")
    op.drop_table("job_operations")
    op.drop_table("job_payloads")
    op.drop_index(op.f("ix_jobs_status_id"), table_name="jobs")
    op.drop_index(op.f("ix_jobs_account_id_id"), table_name="jobs")
    op.drop_table("jobs")
