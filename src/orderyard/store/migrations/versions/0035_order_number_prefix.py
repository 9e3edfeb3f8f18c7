"""Order numbers by prefix (``ix_orders_order_number_prefix``): the console's search.

``LIKE 'prefix%'`` reaches the unique (account_id, order_number) index only under the "C"
collation; under any other (``C.UTF-8`` included, on PostgreSQL 15) a search read every order
of the table (bench/README.md, "Console orders list"). ``varchar_pattern_ops`` compares byte
by byte, so PostgreSQL turns the prefix into a range of this index whatever the collation.
SQLite has no operator classes: there it is a plain index.

Revision ID: 0035_order_number_prefix
Revises: 0034_preorders
Create Date: 2026-12-06 17:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0035_order_number_prefix"
down_revision: str | None = "0034_preorders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.create_index(
            "ix_orders_order_number_prefix",
            ["account_id", "order_number"],
            postgresql_ops={"order_number": "varchar_pattern_ops"},
        )


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_index("ix_orders_order_number_prefix")
