"""Shipped shipments by time: the dashboard's units shipped per day (``ix_shipments_shipped``).

Without it, the units shipped in a window read every shipment the account ever shipped. The
index is partial (shipped ones only): creating a shipment maintains nothing more.

Revision ID: 0032_stock_view_indexes
Revises: 0031_key_carried_out
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_stock_view_indexes"
down_revision: str | None = "0031_key_carried_out"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHIPPED = sa.text("shipped_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        batch.create_index(
            "ix_shipments_shipped",
            ["account_id", "shipped_at"],
            sqlite_where=SHIPPED,
            postgresql_where=SHIPPED,
        )


def downgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        batch.drop_index("ix_shipments_shipped")
