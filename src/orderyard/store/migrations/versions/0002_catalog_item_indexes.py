"""Catalog: sort products by creation or last change, and page synsets (kits) by index.

Revision ID: 0002_catalog_item_indexes
Revises: 0001
Create Date: 2026-11-22 22:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_catalog_item_indexes"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_items_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_items_account_id_updated_at_id"),
            ["account_id", "updated_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_items_kits",
            ["account_id", "id"],
            unique=False,
            sqlite_where=sa.text("is_kit = 1"),
            postgresql_where=sa.text("is_kit = true"),
        )


def downgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index("ix_items_kits")
        batch_op.drop_index(batch_op.f("ix_items_account_id_updated_at_id"))
        batch_op.drop_index(batch_op.f("ix_items_account_id_created_at_id"))
