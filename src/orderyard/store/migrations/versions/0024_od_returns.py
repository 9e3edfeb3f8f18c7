"""Returns: indexes for OrderDynamics' return lists (by status, by creation time).

``GET /v1/returns`` filters by status words and by a creation window; each leads an index
with the account so that every filter is an index range.

Revision ID: 0024_od_returns
Revises: 0023_payment_processing
Create Date: 2026-12-20 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024_od_returns"
down_revision: str | None = "0023_payment_processing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_returns_account_id_status_id"),
            ["account_id", "status", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_returns_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_account_id_created_at_id"))
        batch_op.drop_index(batch_op.f("ix_returns_account_id_status_id"))
