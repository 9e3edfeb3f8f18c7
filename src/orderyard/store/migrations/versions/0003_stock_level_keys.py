"""Stock levels keyed item first: one unique key on (account, item, location).

``stock_levels`` was unique on (account, location, item) with a second index on
(account, item). Every read of stock starts from items, and without statistics (a new
account's first feed is one transaction) PostgreSQL picked the unique index for an item's
levels and walked the account's whole range for each item. One unique key on
(account, item, location) serves the item reads and the exact lookups, and a feed maintains
one index less.

Revision ID: 0003_stock_level_keys
Revises: 0002_catalog_item_indexes
Create Date: 2026-11-23 03:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_stock_level_keys"
down_revision: str | None = "0002_catalog_item_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_levels_account_id_item_id")
        batch_op.drop_constraint("uq_stock_levels_account_id_location_id_item_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_stock_levels_account_id_item_id_location_id",
            ["account_id", "item_id", "location_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("stock_levels", schema=None) as batch_op:
        batch_op.drop_constraint("uq_stock_levels_account_id_item_id_location_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_stock_levels_account_id_location_id_item_id",
            ["account_id", "location_id", "item_id"],
        )
        batch_op.create_index("ix_stock_levels_account_id_item_id", ["account_id", "item_id"])
