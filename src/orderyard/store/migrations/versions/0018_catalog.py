"""Catalog: OrderDynamics products (styles), item categories and site pricing.

A product groups items; ``items.product_id`` points to it (optional) and is indexed so that a
product's items are an index range. Categories are a set of names per item. Site prices are
one row per (item, channel) with an optional sale window.

Revision ID: 0018_catalog
Revises: 0017_payments
Create Date: 2026-12-09 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_catalog"
down_revision: str | None = "0017_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts")
    )


def _item_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["item_id"], ["items.id"], name=op.f(f"fk_{table}_item_id_items")
    )


def upgrade() -> None:
    op.create_table(
        "products",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("backend_name", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _account_fk("products"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint(
            "account_id", "backend_name", name=op.f("uq_products_account_id_backend_name")
        ),
        sa.UniqueConstraint("account_id", "name", name=op.f("uq_products_account_id_name")),
    )
    op.create_index(op.f("ix_products_account_id_id"), "products", ["account_id", "id"])
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product_id", ID, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_items_product_id_products"), "products", ["product_id"], ["id"]
        )
        batch_op.create_index(
            batch_op.f("ix_items_account_id_product_id_id"), ["account_id", "product_id", "id"]
        )
    op.create_table(
        "item_categories",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _account_fk("item_categories"),
        _item_fk("item_categories"),
        sa.UniqueConstraint(
            "account_id",
            "item_id",
            "category",
            name=op.f("uq_item_categories_account_id_item_id_category"),
        ),
    )
    op.create_table(
        "item_prices",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("channel_id", ID, nullable=False),
        sa.Column("list_price", sa.BigInteger(), nullable=False),
        sa.Column("sale_price", sa.BigInteger(), nullable=True),
        sa.Column("sale_starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sale_ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("list_price >= 0", name=op.f("ck_item_prices_list_price_not_negative")),
        _account_fk("item_prices"),
        _item_fk("item_prices"),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_item_prices_channel_id_channels")
        ),
        sa.UniqueConstraint(
            "account_id",
            "item_id",
            "channel_id",
            name=op.f("uq_item_prices_account_id_item_id_channel_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("item_prices")
    op.drop_table("item_categories")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_items_account_id_product_id_id"))
        batch_op.drop_constraint(batch_op.f("fk_items_product_id_products"), type_="foreignkey")
        batch_op.drop_column("product_id")
    op.drop_index(op.f("ix_products_account_id_id"), table_name="products")
    op.drop_table("products")
