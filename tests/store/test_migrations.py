"""The migrations build exactly the declared schema, and round-trip, on both backends."""

import pytest

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
