"""An idempotency key remembers that its request's write committed (``carried_out``).

Set in the same transaction as the request's own write, so a key whose answer was lost (the
process died before keeping it, or the answer's asynchronous commit was lost in a crash) is
known to have been carried out, and a retry is told so instead of running it again.

Revision ID: 0031_key_carried_out
Revises: 0030_account_emails
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031_key_carried_out"
down_revision: str | None = "0030_account_emails"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(
            sa.Column("carried_out", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("carried_out")
