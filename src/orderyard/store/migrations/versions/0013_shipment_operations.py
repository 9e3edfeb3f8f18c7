"""Shipment operations: several tracking numbers per shipment, the delivery time, and the
account's choice to create shipments as soon as stock is allocated.

Revision ID: 0013_shipment_operations
Revises: 0012_order_details
Create Date: 2026-12-07 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_shipment_operations"
down_revision: str | None = "0012_order_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(
            sa.Column(
                "ships_on_allocation", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table("shipments") as batch:
        batch.add_column(sa.Column("delivered_at", WHEN, nullable=True))
    op.create_table(
        "shipment_tracking",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("shipment_id", ID, nullable=False),
        sa.Column("carrier", sa.String(length=100), server_default="", nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_shipment_tracking_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_shipment_tracking_shipment_id_shipments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_tracking")),
        sa.UniqueConstraint(
            "account_id",
            "shipment_id",
            "number",
            name=op.f("uq_shipment_tracking_account_id_shipment_id_number"),
        ),
    )


def downgrade() -> None:
    op.drop_table("shipment_tracking")
    with op.batch_alter_table("shipments") as batch:
        batch.drop_column("delivered_at")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("ships_on_allocation")
