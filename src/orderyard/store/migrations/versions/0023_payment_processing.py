"""Payment processing: invoices, credit memos, their lines, and the ledger's new entries.

``payment_transactions`` gains ``invoice_id`` (the invoice or memo an entry is for) and its
``payment_id`` becomes optional (an invoice or a memo entry moves no payment's money).

Revision ID: 0023_payment_processing
Revises: 0022_staff
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)
SCALED = sa.BigInteger()
"""The store's ``ScaledDecimal``: a decimal kept as an integer of ten-thousandths."""

revision: str = "0023_payment_processing"
down_revision: str | None = "0022_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _invoices() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("payment_state", sa.String(length=8), server_default="none", nullable=False),
        sa.Column("amount", SCALED, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("shipment_id", ID, nullable=True),
        sa.Column("credited_invoice_id", ID, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attempt_started_at", WHEN, nullable=True),
        sa.Column("failure", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_invoices_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_invoices_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_invoices_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_invoices_shipment_id_shipments")
        ),
        sa.ForeignKeyConstraint(
            ["credited_invoice_id"],
            ["invoices.id"],
            name=op.f("fk_invoices_credited_invoice_id_invoices"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
    )
    with op.batch_alter_table("invoices", schema=None) as batch_op:
        for columns in (
            ["account_id", "order_id", "id"],
            ["account_id", "created_at", "id"],
            ["account_id", "status", "id"],
            ["account_id", "kind", "id"],
        ):
            batch_op.create_index(
                batch_op.f("ix_invoices_" + "_".join(columns)), columns, unique=False
            )


def _invoice_lines() -> None:
    op.create_table(
        "invoice_lines",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("invoice_id", ID, nullable=False),
        sa.Column("order_line_id", ID, nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", SCALED, nullable=False),
        sa.Column("tax_amount", SCALED, nullable=False),
        sa.Column("discount_amount", SCALED, nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_invoice_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_invoice_lines_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name=op.f("fk_invoice_lines_invoice_id_invoices")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_invoice_lines_order_line_id_order_lines"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_lines")),
    )
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_lines_account_id_invoice_id"),
            ["account_id", "invoice_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_invoice_lines_account_id_order_line_id"),
            ["account_id", "order_line_id"],
            unique=False,
        )


def upgrade() -> None:
    _invoices()
    _invoice_lines()
    with op.batch_alter_table("payment_transactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invoice_id", ID, nullable=True))
        batch_op.alter_column("payment_id", existing_type=ID, nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_payment_transactions_invoice_id_invoices"),
            "invoices",
            ["invoice_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_payment_transactions_account_id_invoice_id"),
            ["account_id", "invoice_id"],
            unique=False,
        )


def downgrade() -> None:
    op.execute("DELETE FROM payment_transactions WHERE payment_id IS NULL")
    with op.batch_alter_table("payment_transactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_transactions_account_id_invoice_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_payment_transactions_invoice_id_invoices"), type_="foreignkey"
        )
        batch_op.alter_column("payment_id", existing_type=ID, nullable=False)
        batch_op.drop_column("invoice_id")
    op.drop_table("invoice_lines")
    op.drop_table("invoices")
