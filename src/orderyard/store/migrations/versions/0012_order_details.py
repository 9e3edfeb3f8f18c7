"""Orders: customer, billing address, order date, the shipping address's coordinates; lines:
their external id, tax and discount.

OrderDynamics' create carries a customer apart from the shipping address's contact, a
billing address, the date the order was placed, and per line the client's detail id, tax and
discount. ShipEdge's orders leave them empty. The customer's external id and the last change
lead two indexes, for the customer's history and the list by last update.

Revision ID: 0012_order_details
Revises: 0011_virtual_inventory
Create Date: 2026-12-07 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_order_details"
down_revision: str | None = "0011_virtual_inventory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER_TEXT = (
    ("customer_external_id", 100),
    ("customer_email", 200),
    ("customer_first_name", 100),
    ("customer_last_name", 100),
    ("customer_phone", 64),
    ("nickname", 200),
    ("billing_firstname", 100),
    ("billing_lastname", 100),
    ("billing_company", 200),
    ("billing_address1", 200),
    ("billing_address2", 200),
    ("billing_city", 100),
    ("billing_state", 100),
    ("billing_zip", 32),
    ("billing_country", 64),
    ("billing_phone", 64),
    ("billing_email", 200),
    ("billing_nickname", 200),
)
ORDER_NUMBERS = ("latitude", "longitude", "billing_latitude", "billing_longitude")
LINE_MONEY = ("tax_amount", "discount_amount")


def upgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ordered_at", sa.DateTime(timezone=True)))
        for name, length in ORDER_TEXT:
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default="", nullable=False)
            )
        for name in ORDER_NUMBERS:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_customer_external_id_id"),
            ["account_id", "customer_external_id", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_orders_account_id_updated_at_id"),
            ["account_id", "updated_at", "id"],
            unique=False,
        )
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("external_id", sa.String(length=100), server_default="", nullable=False)
        )
        for name in LINE_MONEY:
            batch_op.add_column(
                sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)
            )


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        for name in reversed(LINE_MONEY):
            batch_op.drop_column(name)
        batch_op.drop_column("external_id")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_account_id_updated_at_id"))
        batch_op.drop_index(batch_op.f("ix_orders_account_id_customer_external_id_id"))
        for name in reversed(ORDER_NUMBERS):
            batch_op.drop_column(name)
        for name, _ in reversed(ORDER_TEXT):
            batch_op.drop_column(name)
        batch_op.drop_column("ordered_at")
