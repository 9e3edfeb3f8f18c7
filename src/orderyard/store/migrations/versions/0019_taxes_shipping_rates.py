"""Tax rates and shipping rates (with their tiers).

Revision ID: 0019_taxes_shipping_rates
Revises: 0018_catalog
Create Date: 2026-12-09 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_taxes_shipping_rates"
down_revision: str | None = "0018_catalog"
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
        "tax_rates",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("backend_name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=100), server_default="", nullable=False),
        sa.Column("postal_prefix", sa.String(length=32), server_default="", nullable=False),
        sa.Column("valid_from", WHEN, nullable=True),
        sa.Column("valid_to", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "rate >= 0 AND rate <= 1000000", name=op.f("ck_tax_rates_rate_in_range")
        ),
        _account("tax_rates"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_rates")),
        sa.UniqueConstraint(
            "account_id", "backend_name", name=op.f("uq_tax_rates_account_id_backend_name")
        ),
    )
    op.create_index(op.f("ix_tax_rates_account_id_id"), "tax_rates", ["account_id", "id"])
    op.create_index(
        op.f("ix_tax_rates_account_id_rate_id"), "tax_rates", ["account_id", "rate", "id"]
    )
    op.create_index(
        op.f("ix_tax_rates_account_id_country_code_region_postal_prefix_id"),
        "tax_rates",
        ["account_id", "country_code", "region", "postal_prefix", "id"],
    )
    op.create_table(
        "shipping_rates",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("backend_name", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("shipping_method_id", ID, nullable=False),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("region", sa.String(length=100), server_default="", nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        _account("shipping_rates"),
        sa.ForeignKeyConstraint(
            ["shipping_method_id"],
            ["shipping_methods.id"],
            name=op.f("fk_shipping_rates_shipping_method_id_shipping_methods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_rates")),
        sa.UniqueConstraint(
            "account_id", "backend_name", name=op.f("uq_shipping_rates_account_id_backend_name")
        ),
    )
    op.create_index(
        op.f("ix_shipping_rates_account_id_country_code_region"),
        "shipping_rates",
        ["account_id", "country_code", "region"],
    )
    op.create_table(
        "shipping_rate_tiers",
        sa.Column("account_id", ID, nullable=False),
        sa.Column("rate_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("min_weight", sa.BigInteger(), nullable=False),
        sa.Column("max_weight", sa.BigInteger(), nullable=True),
        sa.Column("min_subtotal", sa.BigInteger(), nullable=False),
        sa.Column("max_subtotal", sa.BigInteger(), nullable=True),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "price >= 0 AND min_weight >= 0 AND min_subtotal >= 0",
            name=op.f("ck_shipping_rate_tiers_not_negative"),
        ),
        _account("shipping_rate_tiers"),
        sa.ForeignKeyConstraint(
            ["rate_id"],
            ["shipping_rates.id"],
            name=op.f("fk_shipping_rate_tiers_rate_id_shipping_rates"),
        ),
        sa.UniqueConstraint(
            "account_id",
            "rate_id",
            "position",
            name=op.f("uq_shipping_rate_tiers_account_id_rate_id_position"),
        ),
    )


def downgrade() -> None:
    op.drop_table("shipping_rate_tiers")
    op.drop_index(
        op.f("ix_shipping_rates_account_id_country_code_region"), table_name="shipping_rates"
    )
    op.drop_table("shipping_rates")
    for name in (
        "ix_tax_rates_account_id_country_code_region_postal_prefix_id",
        "ix_tax_rates_account_id_rate_id",
        "ix_tax_rates_account_id_id",
    ):
        op.drop_index(op.f(name), table_name="tax_rates")
    op.drop_table("tax_rates")
