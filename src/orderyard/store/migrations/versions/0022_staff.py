"""Staff users and their API tokens; event-log indexes for OrderDynamics' FlexibleEvents.

Revision ID: 0022_staff
Revises: 0021_order_fields_flag
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)

revision: str = "0022_staff"
down_revision: str | None = "0021_order_fields_flag"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=True),
        sa.Column("token_issued_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'operator', 'read_only')", name=op.f("ck_staff_role_known")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_staff_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("account_id", "email", name=op.f("uq_staff_account_id_email")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_account_id_id"), ["account_id", "id"])
        batch_op.create_index(batch_op.f("ix_staff_token_digest"), ["token_digest"], unique=True)
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_account_id_record_id"), ["account_id", "record_id"]
        )
        batch_op.create_index(
            batch_op.f("ix_events_account_id_actor_id"), ["account_id", "actor", "id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_account_id_actor_id"))
        batch_op.drop_index(batch_op.f("ix_events_account_id_record_id"))
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_token_digest"))
        batch_op.drop_index(batch_op.f("ix_staff_account_id_id"))
    op.drop_table("staff")
