"""Orders say whether they carry custom field values, so that reads without any skip them.

``orders.has_custom_fields`` is set when a value is first written on the order, one of its
lines or one of its payments (``store/repositories/attribute.py``); the upgrade sets it for
the orders that have some already.

Revision ID: 0021_order_fields_flag
Revises: 0020_customers
Create Date: 2026-12-09 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_order_fields_flag"
down_revision: str | None = "0020_customers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("has_custom_fields", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        """
        UPDATE orders SET has_custom_fields = true
        WHERE EXISTS (
            SELECT 1 FROM attributes AS a
            WHERE a.account_id = orders.account_id AND a.owner_type = 'order'
                AND a.owner_id = orders.id
        ) OR EXISTS (
            SELECT 1 FROM attributes AS a JOIN order_lines AS l
                ON l.account_id = a.account_id AND l.id = a.owner_id
            WHERE a.owner_type = 'order_line' AND l.order_id = orders.id
        ) OR EXISTS (
            SELECT 1 FROM attributes AS a JOIN payments AS p
                ON p.account_id = a.account_id AND p.id = a.owner_id
            WHERE a.owner_type = 'payment' AND p.order_id = orders.id
        )
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("has_custom_fields")
