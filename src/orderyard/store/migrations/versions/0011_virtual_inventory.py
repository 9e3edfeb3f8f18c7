"""Virtual inventory: inventory pools over locations, and pool groups that collect pools.

Revision ID: 0011_virtual_inventory
Revises: 0010_item_location_fields
Create Date: 2026-12-06 03:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_virtual_inventory"
down_revision: str | None = "0010_item_location_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def _account(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts")
    )


def upgrade() -> None:
    op.create_table(
        "inventory_pools",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("internal_name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("percentage", sa.Integer(), server_default="100", nullable=False),
        sa.Column("buffer", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "percentage >= 0 AND percentage <= 100",
            name=op.f("ck_inventory_pools_percentage_in_range"),
        ),
        sa.CheckConstraint("buffer >= 0", name=op.f("ck_inventory_pools_buffer_not_negative")),
        _account("inventory_pools"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_pools")),
        sa.UniqueConstraint(
            "account_id", "internal_name", name=op.f("uq_inventory_pools_account_id_internal_name")
        ),
    )
    op.create_table(
        "inventory_pool_locations",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("pool_id", ID, nullable=False),
        sa.Column("location_id", ID, nullable=False),
        _account("inventory_pool_locations"),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["inventory_pools.id"],
            name=op.f("fk_inventory_pool_locations_pool_id_inventory_pools"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_inventory_pool_locations_location_id_locations"),
        ),
        sa.UniqueConstraint(
            "account_id",
            "pool_id",
            "location_id",
            name=op.f("uq_inventory_pool_locations_account_id_pool_id_location_id"),
        ),
    )
    op.create_index(
        op.f("ix_inventory_pool_locations_account_id_location_id"),
        "inventory_pool_locations",
        ["account_id", "location_id"],
    )
    op.create_table(
        "inventory_pool_groups",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("internal_name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _account("inventory_pool_groups"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_pool_groups")),
        sa.UniqueConstraint(
            "account_id",
            "internal_name",
            name=op.f("uq_inventory_pool_groups_account_id_internal_name"),
        ),
    )
    op.create_table(
        "inventory_pool_group_members",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("group_id", ID, nullable=False),
        sa.Column("pool_id", ID, nullable=False),
        _account("inventory_pool_group_members"),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["inventory_pool_groups.id"],
            name=op.f("fk_inventory_pool_group_members_group_id_inventory_pool_groups"),
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["inventory_pools.id"],
            name=op.f("fk_inventory_pool_group_members_pool_id_inventory_pools"),
        ),
        sa.UniqueConstraint(
            "account_id",
            "group_id",
            "pool_id",
            name=op.f("uq_inventory_pool_group_members_account_id_group_id_pool_id"),
        ),
    )
    op.create_index(
        op.f("ix_inventory_pool_group_members_account_id_pool_id"),
        "inventory_pool_group_members",
        ["account_id", "pool_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_inventory_pool_group_members_account_id_pool_id"),
        table_name="inventory_pool_group_members",
    )
    op.drop_table("inventory_pool_group_members")
    op.drop_table("inventory_pool_groups")
    op.drop_index(
        op.f("ix_inventory_pool_locations_account_id_location_id"),
        table_name="inventory_pool_locations",
    )
    op.drop_table("inventory_pool_locations")
    op.drop_table("inventory_pools")
