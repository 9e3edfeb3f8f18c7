"""Accounts may turn the customer e-mails off (``accounts.sends_emails``, on by default).

Revision ID: 0030_account_emails
Revises: 0029_idempotency
Create Date: 2026-12-06 14:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030_account_emails"
down_revision: str | None = "0029_idempotency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column("sends_emails", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("sends_emails")
