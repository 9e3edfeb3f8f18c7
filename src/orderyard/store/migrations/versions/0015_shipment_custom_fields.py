"""Shipment lists by creation time, status and location (OrderDynamics' Get Shipments).

Shipment and shipment-line custom fields live in the one attribute store (owner types
``shipment`` and ``shipment_line``): no table changes.

Revision ID: 0015_shipment_custom_fields
Revises: 0013_shipment_operations
Create Date: 2026-12-08 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015_shipment_custom_fields"
down_revision: str | None = "0013_shipment_operations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("account_id", "created_at", "id"),
    ("account_id", "status", "id"),
    ("account_id", "location_id", "id"),
)


def upgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        for columns in INDEXES:
            batch.create_index(batch.f(f"ix_shipments_{'_'.join(columns)}"), list(columns))


def downgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        for columns in INDEXES:
            batch.drop_index(batch.f(f"ix_shipments_{'_'.join(columns)}"))
