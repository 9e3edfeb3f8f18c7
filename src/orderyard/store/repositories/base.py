"""What every tenant repository shares: its connection and the account it is scoped to."""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from orderyard.store.scope import TenantScoped


class TenantRepository(TenantScoped):
    """A repository (the write side) bound to one connection and one account."""


def violates(error: IntegrityError, table: str, *columns: str) -> bool:
    """Whether ``error`` is the unique key of ``table`` over ``columns``.

    PostgreSQL names the constraint (``uq_<table>_<columns>``, from the naming convention);
    SQLite lists the columns (``UNIQUE constraint failed: t.a, t.b``). Both are recognised.
    """
    message = str(error.orig)
    constraint = "_".join(("uq", table, *columns))
    sqlite_form = "UNIQUE constraint failed: " + ", ".join(f"{table}.{c}" for c in columns)
    return constraint in message or sqlite_form in message


def dialect_insert(dialect: str, table: Table) -> Any:
    """An ``INSERT`` that can take ``ON CONFLICT``, for the backend named ``dialect``."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def upsert(conn: AsyncConnection, table: Table) -> Any:
    """An ``INSERT ... ON CONFLICT`` construct for the connection's backend."""
    return dialect_insert(conn.dialect.name, table)
