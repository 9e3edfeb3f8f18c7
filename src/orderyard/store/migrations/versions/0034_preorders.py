"""Pre-orders: waves, their sequenced lines, release schedules (issue 19).

``preorder_waves`` plan a quantity of an item at a location with a release date;
``preorder_lines`` are the order lines sequenced against a wave, in placement order;
``preorder_release_schedules`` say when a country's pre-orders of an item are released (and
from which location). ``order_lines.preordered`` counts a line's units waiting in a wave (not
in the backorder queue). A release that bypasses the inventory requirement allocates units
not yet on hand: ``stock_levels.bypassed`` counts them (only that release raises it, any
receipt settles it first), and the check ``allocated <= on_hand`` becomes
``allocated <= on_hand + bypassed``, so every other path keeps the strict rule
(``store/stock_figures.py``; docs/dialects/orderdynamics.md, "Pre-orders").

Revision ID: 0034_preorders
Revises: 0033_console_sessions
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_preorders"
down_revision: str | None = "0033_console_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)
OPEN = sa.text("status = 'open'")


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{referred}.id"], name=op.f(f"fk_{table}_{column}_{referred}")
    )


def upgrade() -> None:
    op.create_table(
        "preorder_waves",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("external_id", sa.String(length=100), server_default="", nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("location_id", ID, nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("sequenced", sa.Integer(), server_default="0", nullable=False),
        sa.Column("released", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_position", sa.Integer(), server_default="1", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("release_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "sequenced >= 0 AND released >= 0", name=op.f("ck_preorder_waves_counts_not_negative")
        ),
        sa.CheckConstraint(
            "sequenced + released <= planned", name=op.f("ck_preorder_waves_within_planned")
        ),
        _fk("preorder_waves", "account_id", "accounts"),
        _fk("preorder_waves", "item_id", "items"),
        _fk("preorder_waves", "location_id", "locations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preorder_waves")),
    )
    for columns in (
        ["account_id", "item_id", "id"],
        ["account_id", "external_id", "id"],
        ["account_id", "location_id", "id"],
    ):
        op.create_index(op.f(f"ix_preorder_waves_{'_'.join(columns)}"), "preorder_waves", columns)
    op.create_index(
        "ix_preorder_waves_open",
        "preorder_waves",
        ["account_id", "item_id", "release_at", "id"],
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.create_table(
        "preorder_lines",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("wave_id", ID, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("order_line_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("released", sa.Integer(), server_default="0", nullable=False),
        sa.Column("country", sa.String(length=64), server_default="", nullable=False),
        sa.Column("delivery_override_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "quantity >= 0 AND released >= 0", name=op.f("ck_preorder_lines_counts_not_negative")
        ),
        _fk("preorder_lines", "account_id", "accounts"),
        _fk("preorder_lines", "wave_id", "preorder_waves"),
        _fk("preorder_lines", "order_id", "orders"),
        _fk("preorder_lines", "order_line_id", "order_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preorder_lines")),
        sa.UniqueConstraint(
            "account_id", "order_line_id", name=op.f("uq_preorder_lines_account_id_order_line_id")
        ),
        sa.UniqueConstraint(
            "account_id",
            "wave_id",
            "position",
            name=op.f("uq_preorder_lines_account_id_wave_id_position"),
        ),
    )
    op.create_table(
        "preorder_release_schedules",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("item_id", ID, nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("location_id", ID, nullable=True),
        sa.Column("release_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        _fk("preorder_release_schedules", "account_id", "accounts"),
        _fk("preorder_release_schedules", "item_id", "items"),
        _fk("preorder_release_schedules", "location_id", "locations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preorder_release_schedules")),
        sa.UniqueConstraint(
            "account_id",
            "item_id",
            "country",
            name=op.f("uq_preorder_release_schedules_account_id_item_id_country"),
        ),
    )
    op.create_index(
        op.f("ix_preorder_release_schedules_account_id_country_id"),
        "preorder_release_schedules",
        ["account_id", "country", "id"],
    )
    with op.batch_alter_table("order_lines") as batch:
        batch.add_column(sa.Column("preordered", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("stock_levels") as batch:
        batch.add_column(sa.Column("bypassed", sa.Integer(), server_default="0", nullable=False))
        batch.drop_constraint(op.f("ck_stock_levels_allocated_within_on_hand"), type_="check")
        batch.create_check_constraint(
            op.f("ck_stock_levels_bypassed_not_negative"), "bypassed >= 0"
        )
        batch.create_check_constraint(
            op.f("ck_stock_levels_allocated_within_on_hand_or_bypassed"),
            "allocated <= on_hand + bypassed",
        )


SHORTFALLS = sa.text("SELECT count(*) FROM stock_levels WHERE bypassed > 0")
WAVE_HOLDS = {"holds": "preorder-wave-%"}
"""The waves' reservations, by their references (``services/preorder/holds.py``)."""
RELEASE_WAVE_HOLDS = sa.text(
    """
    UPDATE stock_levels SET reserved = reserved - (
        SELECT coalesce(sum(r.quantity), 0) FROM reservations r
        WHERE r.account_id = stock_levels.account_id AND r.location_id = stock_levels.location_id
          AND r.item_id = stock_levels.item_id AND r.reference LIKE :holds
    )
    WHERE EXISTS (
        SELECT 1 FROM reservations r
        WHERE r.account_id = stock_levels.account_id AND r.location_id = stock_levels.location_id
          AND r.item_id = stock_levels.item_id AND r.reference LIKE :holds
    )
    """
)
DELETE_WAVE_HOLDS = sa.text("DELETE FROM reservations WHERE reference LIKE :holds")


class ShortfallsRemainError(RuntimeError):
    """The schema before pre-orders cannot hold stock allocated beyond on-hand."""


def downgrade() -> None:
    """Undo pre-orders; their lines wait as ordinary backorders, the waves' holds are lifted.

    Refused while a bypass release's shortfall remains anywhere (``allocated`` beyond
    ``on_hand``, which the older check forbids): receive the stock, or cancel those
    allocations, first.
    """
    shortfalls = op.get_bind().execute(SHORTFALLS).scalar_one()
    if shortfalls:
        raise ShortfallsRemainError(
            f"cannot downgrade below 0034_preorders: {shortfalls} stock level(s) have units "
            "allocated ahead of their stock by a bypass release; receive that stock or cancel "
            "those allocations first"
        )
    bind = op.get_bind()
    bind.execute(RELEASE_WAVE_HOLDS, WAVE_HOLDS)
    bind.execute(DELETE_WAVE_HOLDS, WAVE_HOLDS)
    with op.batch_alter_table("stock_levels") as batch:
        batch.drop_constraint(
            op.f("ck_stock_levels_allocated_within_on_hand_or_bypassed"), type_="check"
        )
        batch.drop_constraint(op.f("ck_stock_levels_bypassed_not_negative"), type_="check")
        batch.drop_column("bypassed")
        batch.create_check_constraint(
            op.f("ck_stock_levels_allocated_within_on_hand"), "allocated <= on_hand"
        )
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_column("preordered")
    op.drop_table("preorder_release_schedules")
    op.drop_table("preorder_lines")
    op.drop_table("preorder_waves")
