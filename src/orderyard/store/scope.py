"""What every tenant-scoped piece of the store holds: its connection and its account."""

from sqlalchemy import ColumnElement, FromClause
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.domain.values import AccountId


class TenantScoped:
    """Bound to one connection and one account; every statement it runs is scoped to it."""

    def __init__(self, conn: AsyncConnection, account_id: AccountId) -> None:
        self.conn = conn
        self.account_id = account_id


def same_account(left: FromClause, right: FromClause) -> ColumnElement[bool]:
    """The rows of ``left`` and ``right`` belong to one account.

    Every join between tenant tables says so beside its key, so that a statement touches one
    tenant's rows however its tables are distributed: by ``account_id`` (docs/scaling.md), each
    statement stays on the shard of its tenant (``tests/store/test_account_filters.py``).
    """
    return left.c.account_id == right.c.account_id
