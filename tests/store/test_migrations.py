"""The migrations build exactly the declared schema, and round-trip, on both backends."""

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from orderyard.kit.clock import utcnow
from orderyard.services.preorder import release as release_service
from orderyard.services.preorder import waves as wave_service
from orderyard.services.preorder.release import ReleaseSelection
from orderyard.store import migrate
from tests.factories import Factory
from tests.services.checks import level


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


async def wave_with_a_preorder(make: Factory, *, bypass: bool) -> None:
    """A wave of P-1 at L-1 with nothing on hand and one order sequenced in it (released
    without stock when ``bypass``: a shortfall of 1)."""
    await make.location("L-1")
    await make.item("P-1")
    await make.stock("L-1", "P-1", 0)
    new = wave_service.NewWave("P-1", "L-1", 5, utcnow() + timedelta(days=3))
    await wave_service.create_wave(make.uow(), new)
    await make.order(("P-1", 1))
    if bypass:
        selection = ReleaseSelection(sku="P-1")
        await release_service.release_preorders(make.uow(), selection, bypass=True)


async def holds(make: Factory) -> tuple[int, int]:
    """The level's reserved units and the number of reservations."""
    async with make.uow() as uow:
        found = await uow.conn.execute(
            text(
                "SELECT sum(reserved) FROM stock_levels UNION ALL SELECT count(*) FROM reservations"
            )
        )
        reserved, rows = found.scalars().all()
    return int(reserved or 0), int(rows)


def schema_version(url: str) -> str | None:
    return migrate.current(url)


async def test_below_preorders_the_waves_holds_are_lifted_and_their_lines_wait_as_backorders(
    fresh_url: str, make: Factory
) -> None:
    await wave_with_a_preorder(make, bypass=False)
    before = await holds(make)

    await asyncio.to_thread(migrate.downgrade, fresh_url, "0033_console_sessions")
    try:
        after = await holds(make)
    finally:
        await asyncio.to_thread(migrate.upgrade, fresh_url)

    assert (before, after) == ((1, 1), (0, 0))


async def test_below_preorders_is_refused_while_a_shortfall_remains_changing_nothing(
    fresh_url: str, make: Factory
) -> None:
    """On PostgreSQL the whole downgrade is one transaction: nothing at all changes. SQLite's
    migrations commit one by one, so the later ones' downgrades may stand; never 0034's."""
    await wave_with_a_preorder(make, bypass=True)
    head = await asyncio.to_thread(schema_version, fresh_url)

    try:
        with pytest.raises(RuntimeError, match="below 0034_preorders: 1 stock level"):
            await asyncio.to_thread(migrate.downgrade, fresh_url, "0033_console_sessions")
        now = await asyncio.to_thread(schema_version, fresh_url)
    finally:
        await asyncio.to_thread(migrate.upgrade, fresh_url)

    standing = {"postgresql": {head}, "sqlite": {head, "0034_preorders"}}
    assert now in standing[make.engines.write.dialect.name]
    assert await level(make, "L-1", "P-1") == (0, 1)  # on hand, allocated: as it was
