"""Reservations: units held aside at a stock level, each optionally until an expiry.

``stock_levels.reserved`` keeps the sum of the level's reservations as of their last change
and ``reserved_expires_at`` the earliest expiry among them, so that allocation still checks
one row (docs/decisions.md, "Reservations expire without a sweeper").

Revision ID: 0009_reservations
Revises: 0008_bulk_jobs
Create Date: 2026-12-06 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_reservations"
down_revision: str | None = "0008_bulk_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("stock_levels") as batch:
        batch.add_column(sa.Column("reserved_expires_at", WHEN, nullable=True))
    op.create_table(
        "reservations",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("location_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("reference", sa.String(length=100), server_default="", nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("expires_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_reservations_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_reservations_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_reservations_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_reservations_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
        sa.UniqueConstraint(
            "account_id",
            "item_id",
            "location_id",
            "reference",
            name=op.f("uq_reservations_account_id_item_id_location_id_reference"),
        ),
    )


def downgrade() -> None:
    op.drop_table("reservations")
    with op.batch_alter_table("stock_levels") as batch:
        batch.drop_column("reserved_expires_at")
