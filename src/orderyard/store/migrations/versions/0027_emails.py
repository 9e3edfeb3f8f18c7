"""E-mails: the log of the e-mails order events call for, and the sender's cursor.

The event log is the outbox (as for webhooks): no change writes anything more. The cursor
has no row until the first pass of a worker with SMTP configured, which starts it at the
log's present end: switching sending on does not mail every past order.

Revision ID: 0027_emails
Revises: 0026_media
Create Date: 2026-12-06 08:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)

revision: str = "0027_emails"
down_revision: str | None = "0026_media"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "emails",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("event_id", ID, nullable=True),
        sa.Column("resend_of", ID, nullable=True),
        sa.Column("order_id", ID, nullable=True),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("to_address", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("next_try_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["resend_of"], ["emails.id"]),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id"),
    )
    op.create_index(
        op.f("ix_emails_account_id_order_id_id"), "emails", ["account_id", "order_id", "id"]
    )
    op.create_index(op.f("ix_emails_account_id_id"), "emails", ["account_id", "id"])
    op.create_index(op.f("ix_emails_status_next_try_at"), "emails", ["status", "next_try_at"])
    op.create_table(
        "email_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("email_cursor")
    op.drop_table("emails")
