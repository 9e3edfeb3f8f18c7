"""The migrations build exactly the declared schema, and round-trip, on both backends."""

import asyncio
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from orderyard.store import migrate


@pytest.fixture
def fresh_url(db_url: str) -> str:
    return db_url


def test_the_migrated_schema_matches_the_tables(fresh_url: str) -> None:
    migrate.check(fresh_url)


def test_downgrade_to_base_and_upgrade_again(fresh_url: str) -> None:
    migrate.downgrade(fresh_url, "base")
    migrate.upgrade(fresh_url)

    migrate.check(fresh_url)


def key_indexes(url: str) -> dict[str, bool]:
    """The indexes of ``accounts`` on ``key_hash`` and whether each is unique."""

    async def read() -> list[dict[str, Any]]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                found: list[dict[str, Any]] = await conn.run_sync(
                    lambda sync: list(inspect(sync).get_indexes("accounts"))
                )
                return found
        finally:
            await engine.dispose()

    return {
        i["name"]: bool(i["unique"])
        for i in asyncio.run(read())
        if i["column_names"] == ["key_hash"]
    }


def test_the_key_digest_index_comes_and_goes_with_its_migration(fresh_url: str) -> None:
    migrate.downgrade(fresh_url, "0004_ledger_without_foreign_keys")
    before = key_indexes(fresh_url)
    migrate.upgrade(fresh_url)

    assert (before, key_indexes(fresh_url)) == ({}, {"ix_accounts_key_hash": True})


def test_every_revision_id_fits_alembics_version_column() -> None:
    from alembic.script import ScriptDirectory

    from orderyard.store.migrate import alembic_config

    revisions = ScriptDirectory.from_config(alembic_config("")).walk_revisions()

    assert all(len(r.revision) <= 32 for r in revisions), "alembic_version holds VARCHAR(32)"
