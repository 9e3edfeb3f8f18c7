"""Order numbers by prefix, with their ids: ``ix_orders_order_number_prefix`` gains ``id``.

0035's index (account_id, order_number ``varchar_pattern_ops``) found a prefix's orders, but
a list page sorts them by id and only a table row held it: a prefix matching 11,111 of a
1,000,000-order account read 11,111 rows of the table for its page of 50 (bench/README.md,
"Console orders list"). With ``id`` last, the page's ids come from the index alone (an
index-only scan), and the count reads the range without a sort (``order_filters.count_along``).
Replaced under the same name: the queries and docs name it. SQLite has no operator classes:
there it is a plain index.

Revision ID: 0036_order_number_prefix_ids
Revises: 0035_order_number_prefix
Create Date: 2026-12-06 19:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0036_order_number_prefix_ids"
down_revision: str | None = "0035_order_number_prefix"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_orders_order_number_prefix"
OPS = {"order_number": "varchar_pattern_ops"}


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_index(NAME)
        batch.create_index(NAME, ["account_id", "order_number", "id"], postgresql_ops=OPS)


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_index(NAME)
        batch.create_index(NAME, ["account_id", "order_number"], postgresql_ops=OPS)
