"""Tickets: queues, tickets and the events of their tracked fields.

Revision ID: 0028_tickets
Revises: 0027_emails
Create Date: 2026-12-06 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)

revision: str = "0028_tickets"
down_revision: str | None = "0027_emails"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _account(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts")
    )


def upgrade() -> None:
    op.create_table(
        "ticket_queues",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _account("ticket_queues"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_queues")),
        sa.UniqueConstraint("account_id", "name", name=op.f("uq_ticket_queues_account_id_name")),
    )
    op.create_index(op.f("ix_ticket_queues_account_id_id"), "ticket_queues", ["account_id", "id"])
    op.create_table(
        "tickets",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=True),
        sa.Column("order_id", ID, nullable=True),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("queue_id", ID, nullable=True),
        sa.Column("assignee_id", ID, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'pending', 'resolved', 'closed')",
            name=op.f("ck_tickets_status_known"),
        ),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')",
            name=op.f("ck_tickets_priority_known"),
        ),
        _account("tickets"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_tickets_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_tickets_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["ticket_queues.id"], name=op.f("fk_tickets_queue_id_ticket_queues")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["staff.id"], name=op.f("fk_tickets_assignee_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
    )
    for columns in (
        ["account_id", "id"],
        ["account_id", "customer_id", "id"],
        ["account_id", "updated_at", "id"],
        ["account_id", "status", "id"],
        ["account_id", "priority", "id"],
    ):
        op.create_index(op.f("ix_tickets_" + "_".join(columns)), "tickets", columns)
    op.create_table(
        "ticket_events",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("ticket_id", ID, nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("old_value", sa.String(length=100), nullable=True),
        sa.Column("new_value", sa.String(length=100), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "field IN ('status', 'priority', 'queue', 'assignee')",
            name=op.f("ck_ticket_events_field_known"),
        ),
        _account("ticket_events"),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_events_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
    )
    op.create_index(
        op.f("ix_ticket_events_account_id_ticket_id_id"),
        "ticket_events",
        ["account_id", "ticket_id", "id"],
    )
    op.create_index(op.f("ix_ticket_events_account_id_id"), "ticket_events", ["account_id", "id"])


def downgrade() -> None:
    op.drop_table("ticket_events")
    op.drop_table("tickets")
    op.drop_table("ticket_queues")
