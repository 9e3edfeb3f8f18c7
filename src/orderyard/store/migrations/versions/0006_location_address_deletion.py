"""Locations: the whole address (second line, contact, nickname), and deletion as a mark.

OrderDynamics' location APIs carry the full address shape; ShipEdge's show part of it. A
deleted location keeps its row: its shipments, allocations and ledger still name it, and its
code stays taken (codes are never reused), so deleting sets ``deleted_at``.

Revision ID: 0006_location_address_deletion
Revises: 0005_account_key_digest_index
Create Date: 2026-12-04 18:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_location_address_deletion"
down_revision: str | None = "0005_account_key_digest_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT_COLUMNS = (
    ("address2", 200),
    ("first_name", 200),
    ("last_name", 200),
    ("company", 200),
    ("phone", 64),
    ("email", 200),
    ("nickname", 200),
)


def upgrade() -> None:
    with op.batch_alter_table("locations", schema=None) as batch_op:
        for name, length in TEXT_COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default="", nullable=False)
            )
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
        for name, _ in reversed(TEXT_COLUMNS):
            batch_op.drop_column(name)
