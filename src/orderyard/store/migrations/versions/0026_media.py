"""Images and notes: ``images``, ``notes``, ``note_attachments`` (bytes in the blob store).

Revision ID: 0026_media
Revises: 0025_webhooks
Create Date: 2026-12-06 08:20:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = sa.DateTime(timezone=True)

revision: str = "0026_media"
down_revision: str | None = "0025_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys(table: str) -> list[Any]:
    return [
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f(f"fk_{table}_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "images",
        *_keys("images"),
        sa.Column("owner_name", sa.String(length=16), nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("owner_key", sa.String(length=200), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=True),
        sa.Column("file_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("content_type", sa.String(length=130), nullable=True),
        sa.Column("byte_size", sa.BigInteger(), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "owner_name IN ('Product', 'Item')", name=op.f("ck_images_owner_name_known")
        ),
        sa.CheckConstraint(
            "(storage_key IS NULL) <> (source_url IS NULL)",
            name=op.f("ck_images_stored_or_linked"),
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_images_storage_key")),
    )
    op.create_index(
        op.f("ix_images_account_id_owner_name_owner_id_id"),
        "images",
        ["account_id", "owner_name", "owner_id", "id"],
    )
    op.create_table(
        "notes",
        *_keys("notes"),
        sa.Column("table_name", sa.String(length=16), nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("key_value", sa.String(length=200), nullable=False),
        sa.Column("note_text", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.CheckConstraint(
            "table_name IN ('Order', 'Customer', 'Item', 'Product')",
            name=op.f("ck_notes_table_name_known"),
        ),
    )
    op.create_index(
        op.f("ix_notes_account_id_table_name_record_id_id"),
        "notes",
        ["account_id", "table_name", "record_id", "id"],
    )
    op.create_index(op.f("ix_notes_account_id_id"), "notes", ["account_id", "id"])
    op.create_table(
        "note_attachments",
        *_keys("note_attachments"),
        sa.Column("note_id", ID, nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=255), server_default="", nullable=False),
        sa.Column("content_type", sa.String(length=130), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_attachments_note_id_notes")
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_note_attachments_storage_key")),
    )
    op.create_index(
        op.f("ix_note_attachments_account_id_note_id_id"),
        "note_attachments",
        ["account_id", "note_id", "id"],
    )
    op.create_index(
        op.f("ix_note_attachments_account_id_id"), "note_attachments", ["account_id", "id"]
    )


def downgrade() -> None:
    op.drop_table("note_attachments")
    op.drop_table("notes")
    op.drop_table("images")
