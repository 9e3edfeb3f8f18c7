"""Accounts: a unique index on the API key's digest, so that a key alone finds its account.

Every dialect authenticates a request by its key (OrderDynamics sends nothing else); the
lookup by digest is an index probe, and two accounts can never share a key (a collision of
two random 256-bit keys would fail at creation instead).

Revision ID: 0005_account_key_digest_index
Revises: 0004_ledger_without_foreign_keys
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005_account_key_digest_index"
down_revision: str | None = "0004_ledger_without_foreign_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_key_hash"), ["key_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_key_hash"))
