"""Orders: indexes for OrderDynamics' order search and customer history.

Search filters by the customer's e-mail, by the date the order was placed and by the SKU of
a line; each leads an index with the account so that every filter is an index range.

Revision ID: 0016_order_reads
Revises: 0015_shipment_custom_fields
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016_order_reads"
down_revision: str | None = "0015_shipment_custom_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_customer_email_id"),
            ["account_id", "customer_email", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_ordered_at_id"),
            ["account_id", "ordered_at", "id"],
            unique=False,
        )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_lines_account_id_sku_order_id"),
            ["account_id", "sku", "order_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_lines_account_id_sku_order_id"))
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_account_id_ordered_at_id"))
        batch_op.drop_index(batch_op.f("ix_orders_account_id_customer_email_id"))
