"""The ledger and allocations reference their stock level by one composite foreign key.

Each had three single-column keys (account, location, item), each a lookup per inserted row;
a 100,000-row on-hand feed writes 100,000 ledger rows in one transaction. A movement or an
allocation is always about an existing level, and the composite key also keeps it inside its
account (the level's own keys already check the location and the item).

Revision ID: 0003_stock_level_foreign_keys
Revises: 0002_catalog_item_indexes
Create Date: 2026-11-23 03:10:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_stock_level_foreign_keys"
down_revision: str | None = "0002_catalog_item_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVEL = ["account_id", "location_id", "item_id"]
SINGLE = {"account_id": "accounts", "location_id": "locations", "item_id": "items"}


def upgrade() -> None:
    for table in ("inventory_movements", "allocations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, referred in SINGLE.items():
                batch_op.drop_constraint(f"fk_{table}_{column}_{referred}", type_="foreignkey")
            batch_op.create_foreign_key(
                f"fk_{table}_account_id_stock_levels", "stock_levels", LEVEL, LEVEL
            )


def downgrade() -> None:
    for table in ("allocations", "inventory_movements"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f"fk_{table}_account_id_stock_levels", type_="foreignkey")
            for column, referred in SINGLE.items():
                batch_op.create_foreign_key(
                    f"fk_{table}_{column}_{referred}", referred, [column], ["id"]
                )
