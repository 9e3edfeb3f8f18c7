"""Payments of orders and the ledger of their transactions; orders count their payments.

Revision ID: 0017_payments
Revises: 0016_order_reads
Create Date: 2026-12-09 09:00:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0017_payments"
down_revision: str | None = "0016_order_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def _owned(table: str) -> list[Any]:
    """The id, account and order columns every payment table starts with, and their keys."""
    return [
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f(f"fk_{table}_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("payment_count", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "payments",
        *_owned("payments"),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=200), server_default="", nullable=False),
        sa.Column("gateway", sa.String(length=100), server_default="", nullable=False),
        sa.Column("card_token", sa.String(length=200), nullable=True),
        sa.Column("card_brand", sa.String(length=32), server_default="", nullable=False),
        sa.Column("card_last_four", sa.String(length=4), server_default="", nullable=False),
        sa.Column("card_expiry_month", sa.Integer(), nullable=True),
        sa.Column("card_expiry_year", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
    )
    op.create_index(
        op.f("ix_payments_account_id_order_id_id"), "payments", ["account_id", "order_id", "id"]
    )
    op.create_table(
        "payment_transactions",
        *_owned("payment_transactions"),
        sa.Column("payment_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_transactions_payment_id_payments"),
        ),
    )
    op.create_index(
        op.f("ix_payment_transactions_account_id_order_id_id"),
        "payment_transactions",
        ["account_id", "order_id", "id"],
    )


def downgrade() -> None:
    op.drop_table("payment_transactions")
    op.drop_table("payments")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("payment_count")
