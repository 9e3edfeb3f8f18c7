"""Custom field metadata: the definitions OrderDynamics custom fields are checked against.

One row per (account, owner type, system name); the values stay in ``attributes``, the one
store ShipEdge attributes and OrderDynamics custom fields share.

Revision ID: 0007_custom_field_metadata
Revises: 0006_location_address_deletion
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_custom_field_metadata"
down_revision: str | None = "0006_location_address_deletion"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "custom_fields",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("owner_type", sa.String(length=32), nullable=False),
        sa.Column("system_name", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("data_type", sa.String(length=16), nullable=False),
        sa.Column("required", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("allowed_values", sa.Text(), server_default="[]", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_custom_fields_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_fields")),
        sa.UniqueConstraint(
            "account_id",
            "owner_type",
            "system_name",
            name=op.f("uq_custom_fields_account_id_owner_type_system_name"),
        ),
    )


def downgrade() -> None:
    op.drop_table("custom_fields")
