"""A database the command cannot use is reported in one line, and nothing starts or is written."""

import asyncio
import os
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from orderyard.cli import serve
from tests.cli.runner import invoke, one_line
from tests.conftest import DEFAULT_PG_URL

UPGRADE = "run `orderyard db upgrade`"


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The servers ``orderyard serve`` started (uvicorn.run is recorded, not run)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda *a, **kw: calls.append(kw))
    return calls


def test_an_unreachable_postgresql_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, started: list[dict[str, Any]]
) -> None:
    monkeypatch.setenv("ORDERYARD_DATABASE__URL", "postgresql://orderyard:secret@127.0.0.1:1/oy")

    for command in (("accounts", "create", "--name", "Acme"), ("serve",), ("db", "upgrade")):
        code, output = invoke(*command)

        assert code == 1
        line = one_line(output)
        assert line.startswith(
            "error: cannot reach the database at postgresql://orderyard:***@127.0.0.1:1/oy: "
        )
        assert "secret" not in line
    assert started == []


def test_a_sqlite_file_that_cannot_be_opened_is_named_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/missing/folder/orderyard.db"
    monkeypatch.setenv("ORDERYARD_DATABASE__URL", url)

    code, output = invoke("accounts", "create", "--name", "Acme")

    assert code == 1
    assert one_line(output) == (
        f"error: cannot reach the database at {url}: unable to open database file"
    )


def test_db_check_on_an_unmigrated_sqlite_file_names_the_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    monkeypatch.setenv("ORDERYARD_DATABASE__URL", url)

    code, output = invoke("db", "check")

    assert code == 1
    assert one_line(output) == f"error: the database at {url} has no schema: {UPGRADE}"


def _admin_url() -> str:
    return os.environ.get("ORDERYARD_TEST_POSTGRES_URL", DEFAULT_PG_URL)


async def _empty_database(name: str) -> None:
    parsed = make_url(_admin_url())
    where = {"host": parsed.host, "port": parsed.port or 5432, "user": parsed.username}
    admin = await asyncpg.connect(**where, database="test")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(**where, database=name)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


@pytest.fixture
def unmigrated_postgres(monkeypatch: pytest.MonkeyPatch) -> str:
    """A PostgreSQL database that exists and was never migrated, beside the test database."""
    name = f"{make_url(_admin_url()).database}_unmigrated"
    asyncio.run(_empty_database(name))
    url = make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)
    monkeypatch.setenv("ORDERYARD_DATABASE__URL", url)
    return url


@pytest.mark.postgres
def test_serve_refuses_an_unmigrated_postgresql_before_starting(
    unmigrated_postgres: str, started: list[dict[str, Any]]
) -> None:
    code, output = invoke("serve", "--port", "8123")

    assert code == 1
    assert one_line(output) == (
        f"error: the database at {unmigrated_postgres} has no schema: {UPGRADE}"
    )
    assert started == []


@pytest.mark.postgres
@pytest.mark.parametrize(
    "command",
    [
        ("accounts", "create", "--name", "Acme"),
        ("locations", "list", "--account", "1"),
        ("db", "check"),
    ],
    ids=" ".join,
)
def test_every_command_refuses_an_unmigrated_postgresql_in_one_line(
    unmigrated_postgres: str, command: tuple[str, ...]
) -> None:
    code, output = invoke(*command)

    assert code == 1
    assert one_line(output) == (
        f"error: the database at {unmigrated_postgres} has no schema: {UPGRADE}"
    )


@pytest.mark.postgres
def test_after_db_upgrade_serve_starts(
    unmigrated_postgres: str, started: list[dict[str, Any]]
) -> None:
    assert invoke("db", "upgrade")[0] == 0

    code, output = invoke("db", "check")
    assert (code, output.strip()) == (0, "schema matches")
    code, output = invoke("serve", "--port", "8123")

    assert code == 0, output
    assert [(call["host"], call["port"]) for call in started] == [("127.0.0.1", 8123)]
