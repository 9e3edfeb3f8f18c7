"""What the command-line tests share."""

import pytest


@pytest.fixture
def cli_database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point every command at the test's database, as ``ORDERYARD_DATABASE__URL`` would."""
    monkeypatch.setenv("ORDERYARD_DATABASE__URL", db_url)
    return db_url
