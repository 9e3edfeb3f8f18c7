"""Item locations: one SKU at one location, as the owner of custom field values.

A surrogate id per (account, item, location), created when custom fields are first written for
the pair; its values are ``attributes`` rows of owner type ``item_location``. Stock levels are
untouched (docs/decisions.md, "Item-location custom fields").

Revision ID: 0010_item_location_fields
Revises: 0009_reservations
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_item_location_fields"
down_revision: str | None = "0009_reservations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "item_locations",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("location_id", ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_item_locations_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_locations_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_item_locations_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_locations")),
        sa.UniqueConstraint(
            "account_id",
            "item_id",
            "location_id",
            name=op.f("uq_item_locations_account_id_item_id_location_id"),
        ),
    )


def downgrade() -> None:
    # The values and definitions of an owner type the older code does not know go with it.
    op.execute("DELETE FROM attributes WHERE owner_type = 'item_location'")
    op.execute("DELETE FROM custom_fields WHERE owner_type = 'item_location'")
    op.drop_table("item_locations")
