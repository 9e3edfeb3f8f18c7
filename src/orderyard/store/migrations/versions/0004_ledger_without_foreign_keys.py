"""The ledger (inventory_movements) without foreign keys.

Every movement is written in the same statement as the change of the stock level it names,
and the level carries the keys to its account, item and location; nothing deletes any of
them. The ledger's own three checks were a lookup each per row: 330,000 of them in the
100,000-row feed, three per take of every order (docs/decisions.md).

Revision ID: 0004_ledger_without_foreign_keys
Revises: 0003_stock_level_keys
Create Date: 2026-11-23 05:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_ledger_without_foreign_keys"
down_revision: str | None = "0003_stock_level_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FOREIGN_KEYS = (
    ("fk_inventory_movements_account_id_accounts", "accounts", "account_id"),
    ("fk_inventory_movements_item_id_items", "items", "item_id"),
    ("fk_inventory_movements_location_id_locations", "locations", "location_id"),
)


def upgrade() -> None:
    with op.batch_alter_table("inventory_movements", schema=None) as batch_op:
        for name, _, _ in FOREIGN_KEYS:
            batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("inventory_movements", schema=None) as batch_op:
        for name, table, column in FOREIGN_KEYS:
            batch_op.create_foreign_key(name, table, [column], ["id"])
