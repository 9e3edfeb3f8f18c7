"""Customers and their address books (OrderDynamics' Customers and Addresses APIs).

``customers.external_id`` is unique in the account when given; a customer has at most one
default shipping address (a partial unique index). Orders gain no column: a customer's orders
are found when read, by the existing (account_id, customer_external_id) and (account_id,
customer_email) indexes of ``orders``.

Revision ID: 0020_customers
Revises: 0019_taxes_shipping_rates
Create Date: 2026-12-06 04:29:08.033511
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)
SCALED = sa.BigInteger()
"""The store's ``ScaledDecimal``: a decimal kept as an integer of ten-thousandths."""

revision: str = "0020_customers"
down_revision: str | None = "0019_taxes_shipping_rates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column(
            "id",
            ID,
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("external_id", sa.String(length=100), server_default="", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("first_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("last_name", sa.String(length=100), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=64), server_default="", nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("forgotten_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_customers_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customers_account_id_created_at_id"),
            ["account_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_customers_account_id_email_id"),
            ["account_id", "email", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_customers_account_id_first_name_id"),
            ["account_id", "first_name", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_customers_account_id_id"), ["account_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_customers_account_id_last_name_id"),
            ["account_id", "last_name", "id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_customers_account_id_phone_id"),
            ["account_id", "phone", "id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_customers_account_id_external_id",
            ["account_id", "external_id"],
            unique=True,
            sqlite_where=sa.text("external_id <> ''"),
            postgresql_where=sa.text("external_id <> ''"),
        )

    op.create_table(
        "customer_addresses",
        sa.Column(
            "id",
            ID,
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("external_id", sa.String(length=100), server_default="", nullable=False),
        sa.Column("address_type", sa.String(length=16), server_default="shipping", nullable=False),
        sa.Column(
            "is_default_shipping", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("first_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("last_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("company", sa.String(length=200), server_default="", nullable=False),
        sa.Column("address1", sa.String(length=200), server_default="", nullable=False),
        sa.Column("address2", sa.String(length=200), server_default="", nullable=False),
        sa.Column("city", sa.String(length=100), server_default="", nullable=False),
        sa.Column("state", sa.String(length=100), server_default="", nullable=False),
        sa.Column("zip", sa.String(length=32), server_default="", nullable=False),
        sa.Column("country", sa.String(length=64), server_default="", nullable=False),
        sa.Column("phone", sa.String(length=64), server_default="", nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("nickname", sa.String(length=200), server_default="", nullable=False),
        sa.Column("latitude", SCALED, nullable=True),
        sa.Column("longitude", SCALED, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "NOT is_default_shipping OR address_type = 'shipping'",
            name=op.f("ck_customer_addresses_default_is_shipping"),
        ),
        sa.CheckConstraint(
            "address_type IN ('shipping', 'billing')",
            name=op.f("ck_customer_addresses_address_type_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_customer_addresses_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_addresses_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_addresses")),
    )
    with op.batch_alter_table("customer_addresses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_addresses_account_id_customer_id_id"),
            ["account_id", "customer_id", "id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_customer_addresses_account_id_external_id",
            ["account_id", "external_id"],
            unique=True,
            sqlite_where=sa.text("external_id <> ''"),
            postgresql_where=sa.text("external_id <> ''"),
        )
        batch_op.create_index(
            "uq_customer_addresses_default_shipping",
            ["account_id", "customer_id"],
            unique=True,
            sqlite_where=sa.text("is_default_shipping = 1"),
            postgresql_where=sa.text("is_default_shipping = true"),
        )


def downgrade() -> None:
    with op.batch_alter_table("customer_addresses", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_customer_addresses_default_shipping",
            sqlite_where=sa.text("is_default_shipping = 1"),
            postgresql_where=sa.text("is_default_shipping = true"),
        )
        batch_op.drop_index(
            "uq_customer_addresses_account_id_external_id",
            sqlite_where=sa.text("external_id <> ''"),
            postgresql_where=sa.text("external_id <> ''"),
        )
        batch_op.drop_index(batch_op.f("ix_customer_addresses_account_id_customer_id_id"))

    op.drop_table("customer_addresses")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_customers_account_id_external_id",
            sqlite_where=sa.text("external_id <> ''"),
            postgresql_where=sa.text("external_id <> ''"),
        )
        batch_op.drop_index(batch_op.f("ix_customers_account_id_phone_id"))
        batch_op.drop_index(batch_op.f("ix_customers_account_id_last_name_id"))
        batch_op.drop_index(batch_op.f("ix_customers_account_id_id"))
        batch_op.drop_index(batch_op.f("ix_customers_account_id_first_name_id"))
        batch_op.drop_index(batch_op.f("ix_customers_account_id_email_id"))
        batch_op.drop_index(batch_op.f("ix_customers_account_id_created_at_id"))

    op.drop_table("customers")
