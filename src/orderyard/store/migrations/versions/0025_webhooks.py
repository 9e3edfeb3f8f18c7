"""Webhooks: subscriptions, per-subscription delivery state, and the event log as outbox.

``events`` gains ``xid``: on PostgreSQL the writing transaction's id by server default (no
statement of any change grows) and a BRIN index (cheap to keep: ids rise with the table's
pages). Existing events keep NULL: no subscription existed when they were written.

Revision ID: 0025_webhooks
Revises: 0024_od_returns
Create Date: 2026-12-06 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)

revision: str = "0025_webhooks"
down_revision: str | None = "0024_od_returns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("events", sa.Column("xid", sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE events ALTER COLUMN xid SET DEFAULT pg_current_xact_id()::text::bigint"
        )
    op.create_index("ix_events_xid", "events", ["xid"], postgresql_using="brin")
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("event_types", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("dialect", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.String(length=500), server_default="", nullable=False),
        sa.Column("failed_in_row", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_webhook_subscriptions_account_id_id"),
        "webhook_subscriptions",
        ["account_id", "id"],
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("subscription_id", ID, nullable=False),
        sa.Column("event_id", ID, nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("order_id", ID, nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_try_at", WHEN, nullable=True),
        sa.Column("response_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["subscription_id"], ["webhook_subscriptions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "event_id"),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_account_id_subscription_id_id"),
        "webhook_deliveries",
        ["account_id", "subscription_id", "id"],
    )
    op.create_index(
        op.f("ix_webhook_deliveries_status_next_try_at"),
        "webhook_deliveries",
        ["status", "next_try_at"],
    )
    op.create_index(
        op.f("ix_webhook_deliveries_subscription_id_order_id_event_id"),
        "webhook_deliveries",
        ["subscription_id", "order_id", "event_id"],
    )
    op.create_table(
        "webhook_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO webhook_cursor (id, position) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("webhook_cursor")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_subscriptions")
    op.drop_index("ix_events_xid", table_name="events")
    op.drop_column("events", "xid")
